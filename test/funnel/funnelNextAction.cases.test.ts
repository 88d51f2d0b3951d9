import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFunnelSpec, type FunnelSpecInput } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { funnelTable, registerFunnel } from '../../src/cli/commands/funnel.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { referenceNextActions, type RefEvent } from './referenceFunnel.js';

const T0 = 1604188800000000; // 2020-11-01T00:00:00Z
const M = 60_000_000;

function ev(
  user: string,
  name: string,
  t: number,
  extra: { session?: number; bo?: number; bi?: number; loc?: string } = {},
): EventRow {
  return {
    event_date: '20201101',
    event_timestamp: T0 + t,
    event_name: name,
    user_pseudo_id: user,
    batch_ordering_id: extra.bo ?? null,
    batch_event_index: extra.bi ?? null,
    event_params: params({
      ga_session_id: extra.session ?? 1,
      ...(extra.loc === undefined ? {} : { page_location: extra.loc }),
    }),
  };
}

// view_item -> add_to_cart, window 5m. Every expected value below is worked out by hand from the
// semantics in sql/funnel_next_action.sql's header.
const ROWS: EventRow[] = [
  // u1: next click; after the cart, scroll.
  ev('u1', 'view_item', 0),
  ev('u1', 'click', M),
  ev('u1', 'add_to_cart', 2 * M),
  ev('u1', 'scroll', 3 * M),
  // u2: next click; never carts.
  ev('u2', 'view_item', 0),
  ev('u2', 'click', M),
  // u3: next search; nothing after the cart.
  ev('u3', 'view_item', 0),
  ev('u3', 'search', M),
  ev('u3', 'add_to_cart', 2 * M),
  // u4, ties without order keys: click and search share the view's timestamp but sort before
  // view_item by name, so they are not after it: next zoom.
  ev('u4', 'view_item', 0),
  ev('u4', 'click', 0),
  ev('u4', 'search', 0),
  ev('u4', 'zoom', M),
  // u5, ties told apart by order keys: click (index 0) is before the view (1), share (2) after.
  ev('u5', 'view_item', 0, { bo: 1, bi: 1 }),
  ev('u5', 'share', 0, { bo: 1, bi: 2 }),
  ev('u5', 'click', 0, { bo: 1, bi: 0 }),
  // u6: a doubly logged view (equal in every key) is not its own next action: scroll.
  ev('u6', 'view_item', 0),
  ev('u6', 'view_item', 0),
  ev('u6', 'scroll', M),
  // u7, window: the first cart (10m after the only earlier view) ends no valid chain; the first
  // valid one is at 14m (view at 12m), followed by share, not by the search after the first cart.
  ev('u7', 'view_item', 0),
  ev('u7', 'add_to_cart', 10 * M),
  ev('u7', 'search', 11 * M),
  ev('u7', 'view_item', 12 * M),
  ev('u7', 'add_to_cart', 14 * M),
  ev('u7', 'share', 15 * M),
  // u8: nothing after the view.
  ev('u8', 'view_item', 0),
  // u9, two sessions: as a user, next click (session 2) and after the cart scroll (session 1);
  // as sessions, session 1 goes on to scroll and session 2 carts, then has nothing.
  ev('u9', 'view_item', 0, { session: 1 }),
  ev('u9', 'click', M, { session: 2 }),
  ev('u9', 'view_item', 2 * M, { session: 2 }),
  ev('u9', 'add_to_cart', 3 * M, { session: 2 }),
  ev('u9', 'scroll', 4 * M, { session: 1 }),
  // begin_checkout -> purchase, next page: the path of the next page_view (other events skipped).
  // p1: a page_view at the checkout's own timestamp sorts after it by name: /cart; after the
  // purchase /thanks (fragment dropped).
  ev('p1', 'begin_checkout', 0),
  ev('p1', 'page_view', 0, { loc: 'https://shop.test/cart?step=1' }),
  ev('p1', 'purchase', 2 * M),
  ev('p1', 'page_view', 3 * M, { loc: 'https://shop.test/thanks#top' }),
  // p2: the click is skipped: /cart.
  ev('p2', 'begin_checkout', 0),
  ev('p2', 'click', M),
  ev('p2', 'page_view', 2 * M, { loc: 'https://shop.test/cart' }),
  // p3: the earlier page_view does not count; a location without a path is '/'; no page after
  // the purchase.
  ev('p3', 'page_view', 0, { loc: 'https://shop.test/' }),
  ev('p3', 'begin_checkout', M),
  ev('p3', 'page_view', 2 * M, { loc: 'http://shop.test' }),
  ev('p3', 'purchase', 3 * M),
  // p4: a page_view without page_location.
  ev('p4', 'begin_checkout', 0),
  ev('p4', 'page_view', M),
  // p5: two page_views equal in every key: the smallest path.
  ev('p5', 'begin_checkout', 0),
  ev('p5', 'page_view', M, { loc: 'https://shop.test/help?x=1' }),
  ev('p5', 'page_view', M, { loc: 'https://shop.test/faq' }),
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
const CART: Omit<FunnelSpecInput, 'dateRange'> = {
  window: '5m',
  steps: [{ event: 'view_item' }, { event: 'add_to_cart' }],
  nextAction: { by: 'event', top: 2 },
};
const run = (spec: Omit<FunnelSpecInput, 'dateRange'>) =>
  runFunnel(engine, parseFunnelSpec({ ...base, ...spec }));

describe('next action after each step (hand-computed)', () => {
  it('counts the event right after each unit’s first valid step event, top N, (other), (none)', async () => {
    const result = await run(CART);
    expect(result.steps.map((s) => s.count)).toEqual([9, 4]);
    // Step 1: click u1 u2 u9; add_to_cart u7; scroll u6, search u3, share u5, zoom u4 beyond the
    // top 2 (ties of one unit ranked by name); (none) u8. Carted: u1 u9, u7, u3.
    expect(result.steps[0]?.nextActions).toEqual([
      { value: 'click', units: 3, share: 0.3333, reachedNext: 2 },
      { value: 'add_to_cart', units: 1, share: 0.1111, reachedNext: 1 },
      { value: '(other)', units: 4, share: 0.4444, reachedNext: 1 },
      { value: '(none)', units: 1, share: 0.1111, reachedNext: 0 },
    ]);
    // Step 2 (after converting): scroll u1 u9, share u7 (after its valid cart), (none) u3.
    expect(result.steps[1]?.nextActions).toEqual([
      { value: 'scroll', units: 2, share: 0.5, reachedNext: null },
      { value: 'share', units: 1, share: 0.25, reachedNext: null },
      { value: '(none)', units: 1, share: 0.25, reachedNext: null },
    ]);
    // Units that did not go on add up to the step's abandonments.
    const dropped = (result.steps[0]?.nextActions ?? []).reduce(
      (sum, a) => sum + a.units - (a.reachedNext ?? 0),
      0,
    );
    expect(dropped).toBe(result.steps[0]?.abandonments);
  });

  it('keeps to each session’s own events in session scope', async () => {
    const result = await run({ ...CART, scope: 'session' });
    expect(result.unit).toBe('sessions');
    expect(result.steps.map((s) => s.count)).toEqual([10, 4]);
    // Step 1: add_to_cart u7 and u9/2, click u1 u2 (ties of two ranked by name); scroll u6 and
    // u9/1, search, share, zoom beyond; (none) u8.
    expect(result.steps[0]?.nextActions).toEqual([
      { value: 'add_to_cart', units: 2, share: 0.2, reachedNext: 2 },
      { value: 'click', units: 2, share: 0.2, reachedNext: 1 },
      { value: '(other)', units: 5, share: 0.5, reachedNext: 1 },
      { value: '(none)', units: 1, share: 0.1, reachedNext: 0 },
    ]);
    // u9's session 2 has nothing after its cart (the scroll is in session 1).
    expect(result.steps[1]?.nextActions).toEqual([
      { value: 'scroll', units: 1, share: 0.25, reachedNext: null },
      { value: 'share', units: 1, share: 0.25, reachedNext: null },
      { value: '(none)', units: 2, share: 0.5, reachedNext: null },
    ]);
  });

  it('counts pages by path: no scheme, host, query or fragment', async () => {
    const result = await run({
      steps: [{ event: 'begin_checkout' }, { event: 'purchase' }],
      nextAction: { by: 'page' },
    });
    expect(result.steps.map((s) => s.count)).toEqual([5, 2]);
    // '(not set)' sorts before '/' (byte order) among values of one unit.
    expect(result.steps[0]?.nextActions).toEqual([
      { value: '/cart', units: 2, share: 0.4, reachedNext: 1 },
      { value: '(not set)', units: 1, share: 0.2, reachedNext: 0 },
      { value: '/', units: 1, share: 0.2, reachedNext: 1 },
      { value: '/faq', units: 1, share: 0.2, reachedNext: 0 },
    ]);
    expect(result.steps[1]?.nextActions).toEqual([
      { value: '/thanks', units: 1, share: 0.5, reachedNext: null },
      { value: '(none)', units: 1, share: 0.5, reachedNext: null },
    ]);
  });

  it('leaves next actions out unless asked, and names a bad option', async () => {
    const result = await run({ steps: [{ event: 'view_item' }, { event: 'add_to_cart' }] });
    expect(result.steps[0]).not.toHaveProperty('nextActions');
    const bad = (nextAction: unknown) => () =>
      parseFunnelSpec({ ...base, steps: [{ event: 'a' }, { event: 'b' }], nextAction });
    expect(bad({ top: 11 })).toThrow('nextAction.top: expected 1 to 10');
    expect(bad({ top: 0 })).toThrow('nextAction.top: expected 1 to 10');
    expect(bad({ top: 2.5 })).toThrow('nextAction.top: expected 1 to 10');
    expect(bad({ by: 'screen' })).toThrow(/^nextAction\.by: /);
    expect(bad({ by: 'event', depth: 2 })).toThrow(/^nextAction: /);
    expect(
      parseFunnelSpec({ ...base, steps: [{ event: 'a' }, { event: 'b' }], nextAction: {} })
        .nextAction,
    ).toEqual({ by: 'event', top: 5 });
  });
});

/** `pathlight funnel ...` through the registered command, its stdout captured. */
async function funnelCli(args: string[]): Promise<string> {
  let stdout = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const program = new Command('pathlight').exitOverride();
  registerFunnel(program);
  try {
    await program.parseAsync(['node', 'pathlight', 'funnel', ...args]);
  } finally {
    out.mockRestore();
  }
  return stdout;
}

describe('the reference implementation on the same rows', () => {
  const refEvents: RefEvent[] = ROWS.map((r) => {
    const p = Object.fromEntries(
      (r.event_params as { key: string; value: Record<string, string | number | null> }[]).map(
        (x) => [x.key, x.value.string_value ?? x.value.int_value ?? ''],
      ),
    );
    return {
      user: r.user_pseudo_id as string,
      session: p.ga_session_id as number,
      name: r.event_name as string,
      ts: r.event_timestamp as number,
      bo: r.batch_ordering_id as number | null,
      bi: r.batch_event_index as number | null,
      params: (p.page_location === undefined ? {} : { page_location: p.page_location }) as Record<
        string,
        string | number
      >,
      fields: {},
    };
  });
  it('gives the hand-worked answers too', async () => {
    for (const spec of [
      CART,
      { ...CART, scope: 'session' as const },
      {
        steps: [{ event: 'begin_checkout' }, { event: 'purchase' }],
        nextAction: { by: 'page' as const },
      },
    ]) {
      const parsed = parseFunnelSpec({ ...base, ...spec });
      expect(referenceNextActions(parsed, refEvents)).toEqual(
        (await run(spec)).steps.map((s) => s.nextActions),
      );
    }
  });
});

describe('pathlight funnel with next actions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-next-'));
  const spec = join(dir, 'funnel.json');
  beforeAll(() => writeFileSync(spec, JSON.stringify({ ...base, ...CART })));

  it('answers them in the JSON contract', async () => {
    const result = JSON.parse(await funnelCli(['--db', db, '--spec', spec, '--json'])) as {
      steps: { nextActions: unknown[] }[];
    };
    expect(result.steps[1]?.nextActions).toEqual([
      { value: 'scroll', units: 2, share: 0.5, reachedNext: null },
      { value: 'share', units: 1, share: 0.25, reachedNext: null },
      { value: '(none)', units: 1, share: 0.25, reachedNext: null },
    ]);
  });

  it('prints them under each step of the table', async () => {
    const table = await funnelCli(['--db', db, '--spec', spec]);
    expect(table).toMatch(/1\. view_item\s+9 .*\n {5}then click\s+3\s+33\.3%\s+2 reached step 2\n/);
    expect(table).toMatch(/ {5}then \(other\)\s+4\s+44\.4%\s+1 reached step 2\n/);
    expect(table).toMatch(/2\. add_to_cart\s+4 .*\n {5}then scroll\s+2\s+50\.0%\n/);
    expect(table).toMatch(/ {5}then \(none\)\s+1\s+25\.0%\n/);
    expect(table).toBe(funnelTable(await run(CART)));
  });
});
