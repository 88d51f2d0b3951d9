import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { loadConfig } from '../../src/config/config.js';
import { BigqueryEngine } from '../../src/engines/bigquery/BigqueryEngine.js';
import { loadAdCostsBigquery } from '../../src/importer/costs/loadAdCostsBigquery.js';
import { readOfflineEventsFile } from '../../src/importer/offline/importOfflineEvents.js';
import { loadOfflineEventsBigquery } from '../../src/importer/offline/loadOfflineEventsBigquery.js';
import { EVENTS_SCHEMA } from '../../src/schema/ga4Schema.js';
import { FakeBigquery } from './fakeBigquery.js';

const fake = new FakeBigquery();
let endpoint: string;
beforeAll(async () => {
  endpoint = await fake.start();
});
afterAll(async () => fake.stop());

function engine(tables: { offlineTable?: string; costsTable?: string }): BigqueryEngine {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  return BigqueryEngine.create({
    project: 'my-project-123',
    dataset: 'analytics_123456789',
    maximumBytesBilled: 10 * 1024 ** 3,
    credentials: { kind: 'adc' },
    apiEndpoint: endpoint,
    authClient: client,
    retry: { attempts: 1, baseDelayMs: 1 },
    ...tables,
  });
}

const spec = parseAttributionSpec({
  dateRange: { start: '2020-11-01', end: '2020-11-30' },
  goal: { event: 'purchase' },
});
/** The SQL of every job the engine sent (dry runs included). */
const sentSql = () =>
  fake
    .calls('insert')
    .map(
      (r) => (r.body as { configuration: { query: { query: string } } }).configuration.query.query,
    );

describe('BigQuery reads the offline and cost tables the configuration names', () => {
  it('takes them from PATHLIGHT_BQ_OFFLINE_TABLE and PATHLIGHT_BQ_COSTS_TABLE, checked by shape', () => {
    const config = loadConfig({
      PATHLIGHT_BQ_OFFLINE_TABLE: 'my-project-123.crm.offline_events',
      PATHLIGHT_BQ_COSTS_TABLE: 'my-project-123.ads.costs',
    });
    expect([config.PATHLIGHT_BQ_OFFLINE_TABLE, config.PATHLIGHT_BQ_COSTS_TABLE]).toEqual([
      'my-project-123.crm.offline_events',
      'my-project-123.ads.costs',
    ]);
    expect(() => loadConfig({ PATHLIGHT_BQ_COSTS_TABLE: 'costs; DROP TABLE x' })).toThrow(
      /environment variable PATHLIGHT_BQ_COSTS_TABLE: expected a table as project.dataset.table/,
    );
  });

  it('attribution unions the offline table into the events and reads costs from the costs table', async () => {
    fake.reset();
    fake.result = { schema: { fields: [] }, rows: [] };
    const result = await runAttribution(
      engine({
        offlineTable: 'my-project-123.crm.offline_events',
        costsTable: 'my-project-123.ads.costs',
      }),
      spec,
    );
    expect(result.value).toEqual({
      currency: null,
      touchpoints: [],
      best: expect.any(Object),
      worst: expect.any(Object),
      costWithoutTouches: 0,
    });
    const sql = sentSql();
    const paths = sql.find((q) => q.includes('conversion_touches')) ?? '';
    expect(paths).toContain('FROM `my-project-123.analytics_123456789.events_*`');
    expect(paths).toMatch(/UNION ALL\s+SELECT [^]*FROM `my-project-123\.crm\.offline_events`/);
    // Blended identity, the default: devices resolved to their latest user_id.
    expect(paths).toContain("CONCAT('u:', d.resolved_user_id)");
    expect(sql.some((q) => q.includes('FROM `my-project-123.ads.costs`'))).toBe(true);
  });

  it('without the tables configured, reads the export alone and reports no value', async () => {
    fake.reset();
    fake.result = { schema: { fields: [] }, rows: [] };
    const result = await runAttribution(engine({}), spec);
    expect(result.value).toBeNull();
    const sql = sentSql();
    expect(sql.some((q) => q.includes('offline_events'))).toBe(false);
    expect(sql.some((q) => q.includes('costs'))).toBe(false);
  });
});

