import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { ImportError } from '../../src/errors/errors.js';
import { importAdCosts } from '../../src/importer/costs/importAdCosts.js';
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';
import { webTables, writeOfflineCsv } from '../identity/stitchedJourneys.js';
import { runCli } from '../support/runCli.js';
import { createEventsDb } from '../support/loadRows.js';

const HEADER = 'date,utm_source,utm_medium,utm_id,utm_campaign,impressions,clicks,cost,currency';
const COSTS = [
  HEADER,
  '2020-11-03,facebook,paid_social,fb1,retarget,1000,50,40.00,EUR',
  '2020-11-04,facebook,paid_social,fb1,retarget,500,10,20,EUR',
  '2020-11-02,newsletter,email,nl1,,,,5,EUR',
  '2020-11-01,google,cpc,g1,brand,100,10,30,EUR',
  // Outside the range: not summed.
  '2020-12-05,facebook,paid_social,fb1,retarget,100,1,999,EUR',
];
const write = (dir: string, name: string, lines: string[]) => {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};

describe('touchpoint value: cost, CPA and ROAS per model (the stitched journeys, blended)', () => {
  let db: string;
  let engine: DuckdbEngine | undefined;
  beforeAll(async () => {
    db = await createEventsDb(webTables());
    await importOfflineEvents(db, [writeOfflineCsv(dirname(db))]);
  });
  afterAll(async () => engine?.close());

  it('is null before any cost import, then worked by hand from the cost file', async () => {
    const spec = parseAttributionSpec({
      dateRange: { start: '2020-11-01', end: '2020-11-30' },
      goal: { event: 'purchase' },
    });
    const open = await DuckdbEngine.open(db);
    expect((await runAttribution(open, spec)).value).toBeNull();
    await open.close();
    expect(await importAdCosts(db, write(dirname(db), 'costs.csv', COSTS))).toEqual({
      file: 'costs.csv',
      rows: 5,
      added: 5,
      replaced: 0,
      currency: 'EUR',
    });
    engine = await DuckdbEngine.open(db);
    const value = (await runAttribution(engine, spec)).value;
    expect(value?.currency).toBe('EUR');
    // Costed first (most spent first), then by linear credit.
    expect(value?.touchpoints.map((t) => [t.touchpoint, t.cost, t.clicks, t.impressions])).toEqual([
      ['Paid Social', 60, 60, 1500],
      ['Paid Search', 30, 10, 100],
      ['Email', 5, 0, 0],
      ['Organic Search', null, null, null],
      ['Offline', null, null, null],
      ['Direct', null, null, null],
      ['Referral', null, null, null],
    ]);
    const row = (name: string) => value?.touchpoints.find((t) => t.touchpoint === name);
    // Linear: paid social and email each earn 1/5 of alice's order (100).
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
    // First and last touch give paid social nothing: no CPA or ROAS, the cost stays.
    expect(row('Paid Social')?.models.first_touch).toEqual({
      conversions: 0,
      revenue: 0,
      cpa: null,
      roas: null,
    });
    // No cost imported for organic: CPA and ROAS unknown, not zero.
    expect(row('Organic Search')?.models.linear).toEqual({
      conversions: 1.2,
      revenue: 70,
      cpa: null,
      roas: null,
    });
    // Removal effects: P(conversion) 0.6; without paid social (or email) 0.5, so 3 x 1/6 lost.
    expect(row('Paid Social')?.conversionsLost).toBe(0.5);
    expect(row('Email')?.conversionsLost).toBe(0.5);
    expect(row('Paid Search')?.conversionsLost).toBe(0);
    expect(value?.costWithoutTouches).toBe(30);
    expect(value?.best.linear).toBe('Email');
    expect(value?.worst.linear).toBe('Paid Social');
    expect(value?.best.first_touch).toBeNull();
  });

  it('by source / medium and by campaign, cost keys spelled as the touches are', async () => {
    engine ??= await DuckdbEngine.open(db);
    const run = (touchpoint: string) =>
      runAttribution(
        engine as DuckdbEngine,
        parseAttributionSpec({
          dateRange: { start: '2020-11-01', end: '2020-11-30' },
          goal: { event: 'purchase' },
          touchpoint,
        }),
      );
    const bySourceMedium = (await run('source_medium')).value;
    expect(bySourceMedium?.touchpoints.slice(0, 3).map((t) => [t.touchpoint, t.cost])).toEqual([
      ['facebook / paid_social', 60],
      ['google / cpc', 30],
      ['newsletter / email', 5],
    ]);
    expect(
      bySourceMedium?.touchpoints.find((t) => t.touchpoint === 'newsletter / email')?.models.linear
        .roas,
    ).toBe(4);
    const byCampaign = (await run('campaign')).value;
    expect(byCampaign?.touchpoints.slice(0, 3).map((t) => [t.touchpoint, t.cost])).toEqual([
      ['retarget', 60],
      ['brand', 30],
      ['(not set)', 5],
    ]);
  });
});

