import { describe, expect, it } from 'vitest';
import { listQueries } from '../../src/sql/queryFiles.js';
import { runCli } from '../support/runCli.js';

describe('pathlight sql', () => {
  it('lists every query with its description', async () => {
    const { code, stdout } = await runCli(['sql', '--list']);
    expect(code).toBe(0);
    const names = stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]);
    expect(names).toEqual(listQueries().map((q) => q.name));
  });

  it('prints BigQuery SQL with given and representative values inlined', async () => {
    const { code, stdout } = await runCli(
      ['sql', 'daily_totals', '--engine', 'bigquery', '--param', 'goal_event=sign_up'],
      { BIGQUERY_PROJECT: 'acme-analytics', BIGQUERY_DATASET: 'analytics_42' },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('-- @goal_event STRING = "sign_up"');
    expect(stdout).toContain("IF(event_name = 'sign_up', 1, 0)");
    expect(stdout).toContain("FORMAT_DATE('%Y%m%d', DATE '2020-11-01')");
    expect(stdout).toContain('FROM `acme-analytics.analytics_42.events_*`');
    const body = stdout
      .split('\n')
      .filter((line) => !line.startsWith('--'))
      .join('\n');
    expect(body).not.toMatch(/@[a-z]/);
  });

  it('prints the DuckDB rendering with its own parameter markers', async () => {
    const { stdout } = await runCli(['sql', 'event_counts', '--engine', 'duckdb']);
    expect(stdout).toContain('FROM events_wildcard');
    expect(stdout).toContain('CAST($start_date AS DATE)');
  });

  it('exits 2 naming the parameter or flag at fault', async () => {
    const bad = await runCli(['sql', 'daily_totals', '--param', 'start_date=yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('param start_date: expected a date like 2020-11-01');
    const engine = await runCli(['sql', 'daily_totals', '--engine', 'oracle']);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain('--engine: expected bigquery or duckdb');
    const unknown = await runCli(['sql', 'no_such_query']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no query named "no_such_query"');
  });
});
