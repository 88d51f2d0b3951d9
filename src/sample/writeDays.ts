import type { DuckDBConnection } from '@duckdb/node-api';
import { eventsTableDdl, quoteIdent } from '../schema/duckdbTypes.js';
import type { Calendar } from './journeyTypes.js';
import { dayColumns } from './dayColumns.js';
import { dayEventsSource, daySelectSql } from './sampleSql.js';
import { StagingWriter } from './stagingWriter.js';

/** Days written between checkpoints: committed rows stay in memory until one folds them in. */
const DAYS_PER_CHECKPOINT = 8;

export interface DayWriteOptions {
  calendar: Calendar;
  tables: string[];
  dir: string;
  /** One connection per writer; days go to whichever is free. */
  writers: DuckDBConnection[];
  onDay: (written: number) => void;
  timed: (label: string, run: () => Promise<unknown>) => Promise<void>;
  signal?: AbortSignal | undefined;
}

/** One day's table, created and filled in its own transaction. */
async function writeDay(
  connection: DuckDBConnection,
  options: DayWriteOptions,
  d: number,
): Promise<void> {
  const { calendar, tables, dir } = options;
  const table = tables[d]!;
  const date = calendar.dates[d]!;
  const columns = dayColumns(date, d === calendar.days - 1);
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(eventsTableDdl(table));
    await options.timed(table, () =>
      connection.run(
        `INSERT INTO ${quoteIdent(table)} ${daySelectSql(d, columns, dayEventsSource(StagingWriter.dayPattern(dir, d)))}`,
      ),
    );
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Writes every day's table, the writers working on different days at once, and checkpoints after
 * each group of days so memory holds a few days' rows, not the whole sample's.
 */
export async function writeDays(options: DayWriteOptions): Promise<void> {
  const { calendar, writers } = options;
  let written = 0;
  const [first] = writers;
  if (!first) throw new Error('sample: no day writer');
  for (let start = 0; start < calendar.days; start += DAYS_PER_CHECKPOINT) {
    const end = Math.min(calendar.days, start + DAYS_PER_CHECKPOINT);
    let next = start;
    await Promise.all(
      writers.map(async (connection) => {
        while (next < end) {
          options.signal?.throwIfAborted();
          const d = next++;
          await writeDay(connection, options, d);
          options.onDay(++written);
        }
      }),
    );
    await options.timed('checkpoint', () => first.run('CHECKPOINT'));
  }
}
