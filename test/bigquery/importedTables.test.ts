import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { loadConfig } from '../../src/config/config.js';
import { BigqueryEngine } from '../../src/engines/bigquery/BigqueryEngine.js';
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
