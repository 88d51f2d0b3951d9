import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckdbEngine } from '../engines/duckdb/DuckdbEngine.js';
import { refreshEventsView } from '../engines/duckdb/eventsView.js';
import { InputError } from '../errors/errors.js';
import { eventsTableDdl, quoteIdent } from '../schema/duckdbTypes.js';
import { buildCalendar } from './calendar.js';
import { generateUser, type Sink } from './journey.js';
import { dayColumns } from './dayColumns.js';
import { daySelectSql, loadStagingSql, sessionTablesSql, smallTablesSql } from './sampleSql.js';

export interface SampleOptions {
  days: number;
  users: number;
  seed: number;
  /** 'YYYY-MM-DD', the last (intraday) day; default 2026-10-31 so output is deterministic. */
  endDate?: string;
  /**
   * Drawing the users fills the first half of `total`, writing the day tables the second; `step`
   * says which (`users 5,000/50,000`, `days 12/90`, then `written` once committed).
   */
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface SampleResult {
  events: number;
  tables: string[];
}

export const DEFAULT_END_DATE = '2026-10-31';
const USERS_PER_BATCH = 5_000;

/**
 * With SAMPLE_TIMING set, a stage's wall time and the process's CPU time over it (DuckDB's threads
 * included): on a shared machine the CPU time says more than the wall time.
 */
function report(label: string, began: number, cpu: NodeJS.CpuUsage): void {
  if (!process.env.SAMPLE_TIMING) return;
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - began;
  process.stderr.write(
    `${label} ${ms.toFixed(0)} ms, cpu ${((used.user + used.system) / 1000).toFixed(0)} ms\n`,
  );
}

/** Buffered line writer: one write call per ~1 MB keeps the generator CPU-bound. */
class TsvFile {
  private parts: string[] = [];
  private size = 0;
  private readonly fd: number;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(line: string): void {
    this.parts.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function validateSampleOptions(options: SampleOptions): void {
  const check = (name: string, value: number, max: number): void => {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new InputError(`${name}: expected a whole number from 1 to ${max}, got ${value}`, name);
    }
  };
  check('days', options.days, 3660);
  check('users', options.users, 50_000_000);
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 2 ** 32 - 1) {
    throw new InputError(
      `seed: expected a whole number from 0 to 4294967295, got ${options.seed}`,
      'seed',
    );
  }
}

/**
 * Writes a realistic GA4 web-stream export into the DuckDB file: `events_YYYYMMDD` for every day
 * but the last, `events_intraday_YYYYMMDD` for the last, then the `events_*` view. Users are drawn
 * one by one from their own seeded streams into flat staging files; DuckDB then builds the nested
 * rows and writes every table in one transaction, so a failure leaves the file as it was.
 */
export async function generateSample(
  dbPath: string,
  options: SampleOptions,
): Promise<SampleResult> {
  validateSampleOptions(options);
  const calendar = buildCalendar(options.endDate ?? DEFAULT_END_DATE, options.days);
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-sample-'));
  const total = 2 * options.users;
  const count = (n: number): string => n.toLocaleString('en-US');
  try {
    // Stage: users in batches (one events file per batch keeps each file small).
    const drawStarted = performance.now();
    const drawCpu = process.cpuUsage();
    const strings = new Map<string, number>();
    const users = new TsvFile(join(dir, 'usr.tsv'));
    const sessions = new TsvFile(join(dir, 'ses.tsv'));
    let events = 0;
    for (let start = 0, batch = 0; start < options.users; start += USERS_PER_BATCH, batch++) {
      const eventFile = new TsvFile(join(dir, `ev-${String(batch).padStart(5, '0')}.tsv`));
      const sink: Sink = {
        user: (line) => users.write(line),
        session: (line) => sessions.write(line),
        event: (_day, line) => eventFile.write(line),
        str: (value) => {
          let id = strings.get(value);
          if (id === undefined) {
            id = strings.size;
            strings.set(value, id);
          }
          return id;
        },
      };
      const end = Math.min(options.users, start + USERS_PER_BATCH);
      for (let uid = start + 1; uid <= end; uid++)
        events += generateUser(uid, options.seed, calendar, sink);
      eventFile.close();
      options.onProgress?.(end, total, `users ${count(end)}/${count(options.users)}`);
      // Let timers (a progress bar) run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    users.close();
    sessions.close();
    const dict = new TsvFile(join(dir, 'dict.tsv'));
    for (const [value, id] of strings) dict.write(`${id}\t${value}\n`);
    dict.close();
    report('draw', drawStarted, drawCpu);

    // Load: one transaction for every table and the view.
    const last = calendar.days - 1;
    const tables = calendar.dates.map((date, d) =>
      d === last ? `events_intraday_${date}` : `events_${date}`,
    );
    const engine = await DuckdbEngine.open(dbPath, { mode: 'write' });
    try {
      const connection = await engine.connect();
      const timed = async (label: string, sql: string) => {
        const began = performance.now();
        const cpu = process.cpuUsage();
        await connection.run(sql);
        report(label, began, cpu);
      };
      try {
        await connection.run('BEGIN TRANSACTION');
        try {
          await timed('small', smallTablesSql());
          await timed('load', loadStagingSql(dir));
          await timed('sessions', sessionTablesSql());
          for (const [d, table] of tables.entries()) {
            const date = calendar.dates[d] as string;
            const other = d === last ? `events_${date}` : `events_intraday_${date}`;
            await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(other)}`);
            await connection.run(eventsTableDdl(table, { orReplace: true }));
            await timed(
              table,
              `INSERT INTO ${quoteIdent(table)} ${daySelectSql(d, dayColumns(date, d === last))}`,
            );
            options.onProgress?.(
              options.users + Math.round((options.users * (d + 1)) / (calendar.days + 1)),
              total,
              `days ${d + 1}/${calendar.days}`,
            );
          }
          for (const temp of ['ev', 'ses', 'usr', 'dict', 'dev', 'geo', 'ux', 'sx']) {
            await connection.run(`DROP TABLE IF EXISTS temp.${temp}`);
          }
          await refreshEventsView(connection);
          await timed('commit', 'COMMIT');
          options.onProgress?.(total, total, 'written');
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
        await timed('checkpoint', 'CHECKPOINT');
      } finally {
        connection.closeSync();
      }
    } finally {
      await engine.close();
    }
    return { events, tables };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
