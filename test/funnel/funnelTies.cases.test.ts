import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFunnelSpec, type FunnelSpecInput } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { M, ev } from './caseEvents.js';

// Events on one identical order key may serve consecutive steps in any order, but one event never
// serves two steps (journeys.md §1). Every count below is worked out by hand.
const ROWS: EventRow[] = [
  // A and B on one key: A, B, A would need the A twice.
  ev('reuse', 'A', 0),
  ev('reuse', 'B', 0),
  // two As and a B on one key: A, B, A uses each once.
  ev('twoA', 'A', 0),
  ev('twoA', 'A', 0),
  ev('twoA', 'B', 0),
  // the second A comes a minute later.
  ev('later', 'A', 0),
  ev('later', 'B', 0),
  ev('later', 'A', M),
  // order keys put A before B: the A cannot come again after B.
  ev('keyed', 'A', 0, { batch_ordering_id: 1, batch_event_index: 1 }),
  ev('keyed', 'B', 0, { batch_ordering_id: 1, batch_event_index: 2 }),
  // page views on one key: two of them, then three.
  ev('pv2', 'page_view', 0),
  ev('pv2', 'page_view', 0),
  ev('pv3', 'page_view', 0),
  ev('pv3', 'page_view', 0),
  ev('pv3', 'page_view', 0),
];

let engine: DuckdbEngine;
beforeAll(async () => {
  engine = await DuckdbEngine.open(await createEventsDb({ '20201101': ROWS }));
});
afterAll(async () => {
  await engine.close();
});

const run = (spec: Omit<FunnelSpecInput, 'dateRange'>) =>
  runFunnel(
    engine,
    parseFunnelSpec({ dateRange: { start: '2020-11-01', end: '2020-11-01' }, ...spec }),
  );
const ABA = [{ event: 'A' }, { event: 'B' }, { event: 'A' }];

describe('funnel ties: one event never serves two steps', () => {
  it('A, B, A: only users with a second A on the key or later reach step 3', async () => {
    const r = await run({ steps: ABA });
    expect(r.steps.map((s) => s.count)).toEqual([4, 4, 2]);
    // twoA and later: A then B at gap 0, then an A at gap 0 (twoA) or 1 minute (later).
    expect(r.steps.map((s) => s.medianSecondsFromPrevious)).toEqual([null, 0, 30]);
  });

  it('the same with `directly` on every step', async () => {
    const r = await run({
      steps: [{ event: 'A' }, { event: 'B', directly: true }, { event: 'A', directly: true }],
    });
    expect(r.steps.map((s) => s.count)).toEqual([4, 4, 2]);
  });

  it('a window does not let the first A serve twice', async () => {
    const r = await run({ steps: ABA, window: '30s' });
    // later's second A is a minute after its entry: only twoA completes.
    expect(r.steps.map((s) => s.count)).toEqual([4, 4, 1]);
  });

  it('three page_view steps need three page views', async () => {
    const r = await run({
      steps: [{ event: 'page_view' }, { event: 'page_view' }, { event: 'page_view' }],
    });
    expect(r.steps.map((s) => s.count)).toEqual([2, 2, 1]);
  });

  it('an open funnel enters at step 3 anyway, and reaches it from step 2 unless keys forbid', async () => {
    const r = await run({ steps: ABA, type: 'open' });
    expect(r.steps.map((s) => s.count)).toEqual([4, 4, 4]);
    // step 3 from step 2: reuse (B then the other event, A), twoA, later; not keyed (A is before B).
    expect(r.steps[2]?.fromPrevious).toBeCloseTo(3 / 4, 10);
  });

  it('session scope follows the same rule', async () => {
    const r = await run({ steps: ABA, scope: 'session' });
    expect(r.unit).toBe('sessions');
    expect(r.steps.map((s) => s.count)).toEqual([4, 4, 2]);
  });
});