describe('ad costs import', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'pathlight-costs-'));

  it('a day and key imported again replaces that row; the same file again changes nothing', async () => {
    const folder = dir();
    const db = join(folder, 'events.duckdb');
    const file = write(folder, 'costs.csv', COSTS);
    await importAdCosts(db, file);
    expect(await importAdCosts(db, file)).toMatchObject({ rows: 5, added: 0, replaced: 5 });
    const edited = write(folder, 'fix.csv', [
      HEADER,
      '2020-11-04,facebook,paid_social,fb1,retarget,500,10,25,EUR',
    ]);
    expect(await importAdCosts(db, edited)).toMatchObject({ rows: 1, added: 0, replaced: 1 });
    const engine = await DuckdbEngine.open(db);
    const rows = await engine.query(
      `SELECT CAST(date AS VARCHAR) AS d, cost FROM ad_costs WHERE utm_id = 'fb1' ORDER BY date`,
      {},
      { name: 'check' },
    );
    await engine.close();
    expect(rows.rows).toEqual([
      { d: '2020-11-03', cost: 40 },
      { d: '2020-11-04', cost: 25 },
      { d: '2020-12-05', cost: 999 },
    ]);
  });

  const BAD: [string, string[], string][] = [
    [
      'a date outside the calendar',
      [HEADER, '2021-02-30,g,cpc,1,,,,3,'],
      'bad.csv line 2, column 1 (date): expected a calendar date as YYYY-MM-DD, got "2021-02-30"',
    ],
    [
      'a date in another shape',
      [HEADER, '11/03/2020,g,cpc,1,,,,3,'],
      'bad.csv line 2, column 1 (date): expected a calendar date as YYYY-MM-DD, got "11/03/2020"',
    ],
    [
      'a non-numeric cost',
      [HEADER, '2020-11-03,g,cpc,1,,,,3.5 EUR,'],
      'bad.csv line 2, column 8 (cost): expected a number of at least 0, got "3.5 EUR"',
    ],
    [
      'a missing id',
      [HEADER, '2020-11-03,g,cpc,,,,,3,'],
      'bad.csv line 2, column 4 (utm_id): is empty',
    ],
    [
      'an unknown column',
      ['date,utm_source,utm_medium,utm_id,spend', '2020-11-03,g,cpc,1,3'],
      'bad.csv line 1, column 5 (spend): unknown column; expected date, utm_source, utm_medium, utm_id, cost, utm_campaign, impressions, clicks, currency',
    ],
    [
      'mixed currencies',
      [HEADER, '2020-11-03,g,cpc,1,,,,3,EUR', '2020-11-04,g,cpc,1,,,,3,USD'],
      'bad.csv line 3, column 9 (currency): USD where line 2 has EUR; one file holds one currency',
    ],
    [
      'fractional clicks',
      [HEADER, '2020-11-03,g,cpc,1,,,2.5,3,'],
      'bad.csv line 2, column 7 (clicks): expected a whole number of at least 0, got "2.5"',
    ],
  ];
  it.each(BAD)(
    '%s: names file, line and column, and imports nothing',
    async (_label, lines, message) => {
      const folder = dir();
      const error = await importAdCosts(
        join(folder, 'events.duckdb'),
        write(folder, 'bad.csv', lines),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      expect((error as Error).message).toBe(message);
    },
  );

  it('refuses a currency other than the one already imported, leaving the stored rows', async () => {
    const folder = dir();
    const db = join(folder, 'events.duckdb');
    await importAdCosts(db, write(folder, 'costs.csv', COSTS));
    const usd = write(folder, 'usd.csv', [
      HEADER,
      '2020-11-03,facebook,paid_social,fb1,retarget,1,1,1,USD',
    ]);
    const failed = await runCli(['import-costs', usd, '--db', db]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(
      'usd.csv: costs in USD where the costs already imported are in EUR',
    );
    const ok = await runCli(['import-costs', join(folder, 'costs.csv'), '--db', db]);
    expect(ok).toMatchObject({
      code: 0,
      stdout: `costs.csv: 5 rows, 0 new, 5 replaced (EUR)\ninto ${db}\n`,
    });
  });
});
