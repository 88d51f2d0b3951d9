import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRetentionSpec } from '../../src/analyses/retention/retentionSpec.js';
import { periodStart, runRetention } from '../../src/analyses/retention/runRetention.js';
import { registerRetention } from '../../src/cli/commands/retention.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { runCommand } from '../paths/cliHarness.js';

const EVENTS: [string | null, string, string][] = [
  ['a', 'first_visit', '2020-11-02'],
  ['a', 'purchase', '2020-11-03'],
  ['a', 'page_view', '2020-11-10'],
  ['a', 'purchase', '2020-11-24'],
  ['b', 'first_visit', '2020-11-08'], // a Sunday: still the week of Monday 2 November
  ['c', 'first_visit', '2020-11-09'],
  ['c', 'page_view', '2020-11-16'],
  ['c', 'purchase', '2020-11-17'],
  ['d', 'page_view', '2020-11-05'], // no first_visit in the range
  [null, 'page_view', '2020-11-05'],
];

let db: string;
let engine: DuckdbEngine;
beforeAll(async () => {
  const tables: Record<string, EventRow[]> = {};
  for (const [user, name, day] of EVENTS) {
    const suffix = day.replaceAll('-', '');
    (tables[suffix] ??= []).push({
      event_date: suffix,
      event_timestamp: Date.parse(`${day}T12:00:00Z`) * 1000,
      event_name: name,
      user_pseudo_id: user,
      event_params: params({ ga_session_id: 1 }),
    });
  }
  db = await createEventsDb(tables);
  engine = await DuckdbEngine.open(db);
});
afterAll(async () => {
  await engine.close();
});
const base = { dateRange: { start: '2020-11-02', end: '2020-11-29' } };

describe('retention, worked by hand', () => {
  it('weekly cohorts by first visit, active share per week, repeat conversion', async () => {
    const r = await runRetention(engine, parseRetentionSpec({ ...base, periods: 2 }));
    expect(r.cohorts).toEqual([
      {
        cohort: '2020-11-02',
        users: 2,
        active: [
          { period: 0, users: 2, share: 1 },
          { period: 1, users: 1, share: 0.5 },
          { period: 2, users: 0, share: 0 },
        ],
        converters: 1,
        repeatConverters: 1,
        repeatConversionRate: 1,
      },
      {
        cohort: '2020-11-09',
        users: 1,
        active: [
          { period: 0, users: 1, share: 1 },
          { period: 1, users: 1, share: 1 },
          { period: 2, users: 0, share: 0 },
        ],
        converters: 1,
        repeatConverters: 0,
        repeatConversionRate: 0,
      },
    ]);
    expect(r.usersWithoutCohort).toBe(1);
    expect(r.eventsWithoutUser).toBe(1);
    expect([r.converters, r.repeatConverters, r.repeatConversionRate]).toEqual([2, 1, 0.5]);
  });

  it('monthly cohorts by first event: periods after the range are absent', async () => {
    const r = await runRetention(
      engine,
      parseRetentionSpec({ ...base, period: 'month', cohortBy: 'first_event' }),
    );
    expect(r.cohorts).toEqual([
      {
        cohort: '2020-11-01',
        users: 4,
        active: [{ period: 0, users: 4, share: 1 }],
        converters: 2,
        repeatConverters: 1,
        repeatConversionRate: 0.5,
      },
    ]);
    expect(r.usersWithoutCohort).toBe(0);
  });

  it('numbers weeks from Mondays and months from January', () => {
    expect(periodStart('week', Math.floor((Date.parse('2020-11-02') / 86_400_000 + 3) / 7))).toBe(
      '2020-11-02',
    );
    expect(periodStart('month', 2020 * 12 + 10)).toBe('2020-11-01');
  });

  it('refuses bad specs with the field path', () => {
    for (const [spec, field] of [
      [{ ...base, period: 'day' }, 'period:'],
      [{ ...base, periods: 0 }, 'periods:'],
      [{ ...base, cohortBy: 'x' }, 'cohortBy:'],
      [{ dateRange: { start: '2020-02-30', end: '2020-03-01' } }, 'dateRange.start:'],
    ] as const) {
      expect(() => parseRetentionSpec(spec)).toThrow(InputError);
      expect(() => parseRetentionSpec(spec)).toThrow(field);
    }
  });
});

describe('pathlight retention', () => {
  it('answers the JSON contract and exits 2 on a bad spec', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-retention-'));
    const spec = join(dir, 'retention.json');
    writeFileSync(spec, JSON.stringify({ ...base, periods: 2 }));
    const ok = await runCommand(registerRetention, [
      'retention',
      '--db',
      db,
      '--spec',
      spec,
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      period: 'week',
      converters: 2,
      repeatConverters: 1,
    });
    writeFileSync(spec, JSON.stringify({ ...base, periods: 99 }));
    const bad = await runCommand(registerRetention, ['retention', '--db', db, '--spec', spec]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('periods:');
  });
});
