import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGoals } from '../../src/analyses/goals/goal.js';
import { parsePathsSpec, type PathsSpecInput } from '../../src/analyses/paths/pathsSpec.js';
import { runPaths } from '../../src/analyses/paths/runPaths.js';
import { registerPaths } from '../../src/cli/commands/paths.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { runCommand } from './cliHarness.js';

const T0 = 1604188800000000; // 2020-11-01T00:00:00Z
const S = 1_000_000;
function ev(
  user: string | null,
  name: string,
  t: number,
  p: Record<string, string | number> = {},
): EventRow {
  return {
    event_date: '20201101',
    event_timestamp: T0 + t * S,
    event_name: name,
    user_pseudo_id: user,
    event_params: params({ ga_session_id: 1, ...p }),
  };
}
const page = (user: string, t: number, path: string, p: Record<string, string | number> = {}) =>
  ev(user, 'page_view', t, { page_location: `https://shop.example${path}`, ...p });

const ROWS: EventRow[] = [
  ev('a', 'session_start', 0),
  page('a', 1, '/'),
  page('a', 2, '/?q=1'),
  page('a', 3, '/shop'),
  ev('a', 'purchase', 4),
  ev('b', 'session_start', 0),
  page('b', 1, '/shop'),
  ev('b', 'scroll', 2),
  page('b', 3, '/shop'),
  ev('c', 'session_start', 0),
  page('c', 1, '/'),
  page('d', 0, '/x'),
  ev(null, 'page_view', 0),
  // user e: three sessions, the second from an email campaign.
  page('e', 10, '/', { ga_session_id: 1 }),
  page('e', 20, '/', { ga_session_id: 2, source: 'newsletter', medium: 'email' }),
  page('e', 30, '/', { ga_session_id: 3 }),
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
const run = (spec: Omit<PathsSpecInput, 'dateRange'>, goals = new Map()) =>
  runPaths(engine, parsePathsSpec({ ...base, ...spec }), { goals });
const steps = (r: Awaited<ReturnType<typeof run>>) =>
  r.steps.map((s) => s.nodes.map((n) => `${n.node}:${n.count}`));
const edges = (r: Awaited<ReturnType<typeof run>>) =>
  r.edges.map((e) => `${e.step}:${e.from}>${e.to}:${e.count}`).sort();

describe('paths, worked by hand', () => {
  it('forward from session_start over pages: cleaning merges before repeats collapse', async () => {
    const r = await run({
      nodeType: 'page_path',
      start: { event: 'session_start' },
      steps: 3,
      topK: 1,
      clean: [{ pattern: '\\?.*$', replace: '' }],
    });
    // a: / /shop · b: /shop (repeat collapsed) · c: / · d has no session_start; e has none either.
    expect(r.journeys).toBe(3);
    expect(r.eventsWithoutUser).toBe(1);
    expect(steps(r)).toEqual([['/:2', '(other):1'], ['/shop:1', '(exit):2'], ['(exit):1']]);
    expect(edges(r)).toEqual([
      '1:(other)>(exit):1',
      '1:/>(exit):1',
      '1:/>/shop:1',
      '2:/shop>(exit):1',
    ]);
  });

  it('without cleaning the query string keeps its own node', async () => {
    const r = await run({ nodeType: 'page_path', start: 'session_start', steps: 3, topK: 5 });
    expect(steps(r)).toEqual([['/:2', '/shop:1'], ['/?q=1:1', '(exit):2'], ['/shop:1']]);
  });

  it('repeats kept when collapseRepeats is false', async () => {
    const r = await run({
      nodeType: 'page_path',
      start: 'session_start',
      steps: 2,
      collapseRepeats: false,
    });
    expect(steps(r)).toEqual([
      ['/:2', '/shop:1'],
      ['/?q=1:1', '/shop:1', '(exit):1'],
    ]);
  });

  it('backward from a goal, excluded events removed', async () => {
    const goals = parseGoals([{ name: 'Purchase', event: 'purchase' }]);
    const r = await run({ end: { goal: 'Purchase' }, steps: 2, exclude: ['scroll'] }, goals);
    expect(r.direction).toBe('backward');
    expect(steps(r)).toEqual([['purchase:1'], ['page_view:1']]);
    expect(edges(r)).toEqual(['1:purchase>page_view:1']);
  });

  it('a start with conditions: forward from the first page_view whose location has /shop', async () => {
    const r = await run({
      nodeType: 'page_path',
      start: {
        event: 'page_view',
        where: [{ param: 'page_location', op: 'contains', value: 'example/shop' }],
      },
      steps: 3,
    });
    // a: /shop (then purchase, no page) · b: /shop /shop collapsed · c, d, e never see /shop.
    expect(r.journeys).toBe(2);
    expect(steps(r)).toEqual([['/shop:2'], ['(exit):2']]);
  });

  it('a named goal with conditions as the end: backward from its last matching event', async () => {
    const goals = parseGoals([
      {
        name: 'Shop view',
        event: 'page_view',
        where: [{ param: 'page_location', op: 'regex', value: '/shop$' }],
      },
    ]);
    const r = await run({ end: { goal: 'Shop view' }, steps: 3, exclude: ['scroll'] }, goals);
    // a: page_view ×3 collapsed, session_start · b: page_view ×2 (scroll excluded), session_start.
    expect(r.direction).toBe('backward');
    expect(r.journeys).toBe(2);
    expect(steps(r)).toEqual([['page_view:2'], ['session_start:2'], ['(exit):2']]);
  });

  it('between a start and an end: from the first start to the first end after it', async () => {
    const r = await run({
      nodeType: 'page_path',
      start: 'session_start',
      end: 'purchase',
      steps: 5,
      collapseRepeats: false,
    });
    // Only a reaches purchase; its pages between session_start and purchase, then (exit).
    expect(r.direction).toBe('forward');
    expect(r.journeys).toBe(1);
    expect(steps(r)).toEqual([['/:1'], ['/?q=1:1'], ['/shop:1'], ['(exit):1']]);
    expect(edges(r)).toEqual(['1:/>/?q=1:1', '2:/?q=1>/shop:1', '3:/shop>(exit):1']);
  });

  it('between two events of one name: one event never serves both ends', async () => {
    const r = await run({ start: 'page_view', end: 'page_view', steps: 5, collapseRepeats: false });
    // a: page_view page_view · b: page_view scroll page_view · c, d, e: one page_view a session.
    expect(r.journeys).toBe(2);
    expect(steps(r)).toEqual([
      ['page_view:2'],
      ['page_view:1', 'scroll:1'],
      ['page_view:1', '(exit):1'],
      ['(exit):1'],
    ]);
  });

  it('channel paths: a user scope path is the sequence of the user’s sessions', async () => {
    const channels = await runQuery(engine, 'sessions_by_channel', {
      start_date: '2020-11-01',
      end_date: '2020-11-01',
      include_intraday: false,
    });
    const email = channels.rows.find((x) => x.source_medium === 'newsletter / email')?.channel;
    const direct = channels.rows.find((x) => x.source_medium === '(direct) / (none)')?.channel;
    const r = await run({ nodeType: 'channel', scope: 'user', steps: 3, collapseRepeats: false });
    expect(r.journeys).toBe(5);
    expect(steps(r)).toEqual([[`${direct}:5`], [`${email}:1`, '(exit):4'], [`${direct}:1`]]);
  });

  it('refuses bad specs with the field path', () => {
    const bad: [unknown, string][] = [
      [{ ...base, steps: 0 }, 'steps'],
      [{ ...base, nodeType: 'screen' }, 'nodeType'],
      [{ ...base, clean: [{ pattern: '(' }] }, 'clean[0].pattern'],
      [
        { ...base, start: { event: 'a', where: [{ param: 'x', op: 'gt', value: 'q' }] } },
        'start.where[0].value',
      ],
      [
        { ...base, end: { goal: 'g', where: [{ param: 'x', op: 'like', value: 'q' }] } },
        'end.where[0].op',
      ],
      [{ ...base, end: { event: 'a', where: [{ op: 'eq', value: 'q' }] } }, 'end.where[0]'],
      [{ ...base, start: { event: 'a', goal: 'b' } }, 'start'],
      [{ ...base, topK: 51 }, 'topK'],
      [{ ...base, dateRange: { start: '2020-11-02', end: '2020-11-01' } }, 'dateRange.end'],
      [{ ...base, extra: 1 }, '(spec)'],
    ];
    for (const [spec, field] of bad) {
      expect(() => parsePathsSpec(spec), field).toThrow(InputError);
      try {
        parsePathsSpec(spec);
      } catch (error) {
        expect((error as Error).message).toContain(field === '(spec)' ? 'extra' : `${field}:`);
      }
    }
  });

  it('refuses an unknown goal by its path', async () => {
    await expect(run({ end: { goal: 'nope' } })).rejects.toThrow(/end\.goal: no goal named "nope"/);
  });

  it('refuses a goal and anchor with more than 10 conditions in all, by its path', async () => {
    const where = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ param: `k${i}`, op: 'eq' as const, value: 'v' }));
    const goals = parseGoals([{ name: 'G', event: 'purchase', where: where(6) }]);
    await expect(run({ end: { goal: 'G', where: where(5) } }, goals)).rejects.toThrow(
      /^end\.where: goal "G" and the anchor have 11 conditions/,
    );
  });
});

