import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeCaseTables } from '../fixtures/edgeCases.js';
import { createEventsDb } from '../support/loadRows.js';
import { runCli } from '../support/runCli.js';

let db: string;
beforeAll(async () => {
  db = await createEventsDb(edgeCaseTables());
});
afterAll(() => undefined);

describe('pathlight events', () => {
  it('answers JSON with events, users and parameter keys with top values', async () => {
    const { code, stdout } = await runCli([
      'events',
      '--db',
      db,
      '--from',
      '2020-11-01',
      '--to',
      '2020-11-03',
      '--json',
    ]);
    expect(code).toBe(0);
    const inventory = JSON.parse(stdout) as {
      events: {
        name: string;
        events: number;
        users: number;
        eventsWithoutUser: number;
        params: { key: string; events: number; topValues: { value: unknown; events: number }[] }[];
      }[];
    };
    expect(inventory.events.map((e) => [e.name, e.events, e.users, e.eventsWithoutUser])).toEqual([
      ['purchase', 4, 2, 1],
      ['page_view', 2, 2, 0],
      ['scroll', 1, 1, 0],
      ['session_start', 1, 1, 0],
    ]);
    const purchase = inventory.events[0];
    const transaction = purchase?.params.find((p) => p.key === 'transaction_id');
    expect(transaction).toEqual({
      key: 'transaction_id',
      events: 3,
      topValues: [
        { value: 'T1', type: 'string', events: 2 },
        { value: 'T9', type: 'string', events: 1 },
      ],
    });
  });

  it('includes intraday tables with --intraday', async () => {
    const { stdout } = await runCli([
      'events',
      '--db',
      db,
      '--from',
      '2020-11-03',
      '--to',
      '2020-11-03',
      '--intraday',
      '--json',
    ]);
    const inventory = JSON.parse(stdout) as { events: { name: string; events: number }[] };
    expect(inventory.events.map((e) => [e.name, e.events])).toEqual([
      ['page_view', 1],
      ['purchase', 1],
    ]);
  });

  it('exits 2 on a bad date or a missing file, naming the flag', async () => {
    const bad = await runCli(['events', '--db', db, '--from', '2020-11-31', '--to', '2020-12-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from: expected a real calendar date');
    const reversed = await runCli([
      'events',
      '--db',
      db,
      '--from',
      '2020-12-02',
      '--to',
      '2020-12-01',
    ]);
    expect(reversed.stderr).toContain('--to: start must not be after end');
    const missing = await runCli([
      'events',
      '--db',
      '/nonexistent/x.duckdb',
      '--from',
      '2020-11-01',
      '--to',
      '2020-11-02',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--db: no DuckDB file at /nonexistent/x.duckdb');
  });
});
