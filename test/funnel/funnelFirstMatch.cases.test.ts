import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { parseFunnelSpec, type FunnelSpecInput } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { M, ev } from './caseEvents.js';

const batch = (bo: number, bi: number) => ({ batch_ordering_id: bo, batch_event_index: bi });

// The first-match form (DuckDB's path for funnels without windows) at its edges: the tie rule on
// the packed order key, the earliest chain, the shortest gap, and events whose batch fields do not
// fit the packed key. Every figure is worked out by hand.
const ROWS: EventRow[] = [
  // A and B on one identical key: B may follow A (gap 0).
  ev('same', 'A', 0),
  ev('same', 'B', 0),
  // one timestamp, B's batch before A's: B cannot follow A.
  ev('before', 'B', 0, batch(1, 0)),
  ev('before', 'A', 0, batch(1, 1)),
  // one timestamp, A's batch before B's: it can.
  ev('after', 'A', 0, batch(2, 5)),
  ev('after', 'B', 0, batch(3, 0)),
  // As at 0 and 10 min, Bs at 12 and 30 min, C at 40 min: the shortest gap to B is 2 min (12 - 10),
  // the gap to C is from the latest B before it, 10 min.
  ev('gap', 'A', 0),
  ev('gap', 'A', 10 * M),
  ev('gap', 'B', 12 * M),
  ev('gap', 'B', 30 * M),
  ev('gap', 'C', 40 * M),
  // C before the first B does not count; C after it does (the greedy chain: A 0, B 5, C 20).
  ev('chain', 'C', 1 * M),
  ev('chain', 'A', 0),
  ev('chain', 'B', 5 * M),
  ev('chain', 'C', 20 * M),
];

// A batch field past the packed key's 8 bits: B at A's timestamp minus 1 µs with a batch id of
// 300. B is before A, so no chain A -> B exists; a key that lost the batch id could say otherwise.
const WIDE: EventRow[] = [
  ev('wide', 'A', 1, batch(0, 0)),
  ev('wide', 'B', 0, batch(300, 0)),
  ev('fine', 'A', 0),
  ev('fine', 'B', M),
];

let engine: DuckdbEngine;
let wide: DuckdbEngine;
beforeAll(async () => {
  engine = await DuckdbEngine.open(await createEventsDb({ '20201101': ROWS }));
  wide = await DuckdbEngine.open(await createEventsDb({ '20201101': WIDE }));
});
afterAll(async () => {
  await engine.close();
  await wide.close();
});

const specOf = (spec: Omit<FunnelSpecInput, 'dateRange'>) =>
  parseFunnelSpec({ dateRange: { start: '2020-11-01', end: '2020-11-01' }, ...spec });

/** The funnel in the first-match form and in the general (join) form. */
async function both(db: DuckdbEngine, spec: Omit<FunnelSpecInput, 'dateRange'>) {
  const parsed = specOf(spec);
  const fast = funnelQuery(parsed, { firstMatch: true });
  expect(fast.context.firstMatch).toBe(true);
  const first = await runQuery(db, 'funnel', fast.params, { context: fast.context });
  const general = await runFunnel(db, parsed, { form: 'join' });
  return { first, general };
}

const counts = (rows: readonly Record<string, unknown>[]) =>
  rows.filter((r) => r.total === true).map((r) => Number(r.units));

describe('first-match funnel form', () => {
  it('is chosen only for closed funnels without window, within, directly, exclusions or shared events', () => {
    const steps = [{ event: 'A' }, { event: 'B' }];
    const allowed = (s: Omit<FunnelSpecInput, 'dateRange'>) =>
      funnelQuery(specOf(s), { firstMatch: true }).context.firstMatch;
    expect(allowed({ steps })).toBe(true);
    expect(allowed({ steps, scope: 'session', breakdown: 'device_category' })).toBe(true);
    expect(allowed({ steps, type: 'open' })).toBe(false);
    expect(allowed({ steps, window: '1d' })).toBe(false);
    expect(allowed({ steps: [{ event: 'A' }, { event: 'B', within: '1h' }] })).toBe(false);
    expect(allowed({ steps: [{ event: 'A' }, { event: 'B', directly: true }] })).toBe(false);
    expect(
      allowed({ steps: [...steps, { event: 'C' }], exclusions: [{ event: 'X', between: [1, 2] }] }),
    ).toBe(false);
    expect(allowed({ steps: [{ event: 'A' }, { event: 'A' }] })).toBe(false);
    expect(allowed({ steps: [{ event: 'A' }, { event: 'B' }, { event: 'A' }] })).toBe(false);
    // Not asked for (BigQuery, or an explicit form): never.
    expect(funnelQuery(specOf({ steps })).context.firstMatch).toBe(false);
  });

  it('follows the tie rule on the order key and takes the shortest gap', async () => {
    const { first, general } = await both(engine, {
      steps: [{ event: 'A' }, { event: 'B' }, { event: 'C' }],
    });
    // A: all five users; B: same, after, gap, chain (not before); C: gap, chain.
    expect(counts(first.rows)).toEqual([5, 4, 2]);
    expect(first.rows.every((r) => r.exact_keys === true)).toBe(true);
    const byStep = first.rows.filter((r) => r.total === true);
    // Gaps to B: same 0, after 0, gap 2 min, chain 5 min -> mean 105 s, median 60 s.
    expect(Number(byStep[1]?.mean_s)).toBe(105);
    expect(Number(byStep[1]?.median_s)).toBe(60);
    // Gaps to C: gap 10 min (40 - 30), chain 15 min (20 - 5) -> mean and median 750 s.
    expect(Number(byStep[2]?.mean_s)).toBe(750);
    expect(Number(byStep[2]?.median_s)).toBe(750);
    expect(general.steps.map((s) => s.count)).toEqual([5, 4, 2]);
    expect(general.steps.map((s) => s.meanSecondsFromPrevious)).toEqual([null, 105, 750]);
    expect(general.steps.map((s) => s.medianSecondsFromPrevious)).toEqual([null, 60, 750]);
  });

  it('says when a batch field does not fit its key, and runFunnel answers with the general form', async () => {
    const steps = [{ event: 'A' }, { event: 'B' }];
    const { first, general } = await both(wide, { steps });
    expect(first.rows.some((r) => r.exact_keys === false)).toBe(true);
    // Only `fine` reaches B, one minute after A.
    expect(general.steps.map((s) => s.count)).toEqual([2, 1]);
    const r = await runFunnel(wide, specOf({ steps }));
    expect(r.steps.map((s) => s.count)).toEqual([2, 1]);
    expect(r.steps[1]?.meanSecondsFromPrevious).toBe(60);
  });
});
