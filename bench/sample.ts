/**
 * Sample generator throughput: events per second for given sizes.
 * Run: npx tsx bench/sample.ts <days>x<users> [...] [--copy], e.g. npx tsx bench/sample.ts 30x5000
 * (SAMPLE_TIMING=1 adds each stage's wall and CPU time). The load average is printed beside each
 * size, since these machines are shared, and the process's peak resident memory so far.
 *
 * --copy: after each size, the same number of rows copied from the real export days (the public
 * GA4 sample's Parquet files, repeated) into as many daily tables of a fresh DuckDB file, one
 * insert per day in one transaction as the generator does. No generator writing these tables
 * through DuckDB can beat that, so it is the floor the generator's figure compares with.
 *
 * --row-groups 122880,16384: the tables' row group size (default the generator's own); with
 * several, each size writes both the sample and the copy, one after another in the same run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { SAMPLE_ROW_GROUP_SIZE, generateSample } from '../src/sample/generateSample.js';

// The real export days; PATHLIGHT_REAL_DAYS points elsewhere (a worktree sits one level deeper).
const REAL_DAYS =
  process.env.PATHLIGHT_REAL_DAYS ??
  join(import.meta.dirname, '../../shared/data/ga4-public-sample/*.parquet');
const args = process.argv.slice(2);
const copy = args.includes('--copy');
const groupsAt = args.indexOf('--row-groups');
const rowGroupSizes =
  groupsAt >= 0 ? args[groupsAt + 1]!.split(',').map(Number) : [SAMPLE_ROW_GROUP_SIZE];
const sizes = args.filter((a) => /^\d+x\d+$/.test(a));
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
// The process's peak resident memory so far (DuckDB runs in it), in GB.
const peak = (): string => (process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2);
const line = (what: string, events: number, seconds: number): void =>
  console.log(
    `${what}: ${events} events in ${seconds.toFixed(1)} s = ${Math.round(events / seconds)} events/s (load ${load()}, peak RSS so far ${peak()} GB)`,
  );

/** Copies `rows` real export rows into `days` daily tables; returns the seconds taken. */
async function copyRealRows(
  file: string,
  days: number,
  rows: number,
  rowGroupSize: number,
): Promise<number> {
  const engine = await DuckdbEngine.open(':memory:', { mode: 'write' });
  const connection = await engine.connect();
  try {
    await connection.run(`ATTACH '${file}' AS copy (ROW_GROUP_SIZE ${rowGroupSize})`);
    await connection.run('USE copy');
    // As the generator's writers: DuckDB's order-keeping insert with small row groups corrupts its
    // heap on these CREATE TABLE AS statements, and the parallel one is the faster floor anyway.
    await connection.run('SET preserve_insertion_order = false');
    await connection.run(
      `CREATE TEMP TABLE real AS SELECT * FROM read_parquet('${REAL_DAYS.replaceAll("'", "''")}')`,
    );
    const started = performance.now();
    const perDay = Math.ceil(rows / days);
    await connection.run('BEGIN TRANSACTION');
    for (let d = 0; d < days; d++) {
      const n = Math.min(perDay, rows - d * perDay);
      await connection.run(
        `CREATE TABLE events_${String(d).padStart(4, '0')} AS SELECT r.* FROM real r, range(${Math.ceil(n / 40_000)}) LIMIT ${n}`,
      );
    }
    await connection.run('COMMIT');
    // The generator checkpoints too: small inserts reach the file only then.
    await connection.run('CHECKPOINT');
    const seconds = (performance.now() - started) / 1000;
    await connection.run('USE memory');
    await connection.run('DETACH copy');
    return seconds;
  } finally {
    connection.closeSync();
    await engine.close();
  }
}

for (const size of sizes) {
  const [days, users] = size.split('x').map(Number) as [number, number];
  for (const rowGroupSize of rowGroupSizes) {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-bench-sample-'));
    const groups = `${rowGroupSize}-row groups`;
    try {
      const started = performance.now();
      const { events } = await generateSample(join(dir, 'events.duckdb'), {
        days,
        users,
        seed: 7,
        rowGroupSize,
      });
      line(
        `${days} days x ${users} users, ${groups}`,
        events,
        (performance.now() - started) / 1000,
      );
      rmSync(join(dir, 'events.duckdb'), { force: true });
      if (copy) {
        const seconds = await copyRealRows(join(dir, 'copy.duckdb'), days, events, rowGroupSize);
        line(`copying real export rows into ${days} daily tables, ${groups}`, events, seconds);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
