import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFunnelSpec, type FunnelSpecInput } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { parseGoals } from '../../src/analyses/goals/goal.js';
import { registerFunnel } from '../../src/cli/commands/funnel.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { renderQuery } from '../../src/sql/renderQuery.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';

const T0 = 1604188800000000; // 2020-11-01T00:00:00Z
const S = 1_000_000;
const M = 60 * S;

function ev(
  user: string,
  name: string,
  t: number,
  extra: Partial<EventRow> & { p?: Record<string, string | number> } = {},
): EventRow {
  const { p, ...rest } = extra;
  return {
    event_date: '20201101',
    event_timestamp: T0 + t,
    event_name: name,
    user_pseudo_id: user,
    event_params: params({ ga_session_id: 1, ...(p ?? {}) }),
    device: { category: user.startsWith('m') ? 'mobile' : 'desktop' },
    ...rest,
  };
}

// One scenario per user; every expected count below is worked out by hand from journeys.md §1.
const ROWS: EventRow[] = [
  // greedy trap: the first A is too old for the window, the second A starts a valid chain.
  ev('greedy', 'A', 0),
  ev('greedy', 'A', 10 * M),
  ev('greedy', 'B', 12 * M),
  // tie: A and B share a timestamp and no order key: B may follow A.
  ev('tie', 'A', 0),
  ev('tie', 'B', 0),
  // order keys separate them and put B first: B may not follow A.
  ev('keyed', 'A', 0, { batch_ordering_id: 1, batch_event_index: 2 }),
  ev('keyed', 'B', 0, { batch_ordering_id: 1, batch_event_index: 1 }),
  // directly: an X between A and B.
  ev('between', 'A', 0),
  ev('between', 'X', 1 * M),
  ev('between', 'B', 2 * M),
  // within edge: B exactly 5 minutes after A.
  ev('edge', 'A', 0),
  ev('edge', 'B', 5 * M),
  // just over the edge.
  ev('over', 'A', 0),
  ev('over', 'B', 5 * M + S),
  // open funnel entrant at step 2 only (mobile).
  ev('mopen', 'B', 0),
  // sessions: A in session 1, B in session 2.
  ev('sessions', 'A', 0),
  ev('sessions', 'B', 1 * M, { event_params: params({ ga_session_id: 2 }) }),
];

let db: string;
let engine: DuckdbEngine;
beforeAll(async () => {
  db = await createEventsDb({ '20201101': ROWS });
  engine = await DuckdbEngine.open(db);
});
afterAll(async () => {
  await engine.close();
});

const base = { dateRange: { start: '2020-11-01', end: '2020-11-01' } };
const run = (spec: Omit<FunnelSpecInput, 'dateRange'>) =>
  runFunnel(engine, parseFunnelSpec({ ...base, ...spec }));
const counts = async (spec: Omit<FunnelSpecInput, 'dateRange'>) =>
  (await run(spec)).steps.map((s) => s.count);
const AB = [{ event: 'A' }, { event: 'B' }];

