import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';

const ROWS = 50_000;
const folder = mkdtempSync(join(tmpdir(), 'pathlight-killed-'));
const HEADER = 'client_id,timestamp_micros,event_name,event_param.value';
// 2020-11-01 00:00 UTC plus a second per row: every row distinct.
const START = 1_604_188_800_000_000;

function csv(name: string, rows: number, event: string): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(`c${i},${START + i * 1_000_000},${event},${i}`);
  const file = join(folder, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The staged rows of the import under way: written in full before its transaction starts. */
function staged(scratch: string): string | undefined {
  for (const dir of readdirSync(scratch)) {
    const file = join(scratch, dir, '0.ndjson');
    if (existsSync(file)) return file;
  }
  return undefined;
}

async function counts(db: string): Promise<Record<string, number>> {
  const engine = await DuckdbEngine.open(db);
  try {
    const { rows } = await engine.query(
      'SELECT event_name, count(*) AS n FROM offline_events GROUP BY event_name ORDER BY event_name',
      {},
      { name: 'check' },
    );
    return Object.fromEntries(rows.map((r) => [String(r.event_name), Number(r.n)]));
  } finally {
    await engine.close();
  }
}

describe('an offline import killed while it writes', () => {
  it('leaves none of that file’s rows and every row imported before', async () => {
    const db = join(folder, 'events.duckdb');
    await importOfflineEvents(db, [csv('before.csv', 3, 'store_visit')]);
    const big = csv('big.csv', ROWS, 'phone_call');
    const scratch = join(folder, 'scratch');
    mkdirSync(scratch);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./importKilledWorker.ts', import.meta.url).pathname, db, big],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: scratch } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let gone = false;
    const exited = new Promise<void>((resolve) =>
      child.on('exit', () => {
        gone = true;
        resolve();
      }),
    );
    // Kill once the staged rows are complete (their size settles): the insert is under way.
    let last = -1;
    while (!gone) {
      const file = staged(scratch);
      const size = file ? statSync(file).size : -1;
      if (size > 0 && size === last) break;
      last = size;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(output, 'the import finished before the kill: make the file bigger').toBe('');
    expect(await counts(db)).toEqual({ store_visit: 3 });
    // The same file imported afterwards goes in whole.
    expect(await importOfflineEvents(db, [big])).toEqual({
      files: [{ file: 'big.csv', rows: ROWS, added: ROWS }],
    });
    expect(await counts(db)).toEqual({ phone_call: ROWS, store_visit: 3 });
  }, 300_000);
});
