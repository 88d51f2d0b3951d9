/** Random event streams and funnel specs for the funnel property and differential tests. */
import fc from 'fast-check';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { params, type EventRow } from '../support/loadRows.js';
import type { RefEvent } from './referenceFunnel.js';

export const T0 = 1604188800000000; // 2020-11-01T00:00:00Z
export const MINUTE = 60_000_000;
export const DAY = 86_400_000_000;
// page_view is never a step here: it is what next actions by page read.
export const NAMES = ['A', 'B', 'C', 'X', 'page_view'] as const;
/** page_location values whose paths tie, differ only by query or fragment, or are the root. */
export const LOCATIONS = [
  'https://shop.test/a',
  'https://shop.test/a?q=1',
  'https://shop.test',
  '/b#top',
  'http://shop.test/b/c?x=1#y',
] as const;

export const eventArb = (user: string) =>
  fc.record({
    user: fc.constant(user),
    session: fc.option(fc.constantFrom(1, 2), { freq: 8 }),
    name: fc.constantFrom(...NAMES),
    // Few distinct minutes: many ties, and gaps that land exactly on `within`/`window` limits.
    ts: fc.integer({ min: 0, max: 12 }).map((m) => T0 + m * MINUTE),
    // Mostly the first day; some on the next day and a week later (trended funnel periods).
    day: fc.constantFrom(0, 0, 0, 0, 1, 7),
    bo: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 2 }),
    bi: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }),
    v: fc.option(fc.constantFrom<string | number>(1, 2, 2.5, 'p', 'q'), { freq: 3 }),
    platform: fc.constantFrom('WEB', 'IOS'),
    category: fc.option(fc.constantFrom('mobile', 'desktop', 'tablet'), { freq: 5 }),
    loc: fc.option(fc.constantFrom(...LOCATIONS), { freq: 4 }),
  });

export const USERS = 24;
export const worldArb = fc.tuple(
  ...Array.from({ length: USERS }, (_v, i) =>
    fc.array(eventArb(`u${i}`), { minLength: 0, maxLength: 9 }),
  ),
);

export const durationArb = fc.constantFrom('1m', '2m', '3m', '5m', '10m', '60s', '120s');
export const conditionArb = fc.oneof(
  fc.constant({ param: 'v', op: 'eq', value: 'p' }),
  fc.constant({ param: 'v', op: 'eq', value: 2 }),
  fc.constant({ param: 'v', op: 'neq', value: 'q' }),
  fc.constant({ param: 'v', op: 'in', values: ['p', '1'] }),
  fc.constant({ param: 'v', op: 'gte', value: 2 }),
  fc.constant({ param: 'v', op: 'between', values: [1, 2] }),
  fc.constant({ field: 'platform', op: 'eq', value: 'WEB' }),
);
export const stepArb = fc.record(
  {
    event: fc.constantFrom('A', 'B', 'C'),
    within: durationArb,
    directly: fc.boolean(),
    where: fc.oneof(
      fc.constant([]),
      fc.constant([]),
      fc.array(conditionArb, { minLength: 1, maxLength: 2 }),
    ),
  },
  { requiredKeys: ['event'] },
);
export const specArb = fc
  .record(
    {
      scope: fc.constantFrom('user', 'session'),
      type: fc.constantFrom('closed', 'open'),
      window: durationArb,
      steps: fc.array(stepArb, { minLength: 2, maxLength: 4 }),
      breakdown: fc.constant('device_category'),
      breakdownLimit: fc.integer({ min: 1, max: 3 }),
      trend: fc.constantFrom({ interval: 'day' }, { interval: 'week' }),
      // A segment always has conditions (a segment without event and where is refused).
      segments: fc.tuple(
        fc.record(
          {
            name: fc.constant('seg'),
            scope: fc.constantFrom('user', 'session'),
            event: fc.constantFrom('A', 'B', 'C', 'X'),
            where: fc.array(conditionArb, { minLength: 1, maxLength: 2 }),
          },
          { requiredKeys: ['name', 'where'] },
        ),
      ),
      toStep: fc.integer({ min: 2, max: 4 }),
      nextAction: fc.record({
        by: fc.constantFrom('event', 'page'),
        top: fc.integer({ min: 1, max: 3 }),
      }),
      exclusion: fc.record({
        event: fc.constantFrom('X', 'C'),
        i: fc.nat(3),
        len: fc.integer({ min: 1, max: 3 }),
      }),
    },
    // Every spec asks for next actions (by event or page): the property test compares them all.
    { requiredKeys: ['steps', 'nextAction'] },
  )
  .map(({ exclusion, toStep, ...rest }) => {
    const n = rest.steps.length;
    const spec: Record<string, unknown> = {
      dateRange: { start: '2020-11-01', end: '2020-11-08' },
      ...rest,
    };
    // Time to convert is for closed funnels only; toStep at most the last step.
    if (rest.type !== 'open' && toStep !== undefined) {
      spec.timeToConvert = { toStep: Math.min(toStep, n) };
    }
    if (exclusion) {
      const i = Math.min(exclusion.i + 1, n - 1);
      spec.exclusions = [{ event: exclusion.event, between: [i, Math.min(n, i + exclusion.len)] }];
    }
    return parseFunnelSpec(spec);
  });

export type GenEvent = ReturnType<typeof eventArb> extends fc.Arbitrary<infer R> ? R : never;

export const dateOf = (e: GenEvent) => `202011${String(1 + e.day).padStart(2, '0')}`;

export function toRow(e: GenEvent): EventRow {
  return {
    event_date: dateOf(e),
    event_timestamp: e.ts + e.day * DAY,
    event_name: e.name,
    user_pseudo_id: e.user,
    batch_ordering_id: e.bo,
    batch_event_index: e.bi,
    platform: e.platform,
    device: { category: e.category },
    event_params: params({
      ...(e.session === null ? {} : { ga_session_id: e.session }),
      ...(e.v === null ? {} : { v: e.v }),
      ...(e.loc === null ? {} : { page_location: e.loc }),
    }),
  };
}

export function toRef(e: GenEvent): RefEvent {
  return {
    user: e.user,
    session: e.session,
    name: e.name,
    ts: e.ts + e.day * DAY,
    bo: e.bo,
    bi: e.bi,
    params: {
      ...(e.v === null ? {} : { v: e.v }),
      ...(e.loc === null ? {} : { page_location: e.loc }),
    },
    fields: { platform: e.platform },
    breakdown: e.category,
    date: dateOf(e),
  };
}
