import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseAttributionSpec,
  type AttributionSpecInput,
} from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { registerAttribution } from '../../src/cli/commands/attribution.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { createEventsDb } from '../support/loadRows.js';
import { runCommand } from '../paths/cliHarness.js';
import { DAY, journeyTables, purchase, type SessionSpec } from './journeyRows.js';

const organic = { source: 'google', medium: 'organic' };
const email = { source: 'newsletter', medium: 'email' };
const paidSocial = { source: 'facebook', medium: 'paid_social', campaign: 'retarget' };
const referral = { source: 'blog.example', medium: 'referral' };
const gclid = { gclid: 'abc' };

// Worked by hand below; days count from 2020-11-01 (day 0), the range is Nov 1 - Dec 15.
const SESSIONS: SessionSpec[] = [
  // a: organic then email (purchase A1), then direct (purchase A2: its path starts after A1),
  // then a gclid-only session with no purchase: a trailing non-converting path.
  { user: 'a', sid: 1, start: 1 * DAY, arrival: organic },
  { user: 'a', sid: 2, start: 10 * DAY, arrival: email, events: [purchase(100, 'A1', 30)] },
  { user: 'a', sid: 3, start: 12 * DAY, events: [purchase(50, 'A2', 20)] },
  { user: 'a', sid: 4, start: 20 * DAY, arrival: gclid },
  // b: a referral 31 days before the purchase falls outside the 30-day lookback.
  { user: 'b', sid: 1, start: 1 * DAY, arrival: referral },
  { user: 'b', sid: 2, start: 32 * DAY, arrival: paidSocial, events: [purchase(60, 'B1', 40)] },
  // c: two orders in one email session; the second's path is its own session.
  {
    user: 'c',
    sid: 1,
    start: 3 * DAY,
    arrival: email,
    events: [purchase(10, 'C1', 5), purchase(20, 'C2', 6)],
  },
  // d: one order exported twice (value 10, then 15): one conversion in the organic session, worth
  // 15; the direct session after it is a non-converting path.
  { user: 'd', sid: 1, start: 4 * DAY, arrival: organic, events: [purchase(30, 'D1', 10)] },
  { user: 'd', sid: 2, start: 5 * DAY, events: [purchase(30, 'D1', 15)] },
  // e: a conversion before the range (Oct 20) bounds the path of the one in the range.
  { user: 'e', sid: 1, start: -12 * DAY, arrival: email, events: [purchase(5, 'E0', 99)] },
  { user: 'e', sid: 2, start: 4 * DAY, arrival: organic, events: [purchase(5, 'E1', 12)] },
  // f: never converts; its direct session is more than 30 days before its last (email) one.
  { user: 'f', sid: 1, start: 1 * DAY },
  { user: 'f', sid: 2, start: 40 * DAY, arrival: email },
  // Consent mode: no user, no session; counted, not attributed.
  { user: null, sid: 0, start: 6 * DAY, events: [purchase(1, 'X1', 7)] },
];

let db: string;
let engine: DuckdbEngine;
beforeAll(async () => {
  db = await createEventsDb(journeyTables(SESSIONS));
  engine = await DuckdbEngine.open(db);
});
afterAll(async () => {
  await engine.close();
});

const run = (spec: Partial<AttributionSpecInput> = {}) =>
  runAttribution(
    engine,
    parseAttributionSpec({
      dateRange: { start: '2020-11-01', end: '2020-12-15' },
      goal: { event: 'purchase' },
      ...spec,
    }),
  );
const credit = (r: Awaited<ReturnType<typeof run>>, model: 'first_touch' | 'last_touch') =>
  Object.fromEntries(r.channels.map((c) => [c.channel, c.conversions[model]]));
const paths = (r: Awaited<ReturnType<typeof run>>) =>
  r.paths.map((p) => `${p.path.join(' > ')}: ${p.conversions}/${p.nonConversions}/${p.revenue}`);