describe('pathlight paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-paths-'));
  it('answers the JSON contract', async () => {
    const spec = join(dir, 'paths.json');
    writeFileSync(
      spec,
      JSON.stringify({
        ...base,
        nodeType: 'page_path',
        start: { event: 'session_start' },
        steps: 2,
        topK: 5,
      }),
    );
    const { code, stdout } = await runCommand(registerPaths, [
      'paths',
      '--db',
      db,
      '--spec',
      spec,
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      journeys: number;
      steps: { index: number; nodes: { node: string; count: number }[] }[];
      edges: unknown[];
    };
    expect(result.journeys).toBe(3);
    expect(result.steps[0]).toMatchObject({
      index: 1,
      nodes: [
        { node: '/', count: 2 },
        { node: '/shop', count: 1 },
      ],
    });
    expect(result.edges.length).toBeGreaterThan(0);
  });
  it('takes a goal with conditions from --goals as the end', async () => {
    const goals = join(dir, 'goals.yaml');
    writeFileSync(
      goals,
      '- name: Shop view\n  event: page_view\n  where: [{ param: page_location, op: regex, value: "/shop$" }]\n',
    );
    const spec = join(dir, 'to-goal.json');
    writeFileSync(
      spec,
      JSON.stringify({ ...base, end: { goal: 'Shop view' }, steps: 3, exclude: ['scroll'] }),
    );
    const args = ['paths', '--db', db, '--spec', spec, '--goals', goals, '--json'];
    const { code, stdout } = await runCommand(registerPaths, args);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { journeys: number; steps: { nodes: unknown[] }[] };
    expect(result.journeys).toBe(2);
    expect(result.steps.map((s) => s.nodes)).toEqual([
      [{ node: 'page_view', kind: 'node', count: 2 }],
      [{ node: 'session_start', kind: 'node', count: 2 }],
      [{ node: '(exit)', kind: 'exit', count: 2 }],
    ]);
  });
  it('exits 2 on a bad spec, naming the field', async () => {
    const spec = join(dir, 'bad.json');
    writeFileSync(spec, JSON.stringify({ ...base, steps: 'five' }));
    const { code, stderr } = await runCommand(registerPaths, ['paths', '--db', db, '--spec', spec]);
    expect(code).toBe(2);
    expect(stderr).toContain('steps:');
  });
});
