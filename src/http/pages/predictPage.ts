import type { Router } from 'express';
import { parsePredictSpec, type PredictSpec } from '../../analyses/predict/predictSpec.js';
import { predictionsCsv } from '../../analyses/predict/predictionsCsv.js';
import { runPredict, type PredictResult } from '../../analyses/predict/runPredict.js';
import { scoreTerms } from '../../analyses/predict/scoreTerms.js';
import type { Scores } from '../../analyses/predict/scores.js';
import { InputError } from '../../errors/errors.js';
import { goalsByName } from '../api/goals.js';
import { field, type PageDeps } from './pageDeps.js';
import { plainWords } from './pageError.js';

const NUMBERS = ['horizonDays', 'trainDays', 'activeDays', 'maxOrder', 'minSupport'] as const;
const DEFAULTS = {
  horizonDays: '7',
  trainDays: '28',
  activeDays: '7',
  maxOrder: '3',
  minSupport: '30',
};
const NODE_TYPES = [
  ['event', 'Events'],
  ['page_path', 'Pages'],
  ['channel', 'Channels'],
  ['stage', 'Stages'],
] as const;
/** Users listed on the page (the likeliest to convert first); the CSV has them all. */
const LISTED = 100;

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, digits = 4) => (x === null ? '–' : x.toFixed(digits));

/** The form's values as typed, defaults filled in. */
function formValues(q: unknown) {
  const typed = Object.fromEntries(NUMBERS.map((n) => [n, field(q, n) || DEFAULTS[n]]));
  return {
    goal: field(q, 'goal') || 'purchase',
    nodeType: field(q, 'nodeType') || 'event',
    asOf: field(q, 'asOf'),
    ...typed,
  } as Record<string, string>;
}

/** A spec from the form; a number field that is not a whole number is named in plain words. */
function specFrom(values: Record<string, string>): PredictSpec {
  const numbers: Record<string, number> = {};
  for (const n of NUMBERS) {
    const v = values[n] as string;
    if (!/^\d+$/.test(v)) throw new InputError(`${n}: expected a whole number, got "${v}"`, n);
    numbers[n] = Number(v);
  }
  return parsePredictSpec({
    goal: values.goal,
    nodeType: values.nodeType,
    ...(values.asOf ? { asOf: values.asOf } : {}),
    ...numbers,
  });
}

/** Each field's message, from an error naming one or more fields ("a: …; b: …"). */
function fieldErrors(error: InputError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of error.message.split('; ')) {
    const m = /^([A-Za-z]+)[^:]*: (.*)$/.exec(part);
    const name = m?.[1] ?? error.field ?? 'form';
    out[name] ??= plainWords(m?.[2] ?? part);
  }
  return out;
}

function scoreRows(r: PredictResult) {
  const b = r.backtest;
  const row = (label: string, f: (s: Scores) => string) => ({
    label,
    model: f(b.model),
    overall: f(b.overall),
    firstOrder: f(b.firstOrder),
  });
  return [
    row('Users scored', (s) => String(s.users)),
    row(`Converted (${r.goal})`, (s) => String(s.goals)),
    row('Log loss (lower is better)', (s) => num(s.logLoss)),
    row('Brier score (lower is better)', (s) => num(s.brier)),
    row('AUC (higher is better)', (s) => num(s.auc, 3)),
    row('Next step: top-1 right', (s) => pct(s.top1)),
    row('Next step: in the top 3', (s) => pct(s.top3)),
    row('Lift in the top tenth', (s) => num(s.topDecileLift, 2)),
  ];
}

function view(r: PredictResult) {
  const users = [...r.users].sort(
    (a, b) => b.goalProbability - a.goalProbability || (a.user < b.user ? -1 : 1),
  );
  return {
    goal: r.goal,
    horizonDays: r.horizonDays,
    window: `fitted on ${r.trainFrom.slice(0, 10)} to ${r.cutoff.slice(0, 10)} (cutoff ${r.cutoff}), users active since ${r.activeFrom.slice(0, 10)}`,
    backtest: {
      window: `fitted on ${r.backtest.trainFrom.slice(0, 10)} to ${r.backtest.cutoff.slice(0, 10)}, scored on what users did from ${r.backtest.cutoff.slice(0, 10)} to ${r.backtest.horizonEnd.slice(0, 10)}`,
      verdict: r.backtest.verdict,
      beats: r.backtest.beatsOverall.logLoss && r.backtest.beatsOverall.brier,
      rows: scoreRows(r),
      terms: scoreTerms(r.goal),
      calibration: r.backtest.model.calibration.map((c) => ({
        decile: c.decile,
        users: c.users,
        predicted: pct(c.predicted),
        observed: pct(c.observed),
      })),
    },
    count: r.users.length,
    listed: Math.min(LISTED, users.length),
    users: users.slice(0, LISTED).map((u) => ({
      user: u.user,
      stage: u.stage ?? '–',
      node: u.node,
      before: [...u.context].reverse().join(' → '),
      next: u.next.map((n) => ({ node: n.node, probability: pct(n.probability) })),
      goal: pct(u.goalProbability),
      basis: u.order === 0 ? `overall rate, ${u.support}` : `last ${u.order}, ${u.support}`,
    })),
  };
}

/** Where each active user is, what they will likely do next, and how good that guess has been. */
export function predictPage(router: Router, deps: PageDeps): void {
  const run = async (values: Record<string, string>) =>
    runPredict(deps.engine, specFrom(values), {
      goals: await goalsByName(deps),
      ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
    });
  router.get('/predict', async (req, res, next) => {
    try {
      const values = formValues(req.query);
      let result;
      let errors: Record<string, string> = {};
      if (field(req.query, 'run')) {
        try {
          result = view(await run(values));
        } catch (caught) {
          if (!(caught instanceof InputError)) throw caught;
          errors = fieldErrors(caught);
        }
      }
      res.type('html').send(
        deps.views.render('predict', {
          ...res.locals,
          title: 'Predict',
          nav: 'predict',
          values,
          nodeTypes: NODE_TYPES.map(([value, label]) => ({
            value,
            label,
            selected: value === values.nodeType,
          })),
          errors,
          hasErrors: Object.keys(errors).length > 0,
          exportQuery: new URLSearchParams(values).toString(),
          result,
        }),
      );
    } catch (error) {
      next(error);
    }
  });
  router.get('/predict/export.csv', async (req, res, next) => {
    try {
      const result = await run(formValues(req.query));
      res
        .type('text/csv')
        .attachment(`predictions-${result.goal}-${result.cutoff.slice(0, 10)}.csv`)
        .send(predictionsCsv(result));
    } catch (error) {
      next(error);
    }
  });
}
