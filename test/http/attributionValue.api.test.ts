import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAdCosts } from '../../src/importer/costs/importAdCosts.js';
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';
import type { RunningService } from '../../src/main/startService.js';
import { webTables, writeOfflineCsv } from '../identity/stitchedJourneys.js';
import { createEventsDb } from '../support/loadRows.js';
import { call, startTestService } from './support/testApp.js';

// The stitched journeys of test/identity/stitchedJourneys.ts with a cost file; every number
// below is the one worked by hand in identity.cases.test.ts and touchpointValue.test.ts.
let service: RunningService;
let auth: Record<string, string>;
beforeAll(async () => {
  const db = await createEventsDb(webTables());
  await importOfflineEvents(db, [writeOfflineCsv(dirname(db))]);
  const costs = join(dirname(db), 'costs.csv');
  writeFileSync(
    costs,
    [
      'date,utm_source,utm_medium,utm_id,utm_campaign,impressions,clicks,cost,currency',
      '2020-11-03,facebook,paid_social,fb1,retarget,1000,50,40.00,EUR',
      '2020-11-04,facebook,paid_social,fb1,retarget,500,10,20,EUR',
      '2020-11-02,newsletter,email,nl1,,,,5,EUR',
      '2020-11-01,google,cpc,g1,brand,100,10,30,EUR',
    ].join('\n'),
  );
  await importAdCosts(db, costs);
  service = await startTestService({ PATHLIGHT_DUCKDB_FILE: db, PATHLIGHT_BROWSER_PATH: 'none' });
  auth = { Authorization: `Bearer ${service.adminToken}` };
});
afterAll(() => service?.stop());

const run = (extra: Record<string, unknown> = {}) =>
  call(`${service.url}/api/attribution/run`, {
    method: 'POST',
    headers: auth,
    body: {
      dateRange: { start: '2020-11-01', end: '2020-11-30' },
      goal: { event: 'purchase' },
      ...extra,
    },
  });

describe('POST /api/attribution/run across devices, offline rows and costs', () => {
  it('blended by default: alice’s devices and till purchase are one journey, with cost, CPA and ROAS', async () => {
    const res = await run();
    expect(res.status).toBe(200);
    expect([res.body.conversions, res.body.revenue]).toEqual([3, 180]);
    const value = res.body.value as {
      currency: string;
      touchpoints: { touchpoint: string; cost: number | null; models: Record<string, unknown> }[];
      costWithoutTouches: number;
    };
    expect(value.currency).toBe('EUR');
    const row = (name: string) => value.touchpoints.find((t) => t.touchpoint === name);
    expect(row('Paid Social')?.cost).toBe(60);
    expect(row('Paid Social')?.models.linear).toEqual({
      conversions: 0.2,
      revenue: 20,
      cpa: 300,
      roas: 0.333333333,
    });
    expect(row('Email')?.models.linear).toEqual({
      conversions: 0.2,
      revenue: 20,
      cpa: 25,
      roas: 4,
    });
    expect(value.costWithoutTouches).toBe(30);
  });

  it('identity device: offline rows with only a user_id join no journey', async () => {
    const res = await run({ identity: 'device' });
    expect(res.status).toBe(200);
    expect([res.body.conversions, res.body.revenue]).toEqual([1, 50]);
    expect(res.body.unattributed).toEqual({ conversions: 2, revenue: 130, withoutUser: 2 });
  });

  it('identity user_id: bob never signed in, so his order has no person', async () => {
    const res = await run({ identity: 'user_id' });
    expect([res.body.conversions, res.body.revenue]).toEqual([2, 130]);
  });

  it('refuses an identity it does not know, naming the field', async () => {
    const res = await run({ identity: 'household' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('identity');
  });
});