describe('funnel: hand-computed cases', () => {
  it('counts every user over all attempts without constraints', async () => {
    // A: greedy tie keyed between edge over sessions = 7; B after A: all but keyed = 6.
    expect(await counts({ steps: AB })).toEqual([7, 6]);
  });

  it('is not fooled by greedy first-match when a window exists', async () => {
    // window 5m: greedy (A@10m -> B@12m; A@0 is 12m away), tie (0s), between (2m),
    // edge (5m exactly) and sessions (1m) reach B; over (5m01s) and keyed do not.
    const result = await run({ window: '5m', steps: AB });
    expect(result.steps.map((s) => s.count)).toEqual([7, 5]);
    expect(result.steps[1]?.fromPrevious).toBeCloseTo(5 / 7, 4);
    expect(result.steps[0]?.abandonments).toBe(2);
  });

  it('treats within as inclusive and measures from the previous step', async () => {
    expect(await counts({ steps: [{ event: 'A' }, { event: 'B', within: '5m' }] })).toEqual([7, 5]);
    expect(await counts({ steps: [{ event: 'A' }, { event: 'B', within: '4m' }] })).toEqual([7, 4]);
  });

  it('lets directly fail when another event comes between', async () => {
    // between has X in the middle; keyed has B before A.
    expect(await counts({ steps: [{ event: 'A' }, { event: 'B', directly: true }] })).toEqual([
      7, 5,
    ]);
  });

  it('never lets one event satisfy two steps', async () => {
    // Only greedy has two A events.
    expect(await counts({ steps: [{ event: 'A' }, { event: 'A' }] })).toEqual([7, 1]);
  });

  it('counts open-funnel entrants at later steps, not as continuing', async () => {
    const result = await run({ type: 'open', steps: AB });
    expect(result.steps.map((s) => s.count)).toEqual([7, 8]);
    expect(result.steps[1]?.fromPrevious).toBeCloseTo(6 / 7, 4);
  });

  it('keeps all steps in one session in session scope', async () => {
    const result = await run({ scope: 'session', steps: AB });
    expect(result.unit).toBe('sessions');
    // sessions has A in session 1 and B in session 2: 7 sessions with A, 5 continue.
    expect(result.steps.map((s) => s.count)).toEqual([7, 5]);
  });

  it('drops chains with an exclusion event between the steps', async () => {
    expect(await counts({ steps: AB, exclusions: [{ event: 'X', between: [1, 2] }] })).toEqual([
      7, 5,
    ]);
  });

  it('reports median and mean time from the previous step', async () => {
    const result = await run({ steps: AB });
    // gaps: greedy 2m (latest A), tie 0, between 2m, edge 5m, over 5m01s, sessions 1m.
    const gaps = [120, 0, 120, 300, 301, 60];
    expect(result.steps[1]?.meanSecondsFromPrevious).toBeCloseTo(
      gaps.reduce((a, b) => a + b) / 6,
      3,
    );
    expect(result.steps[1]?.medianSecondsFromPrevious).toBe(120);
    expect(result.steps[0]?.medianSecondsFromPrevious).toBeNull();
  });

  it('breaks down by the entry event value with top N and (other)', async () => {
    const result = await run({
      type: 'open',
      steps: AB,
      breakdown: 'device_category',
      breakdownLimit: 1,
    });
    expect(result.breakdown.map((b) => [b.value, b.steps.map((s) => s.count)])).toEqual([
      ['desktop', [7, 7]],
      ['(other)', [0, 1]],
    ]);
  });

  it('resolves goal steps by name', async () => {
    const goals = parseGoals([{ name: 'Bought', event: 'B', value: 'none' }]);
    const spec = parseFunnelSpec({ ...base, steps: [{ event: 'A' }, { goal: 'Bought' }] });
    const result = await runFunnel(engine, spec, { goals });
    expect(result.steps.map((s) => [s.name, s.count])).toEqual([
      ['A', 7],
      ['Bought', 6],
    ]);
    await expect(
      runFunnel(engine, parseFunnelSpec({ ...base, steps: [{ event: 'A' }, { goal: 'Nope' }] })),
    ).rejects.toThrow('steps[1].goal: no goal named "Nope"');
  });
});

