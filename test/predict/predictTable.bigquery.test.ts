import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePredictSpec } from '../../src/analyses/predict/predictSpec.js';
import { predictToTable } from '../../src/analyses/predict/predictToTable.js';
import { savePredictions } from '../../src/analyses/predict/savePredictions.js';
import { BigqueryEngine } from '../../src/engines/bigquery/BigqueryEngine.js';
import { FakeBigquery } from '../bigquery/fakeBigquery.js';
import {
  EXPECTED_DESCRIPTION,
  EXPECTED_LABELS,
  EXPECTED_ROWS,
  PREDICTED_AT,
  RESULT,
} from './predictionResult.js';

const fake = new FakeBigquery();
let endpoint: string;
beforeAll(async () => {
  endpoint = await fake.start();
});
afterAll(async () => fake.stop());
beforeEach(() => fake.reset());

function engine(): BigqueryEngine {
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
  });
}

const TABLE = 'my-project-123.audiences.purchase_predictions';
const TABLE_PATH =
  '/bigquery/v2/projects/my-project-123/datasets/audiences/tables/purchase_predictions';
const REF = {
  projectId: 'my-project-123',
  datasetId: 'audiences',
  tableId: 'purchase_predictions',
};

/** The one load job's configuration and its rows, parsed back from the upload. */
function theLoad() {
  expect(fake.uploads).toHaveLength(1);
  const [upload] = fake.uploads;
  const load = (upload?.job.configuration as unknown as { load: Record<string, unknown> }).load;
  const rows = (upload?.data ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
  return { load, rows };
}

describe('predictions written to the BigQuery table the spec names', () => {
  it('a new table: one load job replacing its rows, described, labelled, each column typed', async () => {
    const saved = await savePredictions(engine(), RESULT, TABLE, PREDICTED_AT);
    expect(saved).toEqual({ engine: 'bigquery', table: TABLE, rows: 2 });
    // Looked up first (absent: 404), then loaded, then described.
    expect(fake.calls('table-get').map((r) => r.path)).toEqual([TABLE_PATH]);
    const { load, rows } = theLoad();
    expect(load).toMatchObject({
      destinationTable: REF,
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: 'WRITE_TRUNCATE',
      createDisposition: 'CREATE_IF_NEEDED',
      destinationTableProperties: { description: EXPECTED_DESCRIPTION, labels: EXPECTED_LABELS },
    });
    const fields = (load.schema as { fields: { name: string; type: string }[] }).fields;
    expect(fields.map((f) => `${f.name} ${f.type}`)).toEqual([
      'user_pseudo_id STRING',
      'stage STRING',
      'node STRING',
      'previous_nodes STRING',
      'last_seen TIMESTAMP',
      'next_1 STRING',
      'p_next_1 FLOAT',
      'next_2 STRING',
      'p_next_2 FLOAT',
      'next_3 STRING',
      'p_next_3 FLOAT',
      'goal STRING',
      'horizon_days INTEGER',
      'p_goal FLOAT',
      'context_order INTEGER',
      'context_support INTEGER',
      'model STRING',
      'trained_from TIMESTAMP',
      'cutoff TIMESTAMP',
      'active_from TIMESTAMP',
      'predicted_at TIMESTAMP',
    ]);
    expect(rows).toEqual(EXPECTED_ROWS);
    const [patch] = fake.calls('table-patch');
    expect(patch?.path).toBe(TABLE_PATH);
    expect(patch?.body).toMatchObject({
      description: EXPECTED_DESCRIPTION,
      labels: EXPECTED_LABELS,
    });
    expect(fake.tables.get(TABLE)).toMatchObject({
      description: EXPECTED_DESCRIPTION,
      labels: EXPECTED_LABELS,
    });
  });

  it('a table an earlier prediction wrote is replaced and its description brought up to date', async () => {
    fake.tables.set(TABLE, {
      tableReference: REF,
      schema: { fields: [] },
      description: 'Pathlight predictions: last week',
      labels: { ...EXPECTED_LABELS, cutoff: '2026-10-25' },
    });
    await savePredictions(engine(), RESULT, TABLE, PREDICTED_AT);
    expect(theLoad().load.writeDisposition).toBe('WRITE_TRUNCATE');
    expect(fake.tables.get(TABLE)).toMatchObject({
      description: EXPECTED_DESCRIPTION,
      labels: EXPECTED_LABELS,
    });
  });

  it('a table that holds something else is refused before any load', async () => {
    fake.tables.set(TABLE, {
      tableReference: REF,
      schema: { fields: [{ name: 'email', type: 'STRING' }] },
      description: 'CRM customers',
      labels: undefined,
    });
    await expect(savePredictions(engine(), RESULT, TABLE, PREDICTED_AT)).rejects.toThrow(
      `table: ${TABLE} exists and holds something other than Pathlight's predictions (no labels app=pathlight, content=predictions); name a new table or one predictions wrote`,
    );
    expect(fake.uploads).toHaveLength(0);
    expect(fake.calls('table-patch')).toHaveLength(0);
    expect(fake.tables.get(TABLE)?.description).toBe('CRM customers');
  });

  it('a table not named as project.dataset.table is refused, naming the field, before any query', async () => {
    for (const [table, message] of [
      [
        'audiences.predictions',
        'table: "audiences.predictions" is not a BigQuery table as project.dataset.table',
      ],
      [
        'my-project-123.audiences.a.b',
        'table: "my-project-123.audiences.a.b" is not a BigQuery table as project.dataset.table',
      ],
      [
        'X.audiences.predictions',
        'table: "X" is not a Google Cloud project id (like my-project-123)',
      ],
    ] as const) {
      const spec = parsePredictSpec({ goal: 'purchase', asOf: '2026-10-31', table });
      await expect(predictToTable(engine(), spec)).rejects.toThrow(message);
    }
    expect(fake.requests).toHaveLength(0);
    expect(fake.uploads).toHaveLength(0);
  });

  it('predictToTable runs the queries, then writes every user predicted to the table', async () => {
    const spec = parsePredictSpec({ goal: 'purchase', asOf: '2026-10-31', table: TABLE });
    const result = await predictToTable(engine(), spec, { now: PREDICTED_AT });
    // The fake answers every query with no rows: no user, an empty table still replaced.
    expect(result.users).toEqual([]);
    expect(result.saved).toEqual({ engine: 'bigquery', table: TABLE, rows: 0 });
    const queries = fake.calls('insert').filter((r) => !r.body.configuration.dryRun);
    expect(queries.map((r) => r.body.configuration.labels.query)).toEqual([
      'predict_contexts',
      'predict_users',
      'predict_contexts',
      'predict_users',
    ]);
    const { load } = theLoad();
    expect(load.destinationTable).toEqual(REF);
    expect((load.destinationTableProperties as { labels: unknown }).labels).toEqual({
      ...EXPECTED_LABELS,
      trained_from: '2026-10-04',
      cutoff: '2026-11-01',
    });
  });

  it('a spec table that is not a name is a path-named error', () => {
    expect(() => parsePredictSpec({ goal: 'purchase', table: 'a; DROP TABLE b' })).toThrow(
      'table: expected a table name (on BigQuery project.dataset.table)',
    );
  });
});
