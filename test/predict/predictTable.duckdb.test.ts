import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { savePredictions } from '../../src/analyses/predict/savePredictions.js';
import { registerPredict } from '../../src/cli/commands/predict.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { runCommand } from '../paths/cliHarness.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { EXPECTED_DESCRIPTION, EXPECTED_ROWS, PREDICTED_AT, RESULT } from './predictionResult.js';

const open: DuckdbEngine[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});
const engineOn = async (file: string, mode: 'read' | 'write') => {
  const e = await DuckdbEngine.open(file, { mode });
  open.push(e);
  return e;
};

/** The table as stored: every column, timestamps back as ISO text, and its comment. */
async function readBack(file: string, table: string) {
  const e = await engineOn(file, 'read');
  const rows = await e.query(
    `SELECT * REPLACE (
       strftime(last_seen, '%Y-%m-%dT%H:%M:%S.%gZ') AS last_seen,
       strftime(trained_from, '%Y-%m-%dT%H:%M:%S.%gZ') AS trained_from,
       strftime(cutoff, '%Y-%m-%dT%H:%M:%S.%gZ') AS cutoff,
       strftime(active_from, '%Y-%m-%dT%H:%M:%S.%gZ') AS active_from,
       strftime(predicted_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS predicted_at)
     FROM ${table} ORDER BY p_goal DESC`,
    {},
    { name: 'read back' },
  );
  const comment = await e.query(
    `SELECT comment FROM duckdb_tables() WHERE table_name = '${table}'`,
    {},
    { name: 'comment' },
  );
  const types = await e.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
    {},
    { name: 'types' },
  );
  await e.close();
  open.splice(open.indexOf(e), 1);
  return {
    rows: rows.rows,
    comment: comment.rows[0]?.comment,
    types: types.rows.map((r) => `${String(r.column_name)} ${String(r.data_type)}`),
  };
}

describe('predictions written into the DuckDB file', () => {
  it('creates the table with one row per user, typed columns and the model in its comment', async () => {
    const file = await createEventsDb({});
    const saved = await savePredictions(
      await engineOn(file, 'write'),
      RESULT,
      'predictions',
      PREDICTED_AT,
    );
    expect(saved).toEqual({ engine: 'duckdb', table: 'predictions', rows: 2 });
    await open.pop()?.close();
    const back = await readBack(file, 'predictions');
    expect(back.rows).toEqual(EXPECTED_ROWS);
    expect(back.comment).toBe(EXPECTED_DESCRIPTION);
    expect(back.types).toEqual([
      'user_pseudo_id VARCHAR',
      'stage VARCHAR',
      'node VARCHAR',
      'previous_nodes VARCHAR',
      'last_seen TIMESTAMP',
      'next_1 VARCHAR',
      'p_next_1 DOUBLE',
      'next_2 VARCHAR',
      'p_next_2 DOUBLE',
      'next_3 VARCHAR',
      'p_next_3 DOUBLE',
      'goal VARCHAR',
      'horizon_days BIGINT',
      'p_goal DOUBLE',
      'context_order BIGINT',
      'context_support BIGINT',
      'model VARCHAR',
      'trained_from TIMESTAMP',
      'cutoff TIMESTAMP',
      'active_from TIMESTAMP',
      'predicted_at TIMESTAMP',
    ]);
  });

  it('replaces a predictions table; refuses the events, other tables, bad names and a read-only file', async () => {
    const file = await createEventsDb({});
    const writer = await engineOn(file, 'write');
    await savePredictions(writer, RESULT, 'predictions', PREDICTED_AT);
    const one = { ...RESULT, users: RESULT.users.slice(1) };
    expect(await savePredictions(writer, one, 'predictions', PREDICTED_AT)).toEqual({
      engine: 'duckdb',
      table: 'predictions',
      rows: 1,
    });
    const connection = await writer.connect();
    await connection.run('CREATE TABLE crm (email VARCHAR)');
    connection.closeSync();
    const refusals: [string, string][] = [
      [
        'crm',
        'table: crm already exists in the DuckDB file and is not a predictions table; choose another name',
      ],
      [
        'events_wildcard',
        'table: events_wildcard starts with events_, the names the events view reads; choose another name',
      ],
      [
        'audiences.predictions',
        'table: "audiences.predictions" is not a DuckDB table name (letters, digits, underscores; no dots)',
      ],
    ];
    for (const [table, message] of refusals) {
      await expect(savePredictions(writer, RESULT, table, PREDICTED_AT)).rejects.toThrow(message);
    }
    await writer.close();
    open.splice(open.indexOf(writer), 1);
    const reader = await engineOn(file, 'read');
    await expect(savePredictions(reader, RESULT, 'predictions', PREDICTED_AT)).rejects.toThrow(
      'table: the DuckDB events file is open read-only here (the service reads it so); write predictions into it with `pathlight predict --table`',
    );
    await reader.close();
    open.splice(open.indexOf(reader), 1);
    const back = await readBack(file, 'predictions');
    expect(back.rows).toEqual(EXPECTED_ROWS.slice(1));
  });

  it('pathlight predict --table writes the users it predicts into the --db file', async () => {
    const T = Date.parse('2026-10-30T10:00:00Z') * 1000;
    const ev = (user: string, name: string, minute: number): EventRow => ({
      event_date: '20261030',
      event_timestamp: T + minute * 60_000_000,
      event_name: name,
      user_pseudo_id: user,
      event_params: params({ ga_session_id: 1 }),
    });
    const file = await createEventsDb({
      '20261030': [
        ev('a', 'page_view', 0),
        ev('a', 'view_item', 1),
        ev('a', 'purchase', 2),
        ev('b', 'page_view', 0),
        ev('b', 'view_item', 1),
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-predict-table-'));
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify({ goal: 'purchase', asOf: '2026-10-31', minSupport: 1 }),
    );
    const args = ['predict', '--spec', join(dir, 'spec.json'), '--db', file];
    const ok = await runCommand(registerPredict, [...args, '--table', 'audience', '--json']);
    expect(ok.code).toBe(0);
    const printed = JSON.parse(ok.stdout) as {
      users: { user: string; goalProbability: number }[];
      saved: unknown;
    };
    expect(printed.saved).toEqual({ engine: 'duckdb', table: 'audience', rows: 2 });
    const back = await readBack(file, 'audience');
    expect(back.rows.map((r) => [r.user_pseudo_id, r.p_goal, r.node])).toEqual(
      [...printed.users]
        .sort((x, y) => y.goalProbability - x.goalProbability)
        .map((u) => [u.user, u.goalProbability, u.user === 'a' ? 'purchase' : 'view_item']),
    );
    const bad = await runCommand(registerPredict, [...args, '--table', 'events_x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('table: events_x starts with events_');
  });
});
