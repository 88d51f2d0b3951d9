import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckdbEngine } from '../engines/duckdb/DuckdbEngine.js';
import { refreshEventsView } from '../engines/duckdb/eventsView.js';
import { InputError } from '../errors/errors.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../schema/duckdbTypes.js';
import { buildCalendar } from './calendar.js';
import { drawUsers } from './drawUsers.js';
import type { Calendar } from './journeyTypes.js';
import { STAGE, loadStagingSql, sessionTablesSql, smallTablesSql } from './sampleSql.js';
import { writeDays } from './writeDays.js';

export interface SampleOptions {
  days: number;
  users: number;
  seed: number;
  /** 'YYYY-MM-DD', the last (intraday) day; default 2026-10-31 so output is deterministic. */
  endDate?: string;
  /**
   * Drawing the users fills the first half of `total`, writing the day tables the second; `step`
   * says which (`users 5,000 of 50,000`, `day 12 of 90`, then `written` once in place).
   */
  onProgress?: (done: number, total: number, step: string) => void;
  /** Stops between batches of users and between days; the target is then left as it was. */
  signal?: AbortSignal;
  /** Threads drawing users; by default one per core for a large sample. The sample is the same. */
  drawThreads?: number;
  /** Rows per row group in the written tables (see attachSampleFile); benches compare sizes. */
  rowGroupSize?: number;
}

export interface SampleResult {
  events: number;
  tables: string[];
}

export const DEFAULT_END_DATE = '2026-10-31';
/** Day tables written at once, each on its own connection (one per core here). */
const DAY_WRITERS = 2;
/**
 * Small enough that a day of a 10M-event sample fills several row groups, so its insert writes
 * them compressed; large enough that a scan's per-row-group work stays small beside its rows.
 */
export const SAMPLE_ROW_GROUP_SIZE = 16_384;
/** The sample file's name while it is being written. */
const BUILT = 'built';

/**
 * With SAMPLE_TIMING set, a stage's wall time and the process's CPU time over it (DuckDB's threads
 * included): on a shared machine the CPU time says more than the wall time.
 */
async function timed(label: string, run: () => Promise<unknown>): Promise<void> {
  if (!process.env.SAMPLE_TIMING) {
    await run();
    return;
  }
  const began = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  process.stderr.write(
    `${label} ${(performance.now() - began).toFixed(0)} ms, cpu ${((used.user + used.system) / 1000).toFixed(0)} ms\n`,
  );
}

export function validateSampleOptions(options: SampleOptions): void {
  const check = (name: string, value: number, max: number): void => {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new InputError(`${name}: expected a whole number from 1 to ${max}, got ${value}`, name);
    }
  };
  check('days', options.days, 3660);
  check('users', options.users, 50_000_000);
  const rows = options.rowGroupSize;
  // DuckDB fills row groups a vector (2,048 rows) at a time.
  if (rows !== undefined && (!Number.isInteger(rows) || rows < 2048 || rows % 2048 !== 0)) {
    throw new InputError(
      `rowGroupSize: expected a whole multiple of 2048, got ${rows}`,
      'rowGroupSize',
    );
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 2 ** 32 - 1) {
    throw new InputError(
      `seed: expected a whole number from 0 to 4294967295, got ${options.seed}`,
      'seed',
    );
  }
}

/** Builds the sample into a fresh file at `file`, day by day. */
async function buildFile(
  file: string,
  dir: string,
  calendar: Calendar,
  tables: string[],
  onDay: (written: number) => void,
  signal: AbortSignal | undefined,
  rowGroupSize: number,
): Promise<void> {
  const engine = await DuckdbEngine.open(':memory:', { mode: 'write' });
  const connections: DuckDBConnection[] = [];
  try {
    const staging = await engine.connect();
    connections.push(staging);
    await attachSampleFile(staging, file, BUILT, rowGroupSize);
    await timed('small', () => staging.run(smallTablesSql()));
    await timed('load', () => staging.run(loadStagingSql(dir)));
    await timed('sessions', () => staging.run(sessionTablesSql()));
    await staging.run(`USE ${BUILT}`);
    for (let w = 1; w < DAY_WRITERS; w++) {
      const writer = await engine.connect();
      await writer.run(`USE ${BUILT}`);
      connections.push(writer);
    }
    await writeDays({ calendar, tables, dir, writers: connections, onDay, timed, signal });
    await refreshEventsView(staging);
    await timed('checkpoint', () => staging.run('CHECKPOINT'));
    await staging.run(`USE ${STAGE}`);
    await staging.run(`DETACH ${BUILT}`);
  } finally {
    for (const connection of connections) connection.closeSync();
    await engine.close();
  }
}

