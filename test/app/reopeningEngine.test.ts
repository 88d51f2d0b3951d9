import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReopeningEngine } from '../../src/app/reopeningEngine.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';

const file = join(mkdtempSync(join(tmpdir(), 'pathlight-reopen-')), 'events.duckdb');

/** Writes with its own read-write instance, as the importers do. */
async function insert(value: number): Promise<void> {
  const writer = await DuckdbEngine.open(file, { mode: 'write' });
  const connection = await writer.connect();
  try {
    await connection.run(`CREATE TABLE IF NOT EXISTS t (x INTEGER)`);
    await connection.run(`INSERT INTO t VALUES (${value})`);
  } finally {
    connection.closeSync();
    await writer.close();
  }
}

let engine: ReopeningEngine;
const count = async () =>
  Number((await engine.query('SELECT count(*) AS n FROM t', {}, { name: 'count' })).rows[0]?.n);

beforeAll(async () => {
  await insert(1);
  engine = await ReopeningEngine.open(() => DuckdbEngine.open(file));
});
afterAll(async () => {
  await engine.close();
});

describe('the service reader closed for a write to its file', () => {
  it('reads the written rows after; a query asked during the write waits for them', async () => {
    expect(await count()).toBe(1);
    let during: Promise<number> | undefined;
    await engine.whileClosed(async () => {
      during = count();
      await insert(2);
    });
    expect(await during).toBe(2);
    expect(await count()).toBe(2);
  });

  it('opens the file again after a write that failed', async () => {
    await expect(
      engine.whileClosed(async () => {
        throw new Error('bad file');
      }),
    ).rejects.toThrow('bad file');
    expect(await count()).toBe(2);
  });

  it('runs writes one after the other', async () => {
    await Promise.all([engine.whileClosed(() => insert(3)), engine.whileClosed(() => insert(4))]);
    expect(await count()).toBe(4);
  });
});
