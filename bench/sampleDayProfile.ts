/**
 * Where one day's insert of the sample generator spends its time: draws a sample's staging files
 * once into a kept folder, loads them as the generator does, then runs a day's insert with
 * DuckDB's profiler on and prints the operator tree (EXPLAIN ANALYZE) and the insert's wall and
 * CPU time.
 * Run: npx tsx bench/sampleDayProfile.ts <days>x<users> <folder> [day] [--plain]
 * (the folder keeps the staging files between runs; --plain times the insert without the profiler).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { eventsTableDdl } from '../src/schema/duckdbTypes.js';
import { buildCalendar } from '../src/sample/calendar.js';
import { dayColumns } from '../src/sample/dayColumns.js';
import { DEFAULT_END_DATE } from '../src/sample/generateSample.js';
import { generateUser } from '../src/sample/journey.js';
import {
  dayEventsSource,
  daySelectSql,
  loadStagingSql,
  sessionTablesSql,
  smallTablesSql,
} from '../src/sample/sampleSql.js';
import { StagingWriter } from '../src/sample/stagingWriter.js';

const [size = '90x50000', dir = '/tmp/sample-profile', dayArg] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'));
const plain = process.argv.includes('--plain');
const [days, users] = size.split('x').map(Number) as [number, number];
const calendar = buildCalendar(DEFAULT_END_DATE, days);
const day = dayArg ? Number(dayArg) : Math.floor(days / 2);

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const began = performance.now();
  const c = cpu();
  const out = await run();
  console.log(
    `${label}: ${(performance.now() - began).toFixed(0)} ms, cpu ${(cpu() - c).toFixed(0)} ms`,
  );
  return out;
}

if (!existsSync(join(dir, 'done'))) {
  mkdirSync(dir, { recursive: true });
  await timed('draw', async () => {
    const staging = new StagingWriter(dir, calendar.days);
    for (let uid = 1; uid <= users; uid++) generateUser(uid, 7, calendar, staging);
    staging.close();
  });
  writeFileSync(join(dir, 'done'), '');
}

const engine = await DuckdbEngine.open(':memory:', { mode: 'write' });
const connection = await engine.connect();
await connection.run('SET preserve_insertion_order = false');
await connection.run(smallTablesSql());
await timed('load', () => connection.run(loadStagingSql(dir)));
await timed('sessions', () => connection.run(sessionTablesSql()));
const date = calendar.dates[day]!;
const select = daySelectSql(
  day,
  dayColumns(date, false),
  dayEventsSource(StagingWriter.dayPattern(dir, day)),
);
await connection.run(eventsTableDdl('t'));
if (plain) {
  // Parsing, binding and planning alone: the part of a day's insert that does not grow with rows.
  for (let i = 0; i < 3; i++) {
    await timed(`prepare day ${day}`, () => connection.prepare(`INSERT INTO t ${select}`));
  }
  for (let i = 0; i < 3; i++) {
    await connection.run('DELETE FROM t');
    await timed(`insert day ${day}`, () => connection.run(`INSERT INTO t ${select}`));
  }
} else {
  const result = await timed(`explain analyze day ${day}`, () =>
    connection.runAndReadAll(`EXPLAIN ANALYZE INSERT INTO t ${select}`),
  );
  for (const row of result.getRows()) console.log(String(row[1]));
}
const [count] = (await connection.runAndReadAll('SELECT count(*) FROM t')).getRows();
console.log(`rows: ${String(count?.[0])}`);
connection.closeSync();
await engine.close();
