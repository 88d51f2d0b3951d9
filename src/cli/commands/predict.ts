import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePredictSpec } from '../../analyses/predict/predictSpec.js';
import { predictionsCsv } from '../../analyses/predict/predictionsCsv.js';
import { runPredict, type PredictResult } from '../../analyses/predict/runPredict.js';
import type { Scores } from '../../analyses/predict/scores.js';
import { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import { dbOption } from './dbOption.js';
import { readDocument } from './funnel.js';
import { goalsOption } from './paths.js';

const num = (x: number | null, digits = 4) => (x === null ? '–' : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

/** The backtest's scores side by side, then the verdict, then how many users were predicted. */
export function predictSummary(result: PredictResult): string {
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
    .option('--json', 'print JSON')
    .action(
      async (options: {
        spec: string;
        db?: string;
        goals?: string;
        csv?: string;
        json?: boolean;
      }) => {
        const spec = parsePredictSpec(readDocument(options.spec, '--spec'));
        const goals = goalsOption(options.goals);
        const engine = await DuckdbEngine.open(dbOption(options.db));
        try {
          const result = await runPredict(engine, spec, { goals });
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
