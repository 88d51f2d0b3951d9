/**
 * Predict benchmark and backtests: `npx tsx bench/predict.ts <ga4 export folder> [size]`.
 * 1. The backtest on the generated sample (`pathlight sample` defaults: 90 days, 5000 users, seed 7).
 * 2. The backtest on the real export days in the folder (Parquet files, imported into DuckDB).
 * 3. Predict for every user beside the paths query, in one run, on the paths bench's synthetic
 *    events (`size` events, default 1000000; kept in $TMPDIR/pathlight-bench-paths for re-runs).
 * Every score is printed beside the two baselines, whatever they say.
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parsePathsSpec } from '../src/analyses/paths/pathsSpec.js';
import { runPaths } from '../src/analyses/paths/runPaths.js';
import { parsePredictSpec, type PredictSpecInput } from '../src/analyses/predict/predictSpec.js';
import { runPredict, type PredictResult } from '../src/analyses/predict/runPredict.js';
import { predictSummary } from '../src/cli/commands/predict.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { importFiles } from '../src/importer/importFiles.js';
import { generateSample } from '../src/sample/generateSample.js';
import { buildPathsEvents } from './pathsEvents.js';
import { timeOnce as time } from './syntheticEvents.js';

const timeoutMs = 3_600_000;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function backtest(
  label: string,
  file: string,
  input: PredictSpecInput,
): Promise<PredictResult> {
  const engine = await DuckdbEngine.open(file);
  try {
    const r = await time(() => runPredict(engine, parsePredictSpec(input), { timeoutMs }));
    console.log(
      `\n## ${label} (${r.s.toFixed(1)} s, load ${load()})\nspec: ${JSON.stringify(input)}`,
    );
    console.log(predictSummary(r.value));
    console.log(
      'calibration (model):',
      r.value.backtest.model.calibration
        .map(
          (c) =>
            `${c.decile}: ${c.users} users, ${(c.predicted * 100).toFixed(1)}% vs ${(c.observed * 100).toFixed(1)}%`,
        )
        .join('; '),
    );
    return r.value;
  } finally {
    await engine.close();
  }
}

const args = process.argv.slice(2);
const syntheticOnly = args.includes('--synthetic-only');
const [realDir, sizeArg] = args.filter((a) => !a.startsWith('--'));
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);
const work = mkdtempSync(join(tmpdir(), 'pathlight-bench-predict-'));

if (!syntheticOnly) {
  const sample = join(work, 'sample.duckdb');
  const g = await time(() =>
    generateSample(sample, { days: 90, users: 5000, seed: 7, endDate: '2026-10-31' }),
  );
  console.log(`sample: ${g.value.events} events in ${g.s.toFixed(1)} s`);
  await backtest('Sample, event steps', sample, { goal: 'purchase', asOf: '2026-10-31' });
  await backtest('Sample, stage steps', sample, {
    goal: 'purchase',
    asOf: '2026-10-31',
    nodeType: 'stage',
  });
}

if (realDir && realDir !== '-' && !syntheticOnly) {
  const real = join(work, 'real.duckdb');
  await importFiles(
    real,
    readdirSync(realDir)
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => join(realDir, f)),
  );
  // Two days 37 days apart: fitted on 2020-12-25, scored on what its users did on 2021-01-31.
  await backtest('Real export days, event steps', real, {
    goal: 'purchase',
    asOf: '2021-01-31',
    horizonDays: 1,
    trainDays: 40,
    activeDays: 40,
  });
}

const size = Number(sizeArg ?? 1_000_000);
const dir = join(tmpdir(), 'pathlight-bench-paths');
mkdirSync(dir, { recursive: true });
const file = join(dir, `events-${size}.duckdb`);
const b = await time(() => buildPathsEvents(file, size));
console.log(`\n## ${size} synthetic events (built in ${b.s.toFixed(1)} s), load ${load()}`);
const engine = await DuckdbEngine.open(file);
try {
  const paths = await time(() =>
    runPaths(
      engine,
      parsePathsSpec({
        dateRange: { start: '2020-11-01', end: '2020-11-01' },
        scope: 'session',
        nodeType: 'page_path',
        start: { event: 'session_start' },
        steps: 5,
        topK: 5,
        clean: [{ pattern: '\\?.*$', replace: '' }],
      }),
      { timeoutMs },
    ),
  );
  console.log(
    `paths page_path 5 steps top 5 (cleaned): ${paths.s.toFixed(2)} s, ${paths.value.journeys} journeys`,
  );
  const spec = parsePredictSpec({
    goal: 'purchase',
    asOf: '2020-11-30',
    trainDays: 29,
    activeDays: 29,
  });
  const p = await time(() => runPredict(engine, spec, { timeoutMs }));
  console.log(
    `predict (fit + place + backtest, 4 queries): ${p.s.toFixed(2)} s, ${p.value.users.length} users predicted, ${p.value.trainingPositions} training positions`,
  );
  console.log(predictSummary(p.value));
  console.log(`load average: ${load()}`);
} finally {
  await engine.close();
}
