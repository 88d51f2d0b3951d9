import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextModel } from '../../src/analyses/predict/contextModel.js';
import { predictQuery, predictWindow } from '../../src/analyses/predict/predictQuery.js';
import { parsePredictSpec, type PredictSpecInput } from '../../src/analyses/predict/predictSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { Row } from '../../src/engines/normalize.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';

/**
 * Worked by hand. Cutoff: the end of 2020-11-10; horizon 1 day; train 10 days; noise excluded.
 * u1 (day 1): page_view, scroll, view_item, view_item, add_to_cart, purchase: runs pv, vi, atc,
 *   purchase; every position but the purchase has the purchase within the day.
 * u2 (day 2): page_view, view_item, user_engagement; (day 4) page_view: the day-4 page view is
 *   more than a day after the view_item, so that position has no next step within the horizon.
 * u3 (day 10, 23:30): page_view, too late to be a training position (its horizon passes the
 *   cutoff); after the cutoff (day 11): view_item, purchase.
 */
const at = (day: number, hour: number, minute = 0) => Date.UTC(2020, 10, day, hour, minute) * 1000;
const ev = (user: string, name: string, us: number): EventRow => ({
  event_date: new Date(us / 1000).toISOString().slice(0, 10).replaceAll('-', ''),
  event_timestamp: us,
  event_name: name,
  user_pseudo_id: user,
  event_params: params({ ga_session_id: Math.floor(us / 86_400_000_000) }),
});
const EVENTS = [
  ev('u1', 'page_view', at(1, 10, 0)),
  ev('u1', 'scroll', at(1, 10, 1)),
  ev('u1', 'view_item', at(1, 10, 2)),
  ev('u1', 'view_item', at(1, 10, 3)),
  ev('u1', 'add_to_cart', at(1, 10, 4)),
  ev('u1', 'purchase', at(1, 10, 5)),
  ev('u2', 'page_view', at(2, 9, 0)),
  ev('u2', 'view_item', at(2, 9, 1)),
  ev('u2', 'user_engagement', at(2, 9, 2)),
  ev('u2', 'page_view', at(4, 9, 0)),
  ev('u3', 'page_view', at(10, 23, 30)),
  ev('u3', 'view_item', at(11, 0, 30)),
  ev('u3', 'purchase', at(11, 0, 40)),
];

let engine: DuckdbEngine;
beforeAll(async () => {
  const tables: Record<string, EventRow[]> = {};
  for (const e of EVENTS) (tables[e.event_date as string] ??= []).push(e);
  engine = await DuckdbEngine.open(await createEventsDb(tables));
});
afterAll(async () => {
  await engine.close();
});

const SPEC: PredictSpecInput = {
  goal: 'purchase',
  asOf: '2020-11-10',
  horizonDays: 1,
  trainDays: 10,
  activeDays: 10,
  includeIntraday: false,
};
async function counts(input: Partial<PredictSpecInput> = {}) {
  const spec = parsePredictSpec({ ...SPEC, ...input });
  const q = predictQuery(spec, predictWindow(spec, spec.asOf as string));
  const contexts = await runQuery(engine, 'predict_contexts', q.contexts, { context: q.context });
  const users = await runQuery(engine, 'predict_users', q.users, { context: q.context });
  return { contexts: contexts.rows, users: users.rows };
}
const row = (
  order: number,
  c: (string | null)[],
  next: string | null,
  positions: number,
  goals: number,
) => ({
  context_order: order,
  c1: c[0] ?? null,
  c2: c[1] ?? null,
  c3: c[2] ?? null,
  next_node: next,
  positions,
  goals,
});