describe('conversion paths from GA4 sessions, worked by hand', () => {
  it('channels: lookback, previous conversion, own session, repeated orders, consent mode', async () => {
    const r = await run();
    expect(r.conversions).toBe(7);
    expect(r.revenue).toBe(30 + 20 + 40 + 5 + 6 + 15 + 12);
    expect(r.unattributed).toEqual({ conversions: 1, revenue: 7, withoutUser: 1 });
    expect(paths(r)).toEqual([
      'Organic Search: 2/0/27',
      'Email: 2/1/11',
      'Paid Social: 1/0/40',
      'Organic Search > Email: 1/0/30',
      'Direct: 1/1/20',
    ]);
    expect(r.nonConvertingPaths).toBe(3);
    expect(credit(r, 'last_touch')).toEqual({
      Email: 3,
      'Organic Search': 2,
      Direct: 1,
      'Paid Social': 1,
      'Paid Search': 0,
    });
    expect(credit(r, 'first_touch')).toEqual({
      'Organic Search': 3,
      Email: 2,
      Direct: 1,
      'Paid Social': 1,
      'Paid Search': 0,
    });
    const twoTouch = r.paths.find((p) => p.path.length === 2);
    expect(twoTouch?.meanDaysToConversion).toBe(Number(((9 * DAY + 100) / DAY).toFixed(9)));
    expect(r.pathLengths).toEqual([
      { touchpoints: 1, conversions: 6, share: Number((6 / 7).toFixed(9)) },
      { touchpoints: 2, conversions: 1, share: Number((1 / 7).toFixed(9)) },
    ]);
  });

  it('a shorter lookback drops the organic touch 9 days before the email purchase', async () => {
    const r = await run({ lookback: '7d' });
    expect(paths(r)).toEqual([
      'Email: 3/1/41',
      'Organic Search: 2/0/27',
      'Paid Social: 1/0/40',
      'Direct: 1/1/20',
    ]);
  });

  it('source / medium and campaign touchpoints; gclid reads as google / cpc', async () => {
    const sm = await run({ touchpoint: 'source_medium' });
    expect(paths(sm)).toContain('google / organic > newsletter / email: 1/0/30');
    expect(paths(sm)).toContain('(direct) / (none): 1/1/20');
    expect(sm.channels.map((c) => c.channel)).toContain('google / cpc');
    const campaign = await run({ touchpoint: 'campaign' });
    expect(paths(campaign)).toContain('retarget: 1/0/40');
    // last non-direct passes over the direct touch only when there is another one.
    const direct = campaign.channels.find((c) => c.channel === '(direct)');
    expect(direct?.conversions.last_non_direct).toBe(1);
  });

  it('goal conditions and value sources', async () => {
    const onlyA = await run({
      goal: {
        event: 'purchase',
        where: [{ param: 'transaction_id', op: 'starts_with', value: 'A' }],
      },
    });
    expect(paths(onlyA)).toEqual(['Organic Search > Email: 1/0/30', 'Direct: 1/0/20']);
    // Everyone else did not convert: a (after A2), b (day 1 is beyond 30 days of day 32), c, d, e
    // (its October session is before the range), f.
    expect(onlyA.nonConvertingPaths).toBe(6);
    const noValue = await run({ goal: { event: 'purchase', value: 'none' } });
    expect(noValue.revenue).toBe(0);
    expect(noValue.conversions).toBe(7);
  });
});

describe('pathlight attribution: bad specs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-attribution-bad-'));
  it.each([
    [{ lookback: '120d' }, 'lookback: expected at most 90d'],
    [{ touchpoint: 'page' }, 'touchpoint:'],
    [
      { goal: { event: 'purchase', where: [{ param: 'x', op: 'like', value: 1 }] } },
      'goal.where[0].op:',
    ],
    [{ goal: {} }, 'goal.event:'],
    [{ halfLife: 'week' }, 'halfLife: expected a duration'],
  ])('%j names the field and exits 2', async (override, message) => {
    const file = join(dir, `${Math.random()}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        dateRange: { start: '2020-11-01', end: '2020-11-30' },
        goal: { event: 'purchase' },
        ...override,
      }),
    );
    const r = await runCommand(registerAttribution, ['attribution', '--db', db, '--spec', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('prints a readable table without --json', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(
      file,
      JSON.stringify({
        dateRange: { start: '2020-11-01', end: '2020-12-15' },
        goal: { event: 'purchase' },
      }),
    );
    const r = await runCommand(registerAttribution, ['attribution', '--db', db, '--spec', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('7 conversions of purchase');
    expect(r.stdout).toContain('1 more conversions have no path (1 without user_pseudo_id)');
    expect(r.stdout).toMatch(/Email\s+2\.00\s+3\.00/);
    expect(r.stdout).toContain('Organic Search > Email');
  });
});
