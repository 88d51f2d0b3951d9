/**
 * A digest of the sample's content per case (every table's rows, sorted, hashed), so a change to
 * the generator's speed can be checked to leave its output exactly as it was.
 * Run: npx tsx bench/sampleDigest.ts (prints options, events, tables, digest, seconds per case).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSample } from '../src/sample/generateSample.js';
const dir = mkdtempSync(join(tmpdir(), 'h20dig-'));
const only = process.argv[2]?.split(',').map(Number);
const all = [
  { days: 30, users: 3000, seed: 7, endDate: '2026-10-31' },
  { days: 5, users: 300, seed: 5, endDate: '2024-07-02' },
  { days: 3, users: 200, seed: 5, endDate: '2020-11-03' },
  { days: 40, users: 1500, seed: 9, endDate: '2026-03-31' },
];
const cases = only ? all.filter((_, i) => only.includes(i)) : all;
for (const [i, c] of cases.entries()) {
  const f = join(dir, `${i}.duckdb`);
  const t0 = performance.now();
  const r = await generateSample(f, c);
  const t = (performance.now() - t0) / 1000;
  const inst = await DuckDBInstance.create(f, { access_mode: 'READ_ONLY' });
  const con = await inst.connect();
  const rows = (
    await con.runAndReadAll(
      `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'events_%' ORDER BY 1`,
    )
  ).getRowObjectsJson();
  const parts: string[] = [];
  for (const row of rows) {
    const name = String(row.table_name);
    const [h] = (
      await con.runAndReadAll(
        `SELECT md5(string_agg(CAST(e AS VARCHAR), '|' ORDER BY CAST(e AS VARCHAR))) AS h, count(*) AS n FROM "${name}" AS e`,
      )
    ).getRowObjectsJson();
    parts.push(`${name}:${h!.n}:${h!.h}`);
  }
  const [all] = (
    await con.runAndReadAll(
      `SELECT md5(${JSON.stringify(parts.join(','))}) AS h`.replace(/"/g, "'"),
    )
  ).getRowObjectsJson();
  console.log(JSON.stringify(c), r.events, r.tables.length, all!.h, `${t.toFixed(1)}s`);
  con.closeSync();
  inst.closeSync();
}
