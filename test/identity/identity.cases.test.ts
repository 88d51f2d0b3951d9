import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { parsePathsSpec } from '../../src/analyses/paths/pathsSpec.js';
import { runPaths } from '../../src/analyses/paths/runPaths.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';
import type { Identity } from '../../src/sql/vocabulary/identity.js';
import { runIdentityStats } from '../../src/analyses/identity/identityStats.js';
import { createEventsDb } from '../support/loadRows.js';
import { webTables, writeOfflineCsv } from './stitchedJourneys.js';

// Expected values are worked by hand from the journeys described in stitchedJourneys.ts.
const RANGE = { start: '2020-11-01', end: '2020-11-30' };
let engine: DuckdbEngine;
beforeAll(async () => {
  const db = await createEventsDb(webTables());
  await importOfflineEvents(db, [writeOfflineCsv(dirname(db))]);
  engine = await DuckdbEngine.open(db);
});
afterAll(async () => engine.close());

const attribution = (identity?: Identity) =>
  runAttribution(
    engine,
    parseAttributionSpec({ dateRange: RANGE, goal: { event: 'purchase' }, identity }),
  );
const credit = (
  result: Awaited<ReturnType<typeof attribution>>,
  model: 'first_touch' | 'last_touch' | 'linear',
) =>
  Object.fromEntries(
    result.channels
      .filter((c) => c.conversions[model] > 0)
      .map((c) => [c.channel, c.conversions[model]]),
  );

describe('attribution by identity', () => {
  it('blended (the default): both of alice’s devices and her offline rows are one journey; d4 is erin’s', async () => {
    const r = await attribution();
    expect(r.conversions).toBe(3);
    expect(r.revenue).toBe(180);
    expect(r.unattributed).toEqual({ conversions: 0, revenue: 0, withoutUser: 0 });
    // alice: d1 organic, d1 email, d2 paid social, the store visit, the till purchase (its own touch).
    expect(r.paths.map((p) => [p.path, p.conversions, p.revenue])).toEqual([
      [['Organic Search', 'Email', 'Paid Social', 'Offline', 'Offline'], 1, 100],
      [['Organic Search'], 1, 50],
      [['Referral', 'Direct', 'Offline'], 1, 30],
    ]);
    expect(credit(r, 'first_touch')).toEqual({ 'Organic Search': 2, Referral: 1 });
    expect(credit(r, 'last_touch')).toEqual({ Offline: 2, 'Organic Search': 1 });
    // alice 1/5 per touch, bob 1 to organic, erin 1/3 per touch.
    expect(credit(r, 'linear')).toEqual({
      'Organic Search': 1.2,
      Email: 0.2,
      'Paid Social': 0.2,
      Offline: 0.733333333,
      Referral: 0.333333333,
      Direct: 0.333333333,
    });
    // bob's phone call after his order (client_id only) and carol's call: non-converting paths.
    expect(r.nonConvertingPaths).toBe(2);
  });

  it('device: offline rows with only a user_id cannot join a journey', async () => {
    const r = await attribution('device');
    expect(r.conversions).toBe(1);
    expect(r.revenue).toBe(50);
    expect(r.unattributed).toEqual({ conversions: 2, revenue: 130, withoutUser: 2 });
    expect(r.paths.map((p) => p.path)).toEqual([['Organic Search']]);
    // d1 organic > email, d2 paid social, d3's phone call, d4 referral > direct.
    expect(r.nonConvertingPaths).toBe(4);
  });

  it('user_id: bob never logged in, so his order has no person', async () => {
    const r = await attribution('user_id');
    expect(r.conversions).toBe(2);
    expect(r.revenue).toBe(130);
    expect(r.unattributed).toEqual({ conversions: 1, revenue: 50, withoutUser: 1 });
    expect(credit(r, 'first_touch')).toEqual({ 'Organic Search': 1, Referral: 1 });
    expect(r.nonConvertingPaths).toBe(1);
  });
});

describe('funnel page_view > add_to_cart > purchase by identity', () => {
  const counts = async (identity: Identity) =>
    (
      await runFunnel(
        engine,
        parseFunnelSpec({
          dateRange: RANGE,
          identity,
          steps: [{ event: 'page_view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
        }),
      )
    ).steps.map((s) => s.count);
  it('device: d1 views, d2 and d4 add to cart, only d3 buys online', async () => {
    expect(await counts('device')).toEqual([4, 3, 1]);
  });
  it('blended: alice, bob and erin each complete it across devices and the till', async () => {
    expect(await counts('blended')).toEqual([3, 3, 3]);
  });
  it('user_id: alice and erin only', async () => {
    expect(await counts('user_id')).toEqual([2, 2, 2]);
  });
});

describe('paths after add_to_cart by identity (user scope, events)', () => {
  const step2 = async (identity: Identity) => {
    const r = await runPaths(
      engine,
      parsePathsSpec({
        dateRange: RANGE,
        identity,
        scope: 'user',
        start: 'add_to_cart',
        steps: 2,
        exclude: ['session_start'],
      }),
    );
    expect(r.steps[0]?.nodes.map((n) => [n.node, n.count])).toEqual([
      ['add_to_cart', identity === 'user_id' ? 2 : 3],
    ]);
    return r.steps[1]?.nodes.map((n) => [n.node, n.count]);
  };
  it('device: only d3 goes on, to its purchase', async () => {
    expect(await step2('device')).toEqual([
      ['purchase', 1],
      ['(exit)', 2],
    ]);
  });
  it('blended: alice goes to the store, bob and erin buy', async () => {
    expect(await step2('blended')).toEqual([
      ['purchase', 2],
      ['store_visit', 1],
    ]);
  });
  it('user_id: alice to the store, erin buys', async () => {
    expect(await step2('user_id')).toEqual([
      ['purchase', 1],
      ['store_visit', 1],
    ]);
  });
});

describe('identity stats for the data-quality box', () => {
  it('d1, d2 and d4 were seen with a user_id; carol’s call matches no web journey', async () => {
    expect(await runIdentityStats(engine, RANGE, false)).toEqual({
      stitchedDevices: 3,
      // alice, dave and erin signed in on the website; carol never did.
      signedInUsers: 3,
      offlineEvents: 5,
      offlineUnmatched: 1,
    });
  });
});
