import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/main/startService.js';
import { RANGE } from './support/eventsFixture.js';
import { call, startTestService } from './support/testApp.js';

let service: RunningService;
let auth: Record<string, string>;
const api = (path: string, init: Parameters<typeof call>[1] = {}) =>
  call(`${service.url}/api${path}`, { ...init, headers: { ...auth, ...init.headers } });

beforeAll(async () => {
  service = await startTestService();
  auth = { Authorization: `Bearer ${service.adminToken}` };
});
afterAll(() => service.stop());

describe('POST /api/attribution/run', () => {
  it('answers the contract: the fixture’s two purchases come from direct sessions', async () => {
    // u1 buys for 30 on day 1, u3 for 12 on day 2; no session carries campaign data.
    const res = await api('/attribution/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        goal: { event: 'purchase', value: 'param:value' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      conversions: 2,
      revenue: 42,
      touchpoint: 'channel',
      lookback: '30d',
      unattributed: { conversions: 0, revenue: 0, withoutUser: 0 },
    });
    const all = (x: number) => ({
      first_touch: x,
      last_touch: x,
      last_non_direct: x,
      linear: x,
      position_based: x,
      time_decay: x,
      markov: x,
    });
    expect(res.body.channels).toEqual([
      {
        channel: 'Direct',
        conversions: all(2),
        revenue: all(42),
        removalEffect: 1,
        changeVsLastTouch: all(0),
      },
    ]);
    // u2, u4, u5 visited without buying: three one-session direct paths.
    expect(res.body.paths).toEqual([
      {
        path: ['Direct'],
        conversions: 2,
        nonConversions: 3,
        revenue: 42,
        // Sessions start at the first page view: 120 s and 180 s before the purchases.
        meanDaysToConversion: Number((150 / 86400).toFixed(9)),
        touchpoints: 1,
      },
    ]);
    expect(Object.keys(res.body.models)).toHaveLength(7);
  });

  it('answers a bad spec with 400 and the field', async () => {
    const res = await api('/attribution/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        goal: { event: 'purchase' },
        touchpoint: 'page',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', field: 'touchpoint' });
  });
});