describe('offline events load into BigQuery by load job', () => {
  const csv = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-bq-offline-'));
    const file = join(dir, 'offline.csv');
    writeFileSync(
      file,
      [
        'client_id,user_id,timestamp_micros,event_name,event_param.value',
        'c1,,1604224800000000,store_visit,',
        ',u9,1604311200000000,purchase,49.9',
      ].join('\n'),
    );
    return file;
  };
  const bq = () => engine({ offlineTable: 'my-project-123.crm.offline_events' });

  it('appends the new rows in one load job to the configured table, with its schema', async () => {
    fake.reset();
    fake.result = {
      schema: { fields: [{ name: 'content_key', type: 'STRING', mode: 'NULLABLE' }] },
      rows: [],
    };
    const result = await loadOfflineEventsBigquery(bq(), [csv()]);
    expect(result).toEqual({ files: [{ file: 'offline.csv', rows: 2, added: 2 }] });
    // First the lookup of keys already there, bound as an array parameter.
    const lookup = sentSql().find((q) => q.includes('content_key IN UNNEST(@keys)'));
    expect(lookup).toContain('FROM `my-project-123.crm.offline_events`');
    expect(fake.uploads).toHaveLength(1);
    const [upload] = fake.uploads;
    const load = (upload?.job.configuration as unknown as { load: Record<string, unknown> }).load;
    expect(load).toMatchObject({
      destinationTable: {
        projectId: 'my-project-123',
        datasetId: 'crm',
        tableId: 'offline_events',
      },
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: 'WRITE_APPEND',
      createDisposition: 'CREATE_IF_NEEDED',
    });
    const fields = (load.schema as { fields: { name: string; type: string }[] }).fields;
    expect(fields.map((f) => f.name)).toEqual([
      ...EVENTS_SCHEMA.map((f) => f.name),
      'content_key',
      'source_file',
    ]);
    expect(fields.find((f) => f.name === 'event_params')?.type).toBe('RECORD');
    const rows = (upload?.data ?? '')
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => [r.event_name, r.user_pseudo_id, r.user_id, r.source_file])).toEqual([
      ['store_visit', 'c1', null, 'offline.csv'],
      ['purchase', null, 'u9', 'offline.csv'],
    ]);
  });

  it('loads nothing when every row is already imported', async () => {
    fake.reset();
    const keys = readOfflineEventsFile(csv()).map((r) => r.content_key);
    fake.result = {
      schema: { fields: [{ name: 'content_key', type: 'STRING', mode: 'NULLABLE' }] },
      rows: keys.map((k) => ({ f: [{ v: k }] })),
    };
    expect(await loadOfflineEventsBigquery(bq(), [csv()])).toEqual({
      files: [{ file: 'offline.csv', rows: 2, added: 0 }],
    });
    expect(fake.uploads).toHaveLength(0);
  });

  it('needs PATHLIGHT_BQ_OFFLINE_TABLE', async () => {
    await expect(loadOfflineEventsBigquery(engine({}), [csv()])).rejects.toThrow(
      /PATHLIGHT_BQ_OFFLINE_TABLE: required to import offline events into BigQuery/,
    );
  });
});

