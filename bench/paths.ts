/**
 * Paths and next-step benchmark: `pathlight paths` (page_path nodes, forward from
 * session_start, 5 steps, top 5, query strings cleaned) and `pathlight next` (page_path nodes, goal
 * purchase) on DuckDB over synthetic GA4-shaped events. Run: `npx tsx bench/paths.ts [sizes]`
 * (default 1000000,10000000); `--build` only writes the data files (kept in $TMPDIR for re-runs).
 *
 * Events are generated in DuckDB SQL (deterministic hashes of the row number) rather than by
 * src/sample/generateSample.ts, which was still being written and is far too slow for 10M here.
 * 20 events per user over 30 days, 5 sessions per user; names: session_start 5%, page_view 45%,
 * scroll 14%, view_item 20%, add_to_cart 8%, begin_checkout 5%, purchase 3%; page_view events carry
 * a page_location among 40 paths, a third of them with a query string.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseNextStepSpec } from '../src/analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../src/analyses/nextStep/runNextStep.js';
import { parsePathsSpec } from '../src/analyses/paths/pathsSpec.js';
import { runPaths } from '../src/analyses/paths/runPaths.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { buildPathsEvents } from './pathsEvents.js';
import { timeOnce as time } from './syntheticEvents.js';

const args = process.argv.slice(2);
const buildOnly = args.includes('--build');
const sizes = (args.find((a) => !a.startsWith('--')) ?? '1000000,10000000').split(',').map(Number);
const dir = join(tmpdir(), 'pathlight-bench-paths');
mkdirSync(dir, { recursive: true });
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
const dateRange = { start: '2020-11-01', end: '2020-11-01' };
// A shared machine can be many times slower than an idle one: no query timeout to speak of.
const timeoutMs = 3_600_000;
for (const n of sizes) {
  const file = join(dir, `events-${n}.duckdb`);
  const t = performance.now();
  await buildPathsEvents(file, n);
  console.log(`${n} events: built in ${((performance.now() - t) / 1000).toFixed(1)} s (${file})`);
  if (buildOnly) continue;
  const engine = await DuckdbEngine.open(file);
  try {
    await engine.query('SELECT COUNT(*) AS n FROM events_20201101', {}, { name: 'warm' });
    console.log(
      `  load average: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const paths = parsePathsSpec({
      dateRange,
      scope: 'session',
      nodeType: 'page_path',
      start: { event: 'session_start' },
      steps: 5,
      topK: 5,
      clean: [{ pattern: '\\?.*$', replace: '' }],
    });
    const p = await time(() => runPaths(engine, paths, { timeoutMs }));
    console.log(
      `  paths page_path 5 steps top 5 (cleaned): ${p.s.toFixed(2)} s, ${p.value.journeys} journeys`,
    );
    const events = parsePathsSpec({
      dateRange,
      scope: 'session',
      nodeType: 'event',
      steps: 5,
      topK: 5,
      exclude: ['scroll'],
    });
    const e = await time(() => runPaths(engine, events, { timeoutMs }));
    console.log(`  paths event 5 steps top 5: ${e.s.toFixed(2)} s, ${e.value.journeys} journeys`);
    const next = parseNextStepSpec({
      dateRange,
      scope: 'session',
      nodeType: 'page_path',
      goal: 'purchase',
      clean: [{ pattern: '\\?.*$', replace: '' }],
    });
    const x = await time(() => runNextStep(engine, next, { timeoutMs }));
    console.log(
      `  next page_path goal purchase: ${x.s.toFixed(2)} s, ${x.value.nodes.length} nodes, P(conversion) ${x.value.conversionProbability}`,
    );
    console.log(
      `  load average: ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await engine.close();
  }
}
