import { predictSpecSchema } from '../../analyses/predict/predictSpec.js';
import { runPredict } from '../../analyses/predict/runPredict.js';
import { scoreTerms } from '../../analyses/predict/scoreTerms.js';
import type { Scores } from '../../analyses/predict/scores.js';
import { parseWith } from '../../errors/parseWith.js';
import type { Formatter } from '../format.js';
import type { SectionBuilder } from './sectionInput.js';

export interface PredictionContext {
  readonly goal: string;
  readonly horizonDays: string;
  readonly users: string;
  readonly activeFrom: string;
  readonly cutoff: string;
  readonly backtestWindow: string;
  readonly verdict: string;
  readonly beats: boolean;
  readonly scores: { label: string; model: string; overall: string; firstOrder: string }[];
  readonly terms: { term: string; meaning: string }[];
  readonly calibration: { decile: number; users: string; predicted: string; observed: string }[];
}

const day = (iso: string) => iso.slice(0, 10);

function scoreRows(fmt: Formatter, goal: string, b: { [k: string]: Scores }) {
  const dec = (x: number | null, digits: number) => (x === null ? '–' : x.toFixed(digits));
  const pct = (x: number | null) => (x === null ? '–' : fmt.percent(x));
  const rows: [string, (s: Scores) => string][] = [
    ['Users scored', (s) => fmt.integer(s.users)],
    [`Reached ${goal}`, (s) => fmt.integer(s.goals)],
    ['Log loss (lower is better)', (s) => dec(s.logLoss, 4)],
    ['Brier score (lower is better)', (s) => dec(s.brier, 4)],
    ['AUC (higher is better)', (s) => dec(s.auc, 3)],
    ['Next step: top guess right', (s) => pct(s.top1)],
    ['Next step: in the top 3', (s) => pct(s.top3)],
    ['Lift in the top tenth', (s) => dec(s.topDecileLift, 2)],
  ];
  return rows.map(([label, f]) => ({
    label,
    model: f(b.model as Scores),
    overall: f(b.overall as Scores),
    firstOrder: f(b.firstOrder as Scores),
  }));
}

/**
 * The prediction as of the report's last day: how many users it places, and how well the same
 * model did on the week before (the backtest beside the overall rate and the current step alone,
 * its verdict in words, the calibration by tenth). The per-user list is the Predict page's, the
 * CSV's and the table's, not a report's.
 */
export const buildPredictionSection: SectionBuilder<'prediction', PredictionContext> = async (
  input,
  section,
) => {
  const { fmt, range, definition } = input;
  const spec = parseWith(
    predictSpecSchema,
    {
      goal: input.goal.where.length
        ? { event: input.goal.event, where: input.goal.where }
        : input.goal.event,
      ...section.predict,
      asOf: range.end,
      includeIntraday: definition.includeIntraday,
    },
    'predict',
  );
  const result = await runPredict(input.engine, spec, { goals: input.goals });
  const goal = section.predict.goal === undefined ? input.goal.name : result.goal;
  const b = result.backtest;
  return {
    type: 'prediction',
    partial: 'prediction',
    title: section.title ?? 'Prediction: who converts next',
    context: {
      goal,
      horizonDays: fmt.integer(result.horizonDays),
      users: fmt.integer(result.users.length),
      activeFrom: day(result.activeFrom),
      cutoff: day(result.cutoff),
      backtestWindow: `fitted on ${day(b.trainFrom)} to ${day(b.cutoff)}, scored on what users did from ${day(b.cutoff)} to ${day(b.horizonEnd)}`,
      verdict: b.verdict,
      beats: b.beatsOverall.logLoss && b.beatsOverall.brier,
      scores: scoreRows(fmt, goal, {
        model: b.model,
        overall: b.overall,
        firstOrder: b.firstOrder,
      }),
      terms: scoreTerms(goal),
      calibration: b.model.calibration.map((c) => ({
        decile: c.decile,
        users: fmt.integer(c.users),
        predicted: fmt.percent(c.predicted),
        observed: fmt.percent(c.observed),
      })),
    },
  };
};
