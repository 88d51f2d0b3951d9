import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../src/analyses/nextStep/runNextStep.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import type { RefEvent } from '../paths/referencePaths.js';
import { referenceNextStep, type RefNextSpec } from './referenceNextStep.js';

const T0 = 1604188800000000;
const eventArb = fc.record({
  user: fc.option(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'), { freq: 12 }),
  session: fc.option(fc.constantFrom(1, 2), { freq: 8 }),
  name: fc.constantFrom(
    'session_start',
    'page_view',
    'page_view',
    'add_to_cart',
    'purchase',
    'scroll',
  ),
  ts: fc.integer({ min: 0, max: 8 }).map((s) => T0 + s * 1_000_000),
  bo: fc.option(fc.integer({ min: 1, max: 2 }), { freq: 2 }),
  bi: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }),
  loc: fc.constantFrom(
    'https://s.example/',
    'https://s.example/cart',
    'https://s.example/p/1',
    null,
  ),
  title: fc.constantFrom('Home', 'Cart', null),
});
const specArb = fc.record({
  scope: fc.constantFrom('session' as const, 'user' as const),
  nodeType: fc.constantFrom('event' as const, 'page_path' as const, 'page_title' as const),
  goal: fc.record({
    name: fc.constantFrom('purchase', 'add_to_cart', 'page_view'),
    locContains: fc.option(fc.constantFrom('/p/', 'cart'), { nil: undefined }),
  }),
  collapseRepeats: fc.boolean(),
  exclude: fc.subarray(['scroll', 'session_start']),
});

function toRow(e: RefEvent): EventRow {
  const p: Record<string, string | number> = {};
  if (e.session !== null) p.ga_session_id = e.session;
  if (e.loc !== null) p.page_location = e.loc;
  if (e.title !== null) p.page_title = e.title;
  return {
    event_date: '20201101',
    event_timestamp: e.ts,
    event_name: e.name,
    user_pseudo_id: e.user,
    batch_ordering_id: e.bo,
    batch_event_index: e.bi,
    event_params: params(p),
  };
}

const engines: DuckdbEngine[] = [];
afterAll(async () => {
  for (const e of engines) await e.close();
});

describe('next step: SQL + exact chain = the reference on random event streams', () => {
  it('matches transitions, support and absorption probabilities', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 0, maxLength: 40 }),
        fc.array(specArb, { minLength: 3, maxLength: 3 }),
        async (events, specs) => {
          const engine = await DuckdbEngine.open(
            await createEventsDb({ '20201101': events.map(toRow) }),
          );
          engines.push(engine);
          for (const s of specs as RefNextSpec[]) {
            const spec = parseNextStepSpec({
              dateRange: { start: '2020-11-01', end: '2020-11-01' },
              ...s,
              // A location condition is a funnel-style `where` on the goal event.
              goal:
                s.goal.locContains === undefined
                  ? s.goal.name
                  : {
                      event: s.goal.name,
                      where: [
                        { param: 'page_location', op: 'contains', value: s.goal.locContains },
                      ],
                    },
              top: 50,
              minSupport: 1,
            });
            const result = await runNextStep(engine, spec);
            const ref = referenceNextStep(events, s);
            expect(result.journeys).toBe(ref.journeys);
            expect(result.conversions).toBe(ref.conversions);
            const counts = new Map<string, number>();
            for (const n of result.nodes) {
              expect(n.journeys, n.node).toBe(ref.support.get(n.node));
              expect(n.conversionProbability).toBeCloseTo(ref.probability.get(n.node) as number, 5);
              for (const x of n.next) counts.set(`${n.node}|${x.node}`, x.transitions);
              // Probabilities of the next nodes add up to 1 (all listed with top 50).
              expect(n.next.reduce((a, x) => a + x.transitions, 0)).toBe(n.transitions);
            }
            for (const [k, c] of ref.counts)
              if (!k.startsWith('(start)|')) expect(counts.get(k), k).toBe(c);
            expect(counts.size).toBe(
              [...ref.counts.keys()].filter((k) => !k.startsWith('(start)|')).length,
            );
            if (ref.journeys > 0) {
              expect(result.conversionProbability).toBeCloseTo(
                ref.probability.get('(start)') as number,
                5,
              );
            }
          }
        },
      ),
      { numRuns: 15, seed: 7 },
    );
  }, 300_000);
});
