/**
 * Row group size of the sample's tables, both sides in one run: the same sample (seed 7) written
 * with DuckDB's default 122,880-row groups and with the generator's smaller ones, timing the write
 * and then the analyses a report runs on each file, alternately, so the machine's load falls on
 * both alike. Run: npx tsx bench/sampleRowGroups.ts [<days>x<users>] [--rounds N]
 * (default 9x45000: about 75,000 events a day, the day size of a 10M-event 90-day sample).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { funnelSpecSchema } from '../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../src/analyses/funnel/runFunnel.js';
import { parsePathsSpec } from '../src/analyses/paths/pathsSpec.js';
import { runPaths } from '../src/analyses/paths/runPaths.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { SAMPLE_ROW_GROUP_SIZE, generateSample } from '../src/sample/generateSample.js';
import { timeOnce as time } from './syntheticEvents.js';

const args = process.argv.slice(2);
const size = args.find((a) => /^\d+x\d+$/.test(a)) ?? '9x45000';
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const [days, users] = size.split('x').map(Number) as [number, number];
const endDate = '2026-10-31';
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'pathlight-bench-row-groups-'));
const sizes = [122_880, SAMPLE_ROW_GROUP_SIZE];
const files = new Map<number, string>();
try {
  console.log(`${size} (seed 7), load ${load()}`);
  for (const rowGroupSize of sizes) {
    const file = join(dir, `rg-${rowGroupSize}.duckdb`);
    const t = await time(() =>
      generateSample(file, { days, users, seed: 7, endDate, rowGroupSize }),
    );
    console.log(
      `  written with ${rowGroupSize}-row groups: ${t.value.events} events in ${t.s.toFixed(1)} s (load ${load()})`,
    );
    files.set(rowGroupSize, file);
  }
  const start = new Date(Date.parse(`${endDate}T00:00:00Z`) - (days - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const dateRange = { start, end: endDate };
  const funnel = funnelSpecSchema.parse({
    dateRange,
    includeIntraday: true,
    steps: [
      { event: 'session_start' },
      { event: 'view_item' },
      { event: 'add_to_cart' },
      { event: 'begin_checkout' },
      { event: 'purchase' },
    ],
    breakdown: 'device_category',
  });
  const paths = parsePathsSpec({
    dateRange,
    scope: 'session',
    nodeType: 'page_path',
    start: { event: 'session_start' },
    steps: 5,
    topK: 5,
  });
  const analyses: Record<string, (engine: DuckdbEngine) => Promise<unknown>> = {
    'funnel, 5 steps by device': (engine) => runFunnel(engine, funnel),
    'paths, pages from session start': (engine) => runPaths(engine, paths),
    'events by name and day': (engine) =>
      engine.query(
        'SELECT event_name, _TABLE_SUFFIX AS day, COUNT(*) AS n FROM events_wildcard GROUP BY ALL',
        {},
        { name: 'counts' },
      ),
  };
  const seconds = new Map<string, number[]>();
  const engines = new Map<number, DuckdbEngine>();
  for (const [rowGroupSize, file] of files)
    engines.set(rowGroupSize, await DuckdbEngine.open(file));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [name, run] of Object.entries(analyses)) {
        for (const [rowGroupSize, engine] of engines) {
          const t = await time(() => run(engine));
          const key = `${name}|${rowGroupSize}`;
          seconds.set(key, [...(seconds.get(key) ?? []), t.s]);
        }
      }
    }
  } finally {
    for (const engine of engines.values()) await engine.close();
  }
  console.log(`analyses, median of ${rounds} (load ${load()}):`);
  for (const name of Object.keys(analyses)) {
    const [big, small] = sizes.map((s) => median(seconds.get(`${name}|${s}`)!)) as [number, number];
    console.log(
      `  ${name}: ${big.toFixed(3)} s with ${sizes[0]}, ${small.toFixed(3)} s with ${sizes[1]} (${(small / big).toFixed(2)}x)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
