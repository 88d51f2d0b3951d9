import type { Router } from 'express';
import { identityChoices } from './identityChoices.js';
import { TOUCHPOINTS } from '../../analyses/attribution/attributionSpec.js';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import type { Goal } from '../../analyses/goals/goal.js';
import { PathlightError } from '../../errors/errors.js';
import { goalsByName } from '../api/goals.js';
import { exploreAttribution } from './exploreAttribution.js';
import {
  ANALYSES,
  checkExploreForm,
  readExploreForm,
  readPicked,
  type Analysis,
  type ExploreForm,
} from './exploreForm.js';
import { exploreNextStep } from './exploreNextStep.js';
import { explorePaths } from './explorePaths.js';
import type { ExploreInput, ExploreResult } from './exploreResult.js';
import { exploreStages } from './exploreStages.js';
import { field, type PageDeps } from './pageDeps.js';
import { pageError, type PageError } from './pageError.js';

const RUNS: Record<Analysis, (input: ExploreInput) => Promise<ExploreResult>> = {
  paths: explorePaths,
  'next-step': exploreNextStep,
  stages: exploreStages,
  attribution: exploreAttribution,
};

/** The form field of the chosen analysis that a path of its spec names. */
function fieldOf(analysis: Analysis): (path: string) => string | undefined {
  const goal = {
    paths: 'pathsStart',
    'next-step': 'nextGoal',
    stages: 'stagesGoal',
    attribution: 'attrGoal',
  }[analysis];
  return (path) => {
    if (path === 'dateRange.start' || path === 'dateRange') return 'from';
    if (path === 'dateRange.end') return 'to';
    if (/^(start|goal)\b/.test(path)) return goal;
    if (path === 'steps') return 'pathsSteps';
    if (path === 'identity') return 'identity';
    if (path === 'scope') return analysis === 'paths' ? 'pathsScope' : 'nextScope';
    if (path === 'lookback') return 'attrLookback';
    if (path === 'touchpoint') return 'attrTouchpoint';
    return undefined;
  };
}

/** A picker's options: saved goals, then the range's events; what was typed stays chosen. */
function pickerOptions(
  chosen: string,
  events: readonly string[],
  goals: ReadonlyMap<string, Goal>,
) {
  const picked = readPicked(chosen);
  const value = picked ? `${picked.kind}:${picked.name}` : '';
  const goalOptions = [...goals.keys()].map((g) => ({ value: `goal:${g}`, label: g }));
  const eventOptions = events.map((e) => ({ value: `event:${e}`, label: e }));
  const known = [...goalOptions, ...eventOptions].some((o) => o.value === value);
  const mark = (list: { value: string; label: string }[]) =>
    list.map((o) => ({ ...o, selected: o.value === value }));
  return {
    goals: mark(goalOptions),
    events: mark(eventOptions),
    // Kept so the form shows what was sent, beside the error saying why it cannot run.
    unknown: picked && !known ? { value, label: `${picked.name} (not found)` } : null,
  };
}

const choices = (chosen: string, options: readonly (readonly [string, string])[]) =>
  options.map(([value, label]) => ({ value, label, selected: value === chosen }));

function formView(form: ExploreForm, events: readonly string[], goals: ReadonlyMap<string, Goal>) {
  const scopes = [
    ['session', 'sessions'],
    ['user', 'users'],
  ] as const;
  return {
    analyses: choices(form.analysis, Object.entries(ANALYSES)),
    pathsStart: pickerOptions(form.pathsStart, events, goals),
    pathsScope: choices(form.pathsScope, scopes),
    nextGoal: pickerOptions(form.nextGoal, events, goals),
    nextScope: choices(form.nextScope, scopes),
    stagesGoal: pickerOptions(form.stagesGoal, events, goals),
    attrGoal: pickerOptions(form.attrGoal, events, goals),
    attrTouchpoints: choices(
      form.attrTouchpoint,
      TOUCHPOINTS.map((t) => [t, t.replace('_', ' / ')] as const),
    ),
  };
}

/** Runs the chosen analysis when asked to; a fault in the form comes back on its field. */
async function answer(
  deps: PageDeps,
  query: unknown,
  form: ExploreForm,
  goals: ReadonlyMap<string, Goal>,
): Promise<{ result?: ExploreResult; error?: PageError }> {
  const error = checkExploreForm(query, form, goals);
  if (error || !field(query, 'run')) return error ? { error } : {};
  const analysis = form.analysis as Analysis;
  try {
    const run = deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs };
    return { result: await RUNS[analysis]({ deps, form, goals, run }) };
  } catch (caught) {
    if (!(caught instanceof PathlightError) || caught.status !== 400) throw caught;
    return { error: pageError(caught, fieldOf(analysis)) };
  }
}

/**
 * Explore paths, next step, stages and attribution: one fieldset per analysis (the page's script
 * shows the chosen one only), run server-side, each answer a chart with its table below.
 */
export function explorePage(router: Router, deps: PageDeps): void {
  router.get('/explore', async (req, res, next) => {
    try {
      const form = readExploreForm(req.query);
      const goals = await goalsByName(deps);
      const { result, error } = await answer(deps, req.query, form, goals);
      const inventory =
        error?.field === 'from' || error?.field === 'to'
          ? { events: [] }
          : await eventInventory(deps.engine, { start: form.from, end: form.to }, { topValues: 1 });
      const analysis = form.analysis in ANALYSES ? (form.analysis as Analysis) : 'paths';
      res
        .status(error ? 400 : 200)
        .type('html')
        .send(
          deps.views.render('explore', {
            ...res.locals,
            title: `Explore: ${ANALYSES[analysis]}`,
            heading: ANALYSES[analysis],
            nav: 'explore',
            charts: true,
            form,
            analysis,
            is: { [analysis]: true },
            ...formView(
              form,
              inventory.events.map((e) => e.name),
              goals,
            ),
            identities: identityChoices(form.identity),
            result,
            // The embedded engine has no BigQuery dataset: the SQL names an example one.
            sqlExample: deps.engine.target.kind !== 'bigquery',
            chartsJson: result ? JSON.stringify(result.charts).replace(/</g, '\\u003c') : '',
            error,
          }),
        );
    } catch (error) {
      next(error);
    }
  });
}
