import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePathsSpec } from '../../src/analyses/paths/pathsSpec.js';
import { runPaths, type PathsResult } from '../../src/analyses/paths/runPaths.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { referencePaths, type RefEvent, type RefSpec } from './referencePaths.js';

const T0 = 1604188800000000; // 2020-11-01T00:00:00Z
const NAMES = ['session_start', 'page_view', 'page_view', 'view_item', 'purchase', 'scroll'];
const LOCS = [
  'https://shop.example/',
  'https://shop.example/?utm=1',
  'https://shop.example/p/12?x=2',
  'https://shop.example/p/7',
  'http://m.shop.example/cart',
  'https://shop.example',
  null,
];
const TITLES = ['Home', 'Cart', 'Product', null];

const eventArb = fc.record({
  user: fc.option(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6'), { freq: 12 }),
  session: fc.option(fc.constantFrom(1, 2), { freq: 8 }),
  name: fc.constantFrom(...NAMES),
  ts: fc.integer({ min: 0, max: 6 }).map((s) => T0 + s * 1_000_000),
  bo: fc.option(fc.integer({ min: 1, max: 2 }), { freq: 2 }),
  bi: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }),
  loc: fc.constantFrom(...LOCS),
  title: fc.constantFrom(...TITLES),
});

const CLEAN = [
  { pattern: '\\?.*$', replace: '' },
  { pattern: '/p/[0-9]+', replace: '/p/N' },
  { pattern: '^/(c)art', replace: '/\\1\\1' },
  { pattern: '[0-9]', replace: '#' },
];
const specArb = fc.record({
  scope: fc.constantFrom('session' as const, 'user' as const),
  nodeType: fc.constantFrom('event' as const, 'page_path' as const, 'page_title' as const),
  anchor: fc.constantFrom('none', 'start', 'end', 'between'),
  startAnchor: fc.record({
    name: fc.constantFrom('session_start', 'view_item', 'page_view'),
    locContains: fc.option(fc.constantFrom('/p/', 'cart', '?'), { nil: undefined }),
  }),
  endAnchor: fc.record({
    name: fc.constantFrom('purchase', 'view_item', 'page_view'),
    locContains: fc.option(fc.constantFrom('/p/', 'cart', '?'), { nil: undefined }),
  }),
  steps: fc.integer({ min: 1, max: 5 }),
  topK: fc.integer({ min: 1, max: 3 }),
  collapseRepeats: fc.boolean(),
  exclude: fc.subarray(['scroll', 'view_item']),
  clean: fc.subarray(CLEAN),
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

/** The result in the reference's flat form. */
function flat(result: PathsResult) {
  return {
    journeys: result.journeys,
    eventsWithoutUser: result.eventsWithoutUser,
    nodes: result.steps
      .flatMap((s) => s.nodes.map((n) => `${s.index}|${n.kind}|${n.node}|${n.count}`))
      .sort(),
    edges: result.edges
      .map((e) => `${e.step}|${e.fromKind}|${e.from}|${e.toKind}|${e.to}|${e.count}`)
      .sort(),
  };
}

/** Conservation: each step adds up to the journeys still on the path; edges out of a node add up to it. */
export function checkConservation(result: PathsResult, steps: number): void {
  let onPath = result.journeys;
  for (const step of result.steps) {
    expect(step.nodes.reduce((s, n) => s + n.count, 0)).toBe(onPath);
    expect(step.journeys).toBe(onPath);
    for (const node of step.nodes) {
      const out = result.edges
        .filter((e) => e.step === step.index && e.from === node.node && e.fromKind === node.kind)
        .reduce((s, e) => s + e.count, 0);
      expect(out).toBe(node.kind === 'exit' || step.index === steps ? 0 : node.count);
    }
    for (const node of step.nodes) {
      const into = result.edges
        .filter((e) => e.step === step.index - 1 && e.to === node.node && e.toKind === node.kind)
        .reduce((s, e) => s + e.count, 0);
      if (step.index > 1) expect(into).toBe(node.count);
    }
    onPath = step.nodes.filter((n) => n.kind !== 'exit').reduce((s, n) => s + n.count, 0);
  }
  if (result.steps.length < steps) expect(onPath).toBe(0);
}

const engines: DuckdbEngine[] = [];
afterAll(async () => {
  for (const e of engines) await e.close();
});

describe('paths: SQL on DuckDB = the reference on random event streams', () => {
  it('matches the reference and conserves journeys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 0, maxLength: 40 }),
        fc.array(specArb, { minLength: 4, maxLength: 4 }),
        async (events, specs) => {
          const db = await createEventsDb({ '20201101': events.map(toRow) });
          const engine = await DuckdbEngine.open(db);
          engines.push(engine);
          for (const s of specs) {
            const ref: RefSpec = {
              scope: s.scope,
              nodeType: s.nodeType,
              start: s.anchor === 'start' || s.anchor === 'between' ? s.startAnchor : null,
              end: s.anchor === 'end' || s.anchor === 'between' ? s.endAnchor : null,
              steps: s.steps,
              topK: s.topK,
              collapseRepeats: s.collapseRepeats,
              exclude: s.exclude,
              clean: s.clean,
            };
            // A location condition is a funnel-style `where` on the anchor event.
            const anchor = (a: RefSpec['start']) =>
              a === null
                ? null
                : a.locContains === undefined
                  ? a.name
                  : {
                      event: a.name,
                      where: [{ param: 'page_location', op: 'contains', value: a.locContains }],
                    };
            const spec = parsePathsSpec({
              dateRange: { start: '2020-11-01', end: '2020-11-01' },
              ...ref,
              start: anchor(ref.start),
              end: anchor(ref.end),
            });
            const result = await runPaths(engine, spec);
            expect(flat(result)).toEqual(referencePaths(events, ref));
            checkConservation(result, s.steps);
          }
        },
      ),
      { numRuns: 20, seed: 5 },
    );
  }, 300_000);
});
