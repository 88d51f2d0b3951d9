import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttributionResult } from '../../src/analyses/attribution/runAttribution.js';
import { registerAttribution } from '../../src/cli/commands/attribution.js';
import { createEventsDb } from '../support/loadRows.js';
import { runCommand } from '../paths/cliHarness.js';
import { DAY, fromCampaign, journeyTables, purchase, type SessionSpec } from './journeyRows.js';

const dir = mkdtempSync(join(tmpdir(), 'pathlight-attribution-cli-'));
let n = 0;
function specFile(spec: unknown): string {
  const file = join(dir, `spec${(n += 1)}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}
const NOVEMBER = { start: '2020-11-01', end: '2020-11-30' };

async function attribution(sessions: SessionSpec[], spec: Record<string, unknown>) {
  const db = await createEventsDb(journeyTables(sessions), mkdtempSync(join(dir, 'db-')));
  const run = await runCommand(registerAttribution, [
    'attribution',
    '--db',
    db,
    '--spec',
    specFile({ dateRange: NOVEMBER, touchpoint: 'campaign', ...spec }),
    '--json',
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as AttributionResult;
}
const byChannel = (r: AttributionResult) =>
  Object.fromEntries(r.channels.map((c) => [c.channel, c]));

describe('published vector 1 (journeys.md §4) as GA4 sessions through the CLI', () => {
  // Paths A x2 converted, B x1 converted, A > B x1 converted, A x1 not converted; one user each.
  // u4's A session is 7 days before its B session, and the purchase 60 s into B: time decay
  // weights A at exactly half of B (ages 7d + 60s and 60s, half-life 7d).
  const sessions: SessionSpec[] = [
    {
      user: 'u1',
      sid: 1,
      start: 2 * DAY,
      arrival: fromCampaign('A'),
      // The export repeats the order: the second event is the same transaction and is not counted.
      events: [purchase(60, 'T1', 100), purchase(90, 'T1', 100)],
    },
    {
      user: 'u2',
      sid: 1,
      start: 3 * DAY,
      arrival: fromCampaign('A'),
      events: [purchase(60, 'T2', 100)],
    },
    {
      user: 'u3',
      sid: 1,
      start: 4 * DAY,
      arrival: fromCampaign('B'),
      events: [purchase(60, 'T3', 50)],
    },
    { user: 'u4', sid: 1, start: 5 * DAY, arrival: fromCampaign('A') },
    {
      user: 'u4',
      sid: 2,
      start: 12 * DAY,
      arrival: fromCampaign('B'),
      events: [purchase(60, 'T4', 40)],
    },
    { user: 'u5', sid: 1, start: 6 * DAY, arrival: fromCampaign('A') },
  ];

  it('reproduces the published credits, removal effects and totals', async () => {
    const r = await attribution(sessions, { goal: { event: 'purchase' } });
    expect(r.conversions).toBe(4);
    expect(r.revenue).toBe(290);
    expect(r.unattributed).toEqual({ conversions: 0, revenue: 0, withoutUser: 0 });
    expect(r.conversionProbability).toBe(0.8);
    const c = byChannel(r);
    expect(c.A?.removalEffect).toBe(0.75);
    expect(c.B?.removalEffect).toBe(0.5);
    expect(c.A?.conversions).toEqual({
      first_touch: 3,
      last_touch: 2,
      last_non_direct: 2,
      linear: 2.5,
      position_based: 2.5,
      time_decay: Number((2 + 1 / 3).toFixed(9)),
      markov: 2.4,
    });
    expect(c.B?.conversions).toEqual({
      first_touch: 1,
      last_touch: 2,
      last_non_direct: 2,
      linear: 1.5,
      position_based: 1.5,
      time_decay: Number((1 + 2 / 3).toFixed(9)),
      markov: 1.6,
    });
    // Revenue: A-only orders 100 + 100, B-only 50, A > B 40 (Markov: 290 x 0.6 / 0.4).
    expect(c.A?.revenue).toMatchObject({
      first_touch: 240,
      last_touch: 200,
      linear: 220,
      markov: 174,
    });
    expect(c.B?.revenue).toMatchObject({
      first_touch: 50,
      last_touch: 90,
      linear: 70,
      markov: 116,
    });
    expect(c.A?.changeVsLastTouch.markov).toBe(0.4);
    expect(c.B?.changeVsLastTouch.markov).toBe(-0.4);
  });

  it('lists the conversion paths with days and touchpoints, and the path lengths', async () => {
    const r = await attribution(sessions, { goal: { event: 'purchase' } });
    // Ordered by conversions, then revenue.
    expect(r.paths).toEqual([
      {
        path: ['A'],
        conversions: 2,
        nonConversions: 1,
        revenue: 200,
        meanDaysToConversion: Number((60 / DAY).toFixed(9)),
        touchpoints: 1,
      },
      {
        path: ['B'],
        conversions: 1,
        nonConversions: 0,
        revenue: 50,
        meanDaysToConversion: Number((60 / DAY).toFixed(9)),
        touchpoints: 1,
      },
      {
        path: ['A', 'B'],
        conversions: 1,
        nonConversions: 0,
        revenue: 40,
        meanDaysToConversion: Number(((7 * DAY + 60) / DAY).toFixed(9)),
        touchpoints: 2,
      },
    ]);
    expect(r.pathLengths).toEqual([
      { touchpoints: 1, conversions: 3, share: 0.75 },
      { touchpoints: 2, conversions: 1, share: 0.25 },
    ]);
    expect(r.nonConvertingPaths).toBe(1);
    expect(r.lookback).toBe('30d');
    expect(r.goal.value).toBe('ecommerce.purchase_revenue');
  });
});

describe('published vector 2 (journeys.md §4) as GA4 sessions through the CLI', () => {
  it('P = 1/3, removal effects 0.5 / 1 / 1, credit 0.2 / 0.4 / 0.4', async () => {
    const sessions: SessionSpec[] = [
      { user: 'v1', sid: 1, start: 2 * DAY, arrival: fromCampaign('C1') },
      { user: 'v1', sid: 2, start: 3 * DAY, arrival: fromCampaign('C2') },
      {
        user: 'v1',
        sid: 3,
        start: 4 * DAY,
        arrival: fromCampaign('C3'),
        events: [purchase(10, 'T', 0)],
      },
      { user: 'v2', sid: 1, start: 2 * DAY, arrival: fromCampaign('C1') },
      { user: 'v3', sid: 1, start: 2 * DAY, arrival: fromCampaign('C2') },
      { user: 'v3', sid: 2, start: 3 * DAY, arrival: fromCampaign('C3') },
    ];
    const r = await attribution(sessions, { goal: { event: 'purchase' } });
    expect(r.conversions).toBe(1);
    expect(r.conversionProbability).toBe(Number((1 / 3).toFixed(9)));
    const c = byChannel(r);
    expect([c.C1?.removalEffect, c.C2?.removalEffect, c.C3?.removalEffect]).toEqual([0.5, 1, 1]);
    expect([c.C1?.conversions.markov, c.C2?.conversions.markov, c.C3?.conversions.markov]).toEqual([
      0.2, 0.4, 0.4,
    ]);
  });
});