/**
 * Attaches a sample file for writing. Its row groups are
 * `rowGroupSize` rows: a transaction that fills one has DuckDB compress and write it then, on the
 * inserting query's threads, and at the default 122,880 rows a day of a large sample (about
 * 100,000 rows) never fills one, so every day was compressed later by the single-threaded
 * checkpoint instead (BENCHMARKS: sample).
 */
async function attachSampleFile(
  connection: DuckDBConnection,
  file: string,
  alias: string,
  rowGroupSize: number,
): Promise<void> {
  // Row order within a day's table means nothing to a query, and dropping it spares a buffer per
  // insert; it is also needed here: DuckDB's order-keeping insert, given row groups this small,
  // corrupted its heap in a CREATE TABLE AS of several 100,000-row tables in one transaction
  // (DuckDB 1.5.6), where its parallel insert wrote the same tables whole. The setting is the
  // instance's, so every writer's connection gets it.
  await connection.run('SET preserve_insertion_order = false');
  await connection.run(`ATTACH ${sqlString(file)} AS ${alias} (ROW_GROUP_SIZE ${rowGroupSize})`);
}

/**
 * Moves the built file into place. A new file is renamed there; an existing one gets the built
 * tables (replacing days it had, and the other kind of a day's table) in one transaction, so a
 * failure leaves it as it was.
 */
async function placeFile(
  built: string,
  dbPath: string,
  tables: string[],
  calendar: Calendar,
  rowGroupSize: number,
) {
  if (!existsSync(dbPath)) {
    renameSync(built, dbPath);
    return;
  }
  const engine = await DuckdbEngine.open(':memory:', { mode: 'write' });
  try {
    const connection = await engine.connect();
    try {
      await attachSampleFile(connection, dbPath, 'target', rowGroupSize);
      await connection.run('USE target');
      await connection.run(`ATTACH ${sqlString(built)} AS built (READ_ONLY)`);
      await connection.run('BEGIN TRANSACTION');
      try {
        const last = calendar.days - 1;
        for (const [d, table] of tables.entries()) {
          const date = calendar.dates[d]!;
          const other = d === last ? `events_${date}` : `events_intraday_${date}`;
          await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(other)}`);
          await connection.run(
            `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM built.${quoteIdent(table)}`,
          );
        }
        await refreshEventsView(connection);
        await connection.run('COMMIT');
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await connection.run('DETACH built');
      await connection.run('CHECKPOINT');
      await connection.run(`USE ${STAGE}`);
      await connection.run('DETACH target');
    } finally {
      connection.closeSync();
    }
  } finally {
    await engine.close();
  }
}

/**
 * Writes a realistic GA4 web-stream export into the DuckDB file: `events_YYYYMMDD` for every day
 * but the last, `events_intraday_YYYYMMDD` for the last, then the `events_*` view. Users are drawn
 * one by one from their own seeded streams into flat staging files, one per day for the events;
 * DuckDB then builds each day's nested rows on its own, several days at once, in a new file beside
 * the target that is moved into place at the end, so a failure leaves the target as it was.
 */
export async function generateSample(
  dbPath: string,
  options: SampleOptions,
): Promise<SampleResult> {
  validateSampleOptions(options);
  const calendar = buildCalendar(options.endDate ?? DEFAULT_END_DATE, options.days);
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-sample-'));
  const built = `${dbPath}.building-${process.pid}`;
  const total = 2 * options.users;
  const progress = (done: number, step: string): void => options.onProgress?.(done, total, step);
  try {
    let events = 0;
    await timed('draw', async () => {
      events = await drawUsers(
        dir,
        {
          users: options.users,
          seed: options.seed,
          threads: options.drawThreads,
          signal: options.signal,
        },
        calendar,
        progress,
      );
    });
    const last = calendar.days - 1;
    const tables = calendar.dates.map((date, d) =>
      d === last ? `events_intraday_${date}` : `events_${date}`,
    );
    const rowGroupSize = options.rowGroupSize ?? SAMPLE_ROW_GROUP_SIZE;
    removeFile(built);
    await buildFile(
      built,
      dir,
      calendar,
      tables,
      (written) =>
        progress(
          options.users + Math.round((options.users * written) / (calendar.days + 1)),
          `day ${written} of ${calendar.days}`,
        ),
      options.signal,
      rowGroupSize,
    );
    await placeFile(built, dbPath, tables, calendar, rowGroupSize);
    progress(total, 'written');
    return { events, tables };
  } finally {
    removeFile(built);
    rmSync(dir, { recursive: true, force: true });
  }
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** A DuckDB file and its write-ahead log. */
function removeFile(file: string): void {
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
}