describe('ad costs load into BigQuery by load job, then one merge', () => {
  const csv = (lines: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-bq-costs-'));
    const file = join(dir, 'costs.csv');
    writeFileSync(file, lines.join('\n'));
    return file;
  };
  const good = () =>
    csv([
      'date,utm_source,utm_medium,utm_id,utm_campaign,impressions,clicks,cost,currency',
      '2020-11-01,google,cpc,111,Winter,1000,50,25.50,EUR',
      '2020-11-02,google,cpc,111,Winter,900,40,20,EUR',
    ]);
  const bq = () => engine({ costsTable: 'my-project-123.ads.costs' });
  /** Real jobs only (no dry runs), as SQL. */
  const jobs = () =>
    fake
      .calls('insert')
      .map((r) => r.body as { configuration: { dryRun?: boolean; query: { query: string } } })
      .filter((b) => !b.configuration.dryRun)
      .map((b) => b.configuration.query.query);
  const column = (name: string) => ({ schema: { fields: [{ name, type: 'STRING' }] } });
  /** The table as it stands: keys already imported and currencies already there. */
  const stored = (keys: string[], currencies: string[]) => {
    fake.resultFor = (sql) =>
      sql.includes('cost_key')
        ? { ...column('cost_key'), rows: keys.map((v) => ({ f: [{ v }] })) }
        : sql.includes('DISTINCT currency')
          ? { ...column('currency'), rows: currencies.map((v) => ({ f: [{ v }] })) }
          : undefined;
  };

  it('creates the table, stages the rows by one load job and merges them on day and key', async () => {
    fake.reset();
    stored([], []);
    const result = await loadAdCostsBigquery(bq(), good());
    expect(result).toEqual({ file: 'costs.csv', rows: 2, added: 2, replaced: 0, currency: 'EUR' });
    const sql = jobs();
    expect(sql).toHaveLength(5);
    expect(sql[0]).toBe(
      [
        'CREATE TABLE IF NOT EXISTS `my-project-123.ads.costs` (',
        '  date DATE NOT NULL,',
        '  utm_source STRING NOT NULL,',
        '  utm_medium STRING NOT NULL,',
        '  utm_id STRING NOT NULL,',
        '  utm_campaign STRING,',
        '  impressions INT64,',
        '  clicks INT64,',
        '  cost FLOAT64 NOT NULL,',
        '  currency STRING',
        ')',
      ].join('\n'),
    );
    expect(sql[1]).toContain('SELECT DISTINCT currency');
    expect(sql[2]).toContain('WHERE cost_key IN UNNEST(@keys)');
    // The keys of the two rows, spelt by hand: day, then each of source and medium after its length.
    const keysJob = fake
      .calls('insert')
      .map((r) => r.body as { configuration: { dryRun?: boolean; query: { query: string } } })
      .find((b) => !b.configuration.dryRun && b.configuration.query.query.includes('cost_key'));
    expect(JSON.stringify(keysJob)).toContain(
      '[{"value":"2020-11-01 6:google3:cpc111"},{"value":"2020-11-02 6:google3:cpc111"}]',
    );
    expect(fake.uploads).toHaveLength(1);
    const [upload] = fake.uploads;
    const load = (upload?.job.configuration as unknown as { load: Record<string, unknown> }).load;
    const staging = load.destinationTable as {
      projectId: string;
      datasetId: string;
      tableId: string;
    };
    expect(staging.projectId).toBe('my-project-123');
    expect(staging.datasetId).toBe('ads');
    expect(staging.tableId).toMatch(/^costs_load_[0-9a-f]{32}$/);
    expect(load).toMatchObject({
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: 'WRITE_TRUNCATE',
      createDisposition: 'CREATE_IF_NEEDED',
    });
    const fields = (load.schema as { fields: { name: string; type: string; mode: string }[] })
      .fields;
    expect(fields.map((f) => `${f.name} ${f.type} ${f.mode}`)).toEqual([
      'date DATE REQUIRED',
      'utm_source STRING REQUIRED',
      'utm_medium STRING REQUIRED',
      'utm_id STRING REQUIRED',
      'utm_campaign STRING NULLABLE',
      'impressions INTEGER NULLABLE',
      'clicks INTEGER NULLABLE',
      'cost FLOAT REQUIRED',
      'currency STRING NULLABLE',
    ]);
    expect((upload?.data ?? '').split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        date: '2020-11-01',
        utm_source: 'google',
        utm_medium: 'cpc',
        utm_id: '111',
        utm_campaign: 'Winter',
        impressions: 1000,
        clicks: 50,
        cost: 25.5,
        currency: 'EUR',
      },
      {
        date: '2020-11-02',
        utm_source: 'google',
        utm_medium: 'cpc',
        utm_id: '111',
        utm_campaign: 'Winter',
        impressions: 900,
        clicks: 40,
        cost: 20,
        currency: 'EUR',
      },
    ]);
    const stagingName = `\`my-project-123.ads.${staging.tableId}\``;
    expect(sql[3]).toBe(
      [
        'MERGE `my-project-123.ads.costs` AS t',
        `USING ${stagingName} AS s`,
        'ON t.date = s.date AND t.utm_source = s.utm_source AND t.utm_medium = s.utm_medium AND t.utm_id = s.utm_id',
        'WHEN MATCHED THEN UPDATE SET utm_campaign = s.utm_campaign, impressions = s.impressions, clicks = s.clicks, cost = s.cost, currency = s.currency',
        'WHEN NOT MATCHED THEN INSERT (date, utm_source, utm_medium, utm_id, utm_campaign, impressions, clicks, cost, currency) VALUES (s.date, s.utm_source, s.utm_medium, s.utm_id, s.utm_campaign, s.impressions, s.clicks, s.cost, s.currency)',
      ].join('\n'),
    );
    expect(sql[4]).toBe(`DROP TABLE IF EXISTS ${stagingName}`);
  });

  it('counts a day and key already imported as replaced', async () => {
    fake.reset();
    stored(['2020-11-01 6:google3:cpc111'], ['EUR']);
    expect(await loadAdCostsBigquery(bq(), good())).toEqual({
      file: 'costs.csv',
      rows: 2,
      added: 1,
      replaced: 1,
      currency: 'EUR',
    });
    expect(fake.uploads).toHaveLength(1);
  });

  it('refuses a file in another currency than the costs already there, loading nothing', async () => {
    fake.reset();
    stored([], ['USD']);
    await expect(loadAdCostsBigquery(bq(), good())).rejects.toThrow(
      'costs.csv: costs in EUR where the costs already imported are in USD; one property has one currency',
    );
    expect(fake.uploads).toHaveLength(0);
    expect(jobs().some((q) => q.startsWith('MERGE'))).toBe(false);
  });

  it('sends nothing for a bad file, naming its line and column', async () => {
    fake.reset();
    const bad = csv([
      'date,utm_source,utm_medium,utm_id,cost',
      '2020-11-01,google,cpc,111,12',
      '2020-11-02,google,cpc,111,twelve',
    ]);
    await expect(loadAdCostsBigquery(bq(), bad)).rejects.toThrow(
      'costs.csv line 3, column 5 (cost): expected a number of at least 0, got "twelve"',
    );
    expect(fake.requests).toHaveLength(0);
    expect(fake.uploads).toHaveLength(0);
  });

  it('needs PATHLIGHT_BQ_COSTS_TABLE', async () => {
    await expect(loadAdCostsBigquery(engine({}), good())).rejects.toThrow(
      /PATHLIGHT_BQ_COSTS_TABLE: required to import ad costs into BigQuery/,
    );
  });
});