describe('funnel spec validation', () => {
  const bad = (spec: unknown) => {
    try {
      parseFunnelSpec(spec);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error('expected an InputError');
  };
  it('names the path of the bad field', () => {
    expect(
      bad({ ...base, steps: [{ event: 'A' }, { event: 'B' }, { event: 'C', within: '1 hour' }] }),
    ).toBe('steps[2].within: expected a duration like 30m, 2h, 7d');
    expect(bad({ ...base, steps: [{ event: 'A' }] })).toBe('steps: expected 2 to 20 steps');
    expect(bad({ ...base, steps: AB, window: '7w' })).toBe(
      'window: expected a duration like 30m, 2h, 7d',
    );
    expect(
      bad({
        ...base,
        steps: [{ event: 'A', where: [{ param: 'x', op: 'like', value: 1 }] }, { event: 'B' }],
      }),
    ).toMatch(/^steps\[0\]\.where\[0\]\.op: /);
    expect(bad({ ...base, steps: AB, breakdown: 'browser' })).toMatch(/^breakdown: /);
    expect(bad({ ...base, steps: AB, exclusions: [{ event: 'X', between: [1, 3] }] })).toBe(
      'exclusions[0].between: expected step numbers from 1 to 2',
    );
    expect(
      bad({
        ...base,
        steps: [
          { event: 'A', where: [{ field: 'password', op: 'eq', value: 'x' }] },
          { event: 'B' },
        ],
      }),
    ).toMatch(/^steps\[0\]\.where\[0\]\.field: expected one of/);
  });
});

/** The registered command, run as `pathlight funnel ...` with main's exit-code rules. */
async function funnelCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  const program = new Command('pathlight').exitOverride();
  registerFunnel(program);
  try {
    await program.parseAsync(['node', 'pathlight', 'funnel', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof InputError) return { code: 2, stdout, stderr: stderr + error.message };
    if (error instanceof CommanderError) return { code: 2, stdout, stderr };
    throw error;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('pathlight funnel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-funnel-'));
  it('answers the JSON contract', async () => {
    const spec = join(dir, 'funnel.json');
    writeFileSync(
      spec,
      JSON.stringify({
        ...base,
        window: '5m',
        steps: [
          { name: 'Saw', event: 'A' },
          { name: 'Got', event: 'B' },
        ],
      }),
    );
    const { code, stdout } = await funnelCli(['--db', db, '--spec', spec, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      unit: string;
      steps: Record<string, unknown>[];
      sql: string;
    };
    expect(result.unit).toBe('users');
    expect(result.steps[0]).toEqual({
      name: 'Saw',
      count: 7,
      conversionRate: 1,
      fromPrevious: 1,
      abandonments: 2,
      abandonmentRate: 0.2857,
      medianSecondsFromPrevious: null,
      meanSecondsFromPrevious: null,
    });
    expect(result.sql).toContain('$step2_event');
  });
  it('prints a table with a bar per step from YAML', async () => {
    const spec = join(dir, 'funnel.yaml');
    writeFileSync(
      spec,
      'dateRange: {start: 2020-11-01, end: 2020-11-01}\nsteps:\n  - {name: Saw, event: A}\n  - {name: Got, event: B}\n',
    );
    const { code, stdout } = await funnelCli(['--db', db, '--spec', spec]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/1\. Saw\s+7\s+█{30}/);
    expect(stdout).toMatch(/2\. Got\s+6\s+█{26}/);
  });
  it('exits 2 with a path-named message on a bad spec', async () => {
    const spec = join(dir, 'bad.json');
    writeFileSync(
      spec,
      JSON.stringify({
        ...base,
        steps: [{ event: 'A' }, { event: 'B' }, { event: 'C', within: 'soon' }],
      }),
    );
    const { code, stderr } = await funnelCli(['--db', db, '--spec', spec, '--json']);
    expect(code).toBe(2);
    expect(stderr).toContain('steps[2].within: expected a duration like 30m, 2h, 7d');
  });
});

describe('funnel query rendering and conditions', () => {
  const spec = (extra: Record<string, unknown>) =>
    parseFunnelSpec({
      ...base,
      ...extra,
      steps: (extra.steps as unknown[] | undefined) ?? [
        { event: 'A', where: [{ item: 'item_category', op: 'eq', value: 'Shoes' }] },
        {
          event: 'B',
          directly: true,
          within: '1h',
          where: [{ item: 'size', op: 'in', values: ['L', 'XL'] }],
        },
        { event: 'C', where: [{ field: 'geo.country', op: 'starts_with', value: 'Fr' }] },
      ],
    });
  it('renders with the default context of its header (for pathlight sql)', () => {
    expect(renderQuery('funnel', { kind: 'duckdb' }).sql).toContain('$step2_within_us');
  });
  it('renders every clause for BigQuery with values as parameters only', () => {
    for (const extra of [
      {},
      { type: 'open', scope: 'session', window: '7d', breakdown: 'landing_page' },
      {
        breakdown: 'channel',
        exclusions: [
          { event: 'refund', where: [{ param: 'v', op: 'gt', value: 1 }], between: [1, 3] },
        ],
      },
    ]) {
      const q = funnelQuery(spec(extra));
      const sql = renderQuery(
        'funnel',
        { kind: 'bigquery', project: 'my-project', dataset: 'analytics_1' },
        q.context,
      ).sql;
      expect(sql).toContain('@step2_event');
      expect(sql).not.toMatch(/'(A|B|C|Shoes|L|XL|Fr|refund)'/);
    }
  });
  it('matches item fields, item parameters and top-level fields', async () => {
    const items = (category: string, size: string) => [
      { item_id: 'i1', item_category: category, item_params: params({ size }) },
    ];
    const file = await createEventsDb({
      '20201101': [
        ev('i1', 'A', 0, { items: items('Shoes', 'M') }),
        ev('i1', 'B', S, { items: items('Hats', 'XL') }),
        ev('i1', 'C', 2 * S, { geo: { country: 'France' } }),
        ev('i2', 'A', 0, { items: items('Shoes', 'M') }),
        ev('i2', 'B', S, { items: items('Shoes', 'M') }),
        ev('i3', 'A', 0, { items: items('Hats', 'M') }),
      ],
    });
    const other = await DuckdbEngine.open(file);
    try {
      const result = await runFunnel(other, spec({}));
      expect(result.steps.map((s) => s.count)).toEqual([2, 1, 1]);
    } finally {
      await other.close();
    }
  });
});
