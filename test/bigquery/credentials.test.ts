import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import {
  BigqueryEngine,
  bigqueryEngineFromConfig,
} from '../../src/engines/bigquery/BigqueryEngine.js';
import {
  clientAuthOptions,
  credentialsFromSettings,
  parseServiceAccountJson,
} from '../../src/engines/bigquery/credentials.js';
import {
  assertDataset,
  assertLocation,
  assertProject,
  assertTable,
  tablePath,
} from '../../src/engines/bigquery/identifiers.js';
import { ConfigError, InputError } from '../../src/errors/errors.js';

const KEY = JSON.stringify({
  type: 'service_account',
  client_email: 'pathlight@my-project-123.iam.gserviceaccount.com',
  private_key: '-----BEGIN PRIVATE KEY-----\nsecret-material\n-----END PRIVATE KEY-----\n',
});

describe('BigQuery credentials: exactly one of ADC, a key file, inline JSON', () => {
  it('picks the one that is set, or ADC when none is', () => {
    expect(credentialsFromSettings({})).toEqual({ kind: 'adc' });
    expect(credentialsFromSettings({ GOOGLE_APPLICATION_CREDENTIALS: '/keys/sa.json' })).toEqual({
      kind: 'keyFile',
      path: '/keys/sa.json',
    });
    expect(credentialsFromSettings({ BIGQUERY_CREDENTIALS_JSON: KEY })).toEqual({
      kind: 'json',
      json: KEY,
    });
  });

  it('refuses both at once', () => {
    expect(() =>
      credentialsFromSettings({
        GOOGLE_APPLICATION_CREDENTIALS: '/keys/sa.json',
        BIGQUERY_CREDENTIALS_JSON: KEY,
      }),
    ).toThrow(
      new ConfigError(
        'BIGQUERY_CREDENTIALS_JSON: set either it or GOOGLE_APPLICATION_CREDENTIALS, not both',
        'BIGQUERY_CREDENTIALS_JSON',
      ),
    );
  });

  it('inline JSON must parse and hold client_email and private_key; the secret is never echoed', () => {
    expect(parseServiceAccountJson(KEY).client_email).toBe(
      'pathlight@my-project-123.iam.gserviceaccount.com',
    );
    const bad = (json: string) => {
      try {
        parseServiceAccountJson(json);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).field).toBe('BIGQUERY_CREDENTIALS_JSON');
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('{"private_key": "secret-material')).toBe(
      'BIGQUERY_CREDENTIALS_JSON: not valid JSON (expected a service account key file content)',
    );
    expect(bad('["secret-material"]')).toBe(
      'BIGQUERY_CREDENTIALS_JSON: expected a JSON object (a service account key)',
    );
    expect(bad('{"private_key": "secret-material"}')).toBe(
      'BIGQUERY_CREDENTIALS_JSON: missing client_email (expected a service account key)',
    );
    expect(bad('{}')).toBe(
      'BIGQUERY_CREDENTIALS_JSON: missing client_email and private_key (expected a service account key)',
    );
  });

  it('gives the client a key file that exists, or the parsed key', () => {
    expect(clientAuthOptions({ kind: 'adc' })).toEqual({});
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-bq-'));
    const path = join(dir, 'sa.json');
    writeFileSync(path, KEY);
    expect(clientAuthOptions({ kind: 'keyFile', path })).toEqual({ keyFilename: path });
    expect(() => clientAuthOptions({ kind: 'keyFile', path: join(dir, 'nope.json') })).toThrow(
      `GOOGLE_APPLICATION_CREDENTIALS: no key file at ${join(dir, 'nope.json')}`,
    );
    expect(clientAuthOptions({ kind: 'json', json: KEY }).credentials?.private_key).toContain(
      'secret-material',
    );
  });
});

describe('project, dataset and table names pass strict patterns', () => {
  it('accepts real names', () => {
    expect(assertProject('my-project-123')).toBe('my-project-123');
    expect(assertProject('example.com:my-project')).toBe('example.com:my-project');
    expect(assertDataset('analytics_123456789')).toBe('analytics_123456789');
    expect(assertTable('events_20201101')).toBe('events_20201101');
    expect(assertTable('events_*')).toBe('events_*');
    expect(assertLocation('europe-west1')).toBe('europe-west1');
    expect(tablePath('my-project-123', 'analytics_1', 'events_*')).toBe(
      '`my-project-123.analytics_1.events_*`',
    );
  });

  it.each([
    ['project', 'proj; DROP'],
    ['project', 'my-project`'],
    ['project', '`my-project-123`'],
    ['project', 'My-Project-123'],
    ['project', 'abc'],
    ['project', 'my-project-123-'],
    ['project', 'my-project-123.analytics'],
    ['project', ''],
    ['dataset', 'analytics; DROP TABLE x'],
    ['dataset', 'analytics`.x'],
    ['dataset', 'analytics.events'],
    ['dataset', 'a-b'],
    ['dataset', ''],
    ['table', 'events_*; SELECT 1'],
    ['table', 'events`'],
    ['table', 'events_*_x*'],
    ['table', '*'],
    ['location', 'EU; DROP'],
  ])('refuses %s %j', (kind, value) => {
    const check = {
      project: assertProject,
      dataset: assertDataset,
      table: assertTable,
      location: assertLocation,
    }[kind as 'project'];
    expect(() => check(value)).toThrow(InputError);
  });

  it('the engine refuses a bad project or dataset before any call', () => {
    const options = {
      project: 'my-project-123',
      dataset: 'analytics_1',
      maximumBytesBilled: 1024,
      credentials: { kind: 'adc' } as const,
    };
    expect(() => BigqueryEngine.create({ ...options, project: 'proj; DROP' })).toThrow(
      'BIGQUERY_PROJECT: "proj; DROP" is not a Google Cloud project id (like my-project-123)',
    );
    expect(() => BigqueryEngine.create({ ...options, dataset: 'a`b' })).toThrow(
      'BIGQUERY_DATASET: "a`b" is not a dataset name (letters, digits, underscores)',
    );
    expect(() => BigqueryEngine.create({ ...options, maximumBytesBilled: 0 })).toThrow(
      'BIGQUERY_MAX_BYTES_BILLED: expected a positive whole number of bytes',
    );
  });

  it('builds from the configuration', () => {
    const config = loadConfig({
      PATHLIGHT_ENGINE: 'bigquery',
      BIGQUERY_PROJECT: 'my-project-123',
      BIGQUERY_DATASET: 'analytics_123456789',
      BIGQUERY_LOCATION: 'EU',
      BIGQUERY_CREDENTIALS_JSON: KEY,
      BIGQUERY_API_ENDPOINT: 'http://127.0.0.1:9',
    });
    const engine = bigqueryEngineFromConfig(config);
    expect(engine.kind).toBe('bigquery');
    expect(engine.target).toEqual({
      kind: 'bigquery',
      project: 'my-project-123',
      dataset: 'analytics_123456789',
    });
    expect(() =>
      bigqueryEngineFromConfig(loadConfig({ BIGQUERY_CREDENTIALS_JSON: '{"x": 1}' })),
    ).toThrow('environment variable BIGQUERY_PROJECT: required when PATHLIGHT_ENGINE=bigquery');
  });
});
