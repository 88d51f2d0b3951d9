import { existsSync } from 'node:fs';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { refreshEventsView } from '../src/engines/duckdb/eventsView.js';
import { eventsTableDdl } from '../src/schema/duckdbTypes.js';

/** What a bench's filler gets: a way to run SQL on the new file, and the user count (20 events each). */
export type Fill = (run: (sql: string) => Promise<unknown>, users: number) => Promise<void>;

/**
 * Writes a flat synthetic `events_20201101` table into a DuckDB file once (kept between runs, as
 * 10M rows take minutes to write), with the events view over it; `fill` inserts the rows.
 */
export async function buildEventsTable(file: string, events: number, fill: Fill): Promise<void> {
  if (existsSync(file)) return;
  const engine = await DuckdbEngine.open(file, { mode: 'write' });
  const c = await engine.connect();
  try {
    await c.run(eventsTableDdl('events_20201101'));
    await fill((sql) => c.run(sql), Math.max(1, Math.round(events / 20)));
    await refreshEventsView(c);
  } finally {
    c.closeSync();
    await engine.close();
  }
}

/** One timed run, in seconds (the machine is shared: each large run once). */
export async function timeOnce<T>(f: () => Promise<T>): Promise<{ s: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { s: (performance.now() - t) / 1000, value };
}
