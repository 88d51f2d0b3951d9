import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbFile, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('has embedded defaults with no variables at all', () => {
    const config = loadConfig({});
    expect(config.PATHLIGHT_ENGINE).toBe('duckdb');
    expect(config.PORT).toBe(8080);
    expect(config.PATHLIGHT_HOST).toBe('127.0.0.1');
    expect(duckdbFile(config)).toBe('data/events.duckdb');
  });

  it('fails with the name of the variable holding a wrong value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/environment variable PORT: /);
    expect(() => loadConfig({ PATHLIGHT_ENGINE: 'mysql' })).toThrow(
      /environment variable PATHLIGHT_ENGINE: /,
    );
    expect(() => loadConfig({ PATHLIGHT_SAMPLE_ON_START: 'maybe' })).toThrow(
      /environment variable PATHLIGHT_SAMPLE_ON_START: /,
    );
  });

  it('requires the dataset when BigQuery is the engine, and refuses names outside the patterns', () => {
    expect(() =>
      loadConfig({ PATHLIGHT_ENGINE: 'bigquery', BIGQUERY_PROJECT: 'my-project' }),
    ).toThrow(/BIGQUERY_DATASET: required when PATHLIGHT_ENGINE=bigquery/);
    expect(() => loadConfig({ BIGQUERY_DATASET: 'analytics; DROP' })).toThrow(
      /environment variable BIGQUERY_DATASET: expected a dataset name/,
    );
  });

  it('accepts one kind of credentials only', () => {
    expect(() =>
      loadConfig({
        PATHLIGHT_ENGINE: 'bigquery',
        BIGQUERY_PROJECT: 'my-project',
        BIGQUERY_DATASET: 'analytics_1',
        GOOGLE_APPLICATION_CREDENTIALS: '/keys/a.json',
        BIGQUERY_CREDENTIALS_JSON: '{}',
      }),
    ).toThrow(
      /BIGQUERY_CREDENTIALS_JSON: set either it or GOOGLE_APPLICATION_CREDENTIALS, not both/,
    );
  });

  it('reads a config file, with the environment winning, and names the file on errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-config-'));
    const file = join(dir, 'pathlight.yaml');
    writeFileSync(file, 'PORT: 9090\nPATHLIGHT_DATA_DIR: /srv/pathlight\n');
    const config = loadConfig({ PATHLIGHT_CONFIG: file, PATHLIGHT_DATA_DIR: 'elsewhere' });
    expect(config.PORT).toBe(9090);
    expect(config.PATHLIGHT_DATA_DIR).toBe('elsewhere');
    writeFileSync(file, 'PORT: -1\n');
    expect(() => loadConfig({ PATHLIGHT_CONFIG: file })).toThrow(/config value PORT: /);
    expect(() => loadConfig({ PATHLIGHT_CONFIG: join(dir, 'missing.yaml') })).toThrow(
      /PATHLIGHT_CONFIG: no file at/,
    );
  });
});