describe('context counts, worked by hand', () => {
  it('counts positions per context of 1 to 3 runs, noise excluded, repeats one run', async () => {
    const { contexts } = await counts();
    expect(contexts).toEqual([
      row(1, ['add_to_cart'], 'purchase', 1, 1),
      row(1, ['page_view'], null, 1, 0),
      row(1, ['page_view'], 'view_item', 2, 1),
      row(1, ['purchase'], null, 1, 0),
      row(1, ['view_item'], null, 1, 0),
      row(1, ['view_item'], 'add_to_cart', 1, 1),
      row(2, ['add_to_cart', 'view_item'], 'purchase', 1, 1),
      row(2, ['page_view', 'view_item'], null, 1, 0),
      row(2, ['purchase', 'add_to_cart'], null, 1, 0),
      row(2, ['view_item', 'page_view'], null, 1, 0),
      row(2, ['view_item', 'page_view'], 'add_to_cart', 1, 1),
      row(3, ['add_to_cart', 'view_item', 'page_view'], 'purchase', 1, 1),
      row(3, ['page_view', 'view_item', 'page_view'], null, 1, 0),
      row(3, ['purchase', 'add_to_cart', 'view_item'], null, 1, 0),
    ]);
  });

  it('with no exclusions, noise events are steps of their own', async () => {
    const { contexts } = await counts({ exclude: [] });
    const first = contexts.filter((r) => r.context_order === 1);
    // u1: page_view → scroll → view_item; u2: view_item → user_engagement → (2 days) page_view.
    expect(first.filter((r) => r.c1 === 'scroll')).toEqual([row(1, ['scroll'], 'view_item', 1, 1)]);
    expect(first.filter((r) => r.c1 === 'user_engagement')).toEqual([
      row(1, ['user_engagement'], null, 1, 0),
    ]);
    expect(first.filter((r) => r.c1 === 'page_view')).toEqual([
      row(1, ['page_view'], null, 1, 0),
      row(1, ['page_view'], 'scroll', 1, 1),
      row(1, ['page_view'], 'view_item', 1, 0),
    ]);
  });

  it('places each active user at the cutoff, with their stage and what came next', async () => {
    const { users } = await counts();
    expect(users).toEqual([
      // Default stage map: purchase is Decision (3), view_item Consideration (2), page_view Awareness (1).
      {
        user_pseudo_id: 'u1',
        c1: 'purchase',
        c2: 'add_to_cart',
        c3: 'view_item',
        last_us: at(1, 10, 5),
        stage: 3,
        next_node: null,
        goal: false,
      },
      {
        user_pseudo_id: 'u2',
        c1: 'page_view',
        c2: 'view_item',
        c3: 'page_view',
        last_us: at(4, 9, 0),
        stage: 2,
        next_node: null,
        goal: false,
      },
      {
        user_pseudo_id: 'u3',
        c1: 'page_view',
        c2: null,
        c3: null,
        last_us: at(10, 23, 30),
        stage: 1,
        next_node: 'view_item',
        goal: true,
      },
    ]);
  });

  it('only users active in the last days are placed', async () => {
    const { users } = await counts({ activeDays: 7 });
    expect(users.map((u) => u.user_pseudo_id)).toEqual(['u2', 'u3']);
  });
});

describe('back-off, worked by hand on the counts above', () => {
  let rows: Row[];
  beforeAll(async () => {
    rows = (await counts()).contexts;
  });

  it('uses the longest context with enough support, shrinking each order toward the one below', () => {
    const model = ContextModel.fit(rows, 3, 2);
    // 7 positions, 3 with the goal: order 0 gives 3/7. view_item: 2 positions, 1 goal:
    // (1 + 3/7) / 3 = 10/21. (view_item, page_view): 2 positions, 1 goal: (1 + 10/21) / 3 = 31/63.
    const p = model.predict(['view_item', 'page_view', null]);
    expect(p.order).toBe(2);
    expect(p.support).toBe(2);
    expect(p.goal).toBeCloseTo(31 / 63, 12);
    expect(p.next).toEqual([{ node: 'add_to_cart', probability: 0.5 }]);
    expect(p.none).toBe(0.5);
  });

  it('backs off to the overall rate when even the latest step is too rare', () => {
    const p = ContextModel.fit(rows, 3, 2).predict(['add_to_cart', 'view_item', 'page_view']);
    // add_to_cart has 1 position (< 2): every position counts. Next: view_item 2, then
    // add_to_cart and purchase 1 each (ties by name), none 3, of 7.
    expect([p.order, p.support]).toEqual([0, 7]);
    expect(p.goal).toBeCloseTo(3 / 7, 12);
    expect(p.next).toEqual([
      { node: 'view_item', probability: 2 / 7 },
      { node: 'add_to_cart', probability: 1 / 7 },
      { node: 'purchase', probability: 1 / 7 },
    ]);
    expect(p.none).toBeCloseTo(3 / 7, 12);
  });

  it('goes to order 3 with support 1, and stops at maxOrder', () => {
    // 3/7 → (1 + 3/7)/2 = 5/7 → (1 + 5/7)/2 = 6/7 → (1 + 6/7)/2 = 13/14.
    const ctx = ['add_to_cart', 'view_item', 'page_view'];
    const full = ContextModel.fit(rows, 3, 1).predict(ctx);
    expect([full.order, full.goal]).toEqual([3, expect.closeTo(13 / 14, 12)]);
    const first = ContextModel.fit(rows, 1, 1).predict(ctx);
    expect([first.order, first.goal]).toEqual([1, expect.closeTo(5 / 7, 12)]);
    const none = ContextModel.fit(rows, 0, 1).predict(ctx);
    expect([none.order, none.goal]).toEqual([0, expect.closeTo(3 / 7, 12)]);
  });

  it('an unseen context backs off to the longest seen one', () => {
    const p = ContextModel.fit(rows, 3, 1).predict(['view_item', 'never_seen', null]);
    expect([p.order, p.goal]).toEqual([1, expect.closeTo(10 / 21, 12)]);
  });
});
