import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePredictSpec } from '../../analyses/predict/predictSpec.js';
import { predictionsCsv } from '../../analyses/predict/predictionsCsv.js';
import { predictToTable } from '../../analyses/predict/predictToTable.js';
import type { PredictResult } from '../../analyses/predict/runPredict.js';
import type { SavedPredictions } from '../../analyses/predict/savePredictions.js';
import { loadConfig } from '../../config/config.js';
import type { Scores } from '../../analyses/predict/scores.js';
import { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import type { Engine } from '../../engines/engine.js';
import { openEngine } from '../../engines/openEngine.js';
import { dbOption } from './dbOption.js';
import { readDocument } from './funnel.js';
import { goalsOption } from './paths.js';

const num = (x: number | null, digits = 4) => (x === null ? '–' : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

/** The backtest's scores side by side, then the verdict, then how many users were predicted. */
export function predictSummary(result: PredictResult & { saved?: SavedPredictions }): string {
  const b = result.backtest;
  const rows: [string, (s: Scores) => string][] = [
    ['users scored', (s) => String(s.users)],
    ['converted', (s) => String(s.goals)],
    ['log loss', (s) => num(s.logLoss)],
    ['Brier score', (s) => num(s.brier)],
    ['AUC', (s) => num(s.auc, 3)],
    ['top-1 next step', (s) => pct(s.top1)],
    ['top-3 next step', (s) => pct(s.top3)],
    ['top-decile lift', (s) => num(s.topDecileLift, 2)],
  ];
  const lines = [
    `Backtest: fitted on ${b.trainFrom} to ${b.cutoff}, scored on ${b.cutoff} to ${b.horizonEnd} (P(${result.goal} within ${result.horizonDays} days))`,
    `${''.padEnd(18)}${'model'.padStart(10)}${'overall'.padStart(10)}${'1st order'.padStart(10)}`,
    ...rows.map(
      ([label, f]) =>
        `${label.padEnd(18)}${f(b.model).padStart(10)}${f(b.overall).padStart(10)}${f(b.firstOrder).padStart(10)}`,
    ),
    b.verdict,
    `Predicted ${result.users.length} users active from ${result.activeFrom} to ${result.cutoff}.`,
    ...(result.saved
      ? [`Wrote ${result.saved.rows} rows to ${result.saved.table} (${result.saved.engine}).`]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description(
      "each active user's current step, likeliest next steps and chance of the goal, with a backtest",
    )
    .requiredOption('--spec <file>', 'the predict spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option('--goals <file>', 'saved goals (JSON or YAML list) the spec refers to by name')
    .option('--csv <file>', 'write one row per user to this CSV file')
    .option(
      '--table <name>',
      'also write one row per user to this table, created or replaced (BigQuery: project.dataset.table; DuckDB: a table in the --db file)',
    )
    .option('--json', 'print JSON')
    .action(
      async (options: {
        spec: string;
        db?: string;
        goals?: string;
        csv?: string;
        table?: string;
        json?: boolean;
      }) => {
        const read = readDocument(options.spec, '--spec');
        const spec = parsePredictSpec(
          options.table === undefined || typeof read !== 'object' || read === null
            ? read
            : { ...read, table: options.table },
        );
        const goals = goalsOption(options.goals);
        const engine = await predictEngine(options.db, spec.table !== undefined);
        try {
          const result = await predictToTable(engine, spec, { goals });
          if (options.csv) writeFileSync(options.csv, predictionsCsv(result));
          process.stdout.write(
            options.json ? `${JSON.stringify(result, null, 2)}\n` : predictSummary(result),
          );
        } finally {
          await engine.close();
        }
      },
    );
}

/**
 * The configured engine (BigQuery when set and no --db), else the DuckDB file: read-only unless
 * the predictions are written into it.
 */
async function predictEngine(db: string | undefined, writes: boolean): Promise<Engine> {
  const config = loadConfig();
  if (!db && config.PATHLIGHT_ENGINE === 'bigquery') return openEngine(config);
  return DuckdbEngine.open(dbOption(db), {
    mode: writes ? 'write' : 'read',
    defaultTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS,
  });
}
