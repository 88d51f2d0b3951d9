import type { Response, Router } from 'express';
import { identityChoices } from './identityChoices.js';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { estimateFunnel } from '../../analyses/funnel/estimateFunnel.js';
import { funnelQuery } from '../../analyses/funnel/funnelQuery.js';
import { parseFunnelSpec, type FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { resolveGoalSteps, type Goal } from '../../analyses/goals/goal.js';
import { runFunnel, type FunnelResult } from '../../analyses/funnel/runFunnel.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import { comparisonLineOption, funnelBarOption } from '../../render/charts.js';
import { funnelGroupsOption } from '../../render/funnelGroupsChart.js';
import { goalsByName } from '../api/goals.js';
import { bigquerySql } from './bigquerySql.js';
import {
  MAX_SEGMENTS,
  breakdownOptions,
  formOfQuery,
  funnelSegmentsOf,
  funnelSpecFromForm,
} from './funnelForm.js';
import { segmentRows } from './listViews.js';
import type { FormProblem } from './sectionFields.js';
import { field, fields, type PageDeps } from './pageDeps.js';
import { pageError, type PageError } from './pageError.js';
import { pageRange } from './pageRange.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const choices = (chosen: string, labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label, selected: value === chosen }));

/** The builder's field for a path of the funnel spec. */
export function funnelFieldOf(path: string): string | undefined {
  if (path === 'dateRange.start' || path === 'dateRange') return 'from';
  if (path === 'dateRange.end') return 'to';
  if (['window', 'breakdown', 'scope', 'type', 'identity', 'trend'].includes(path)) return path;
  if (path === 'trend.interval') return 'interval';
  if (path.startsWith('steps')) return 'steps';
  if (path === 'segments') return 'segments.0.name';
  // A segment's field as its row names it: `segments[1].where[0].value` → `segments.1.where.0.value`;
  // a segment or condition refused as a whole is shown on the field that completes it.
  const m = /^segments\[(\d+)\](?:\.where\[(\d+)\])?(.*)$/.exec(path);
  if (!m) return undefined;
  const row = `segments.${m[1]}`;
  const rest = m[3] ?? '';
  if (m[2] !== undefined) return `${row}.where.${m[2]}.${rest.replace(/^\./, '') || 'value'}`;
  return rest ? `${row}.${rest.replace(/^\./, '')}` : `${row}.event`;
}

export const TOO_FEW_STEPS =
  'Pick at least 2 steps: a funnel shows how many go on from one to the next.';

const lastRate = (steps: readonly { conversionRate: number }[]) =>
  steps[steps.length - 1]?.conversionRate ?? 0;

/**
 * The chart options the page draws: the steps; the groups of a breakdown and the segments, as
 * grouped bars; conversion over time as the report's trended funnel draws it (to the last step,
 * in %).
 */
export function funnelCharts(result: FunnelResult) {
  const names = result.steps.map((s) => s.name);
  const grouped = (groups: { name: string; steps: { count: number }[] }[]) =>
    groups.length
      ? funnelGroupsOption(
          names,
          groups.map((g) => ({ name: g.name, counts: g.steps.map((s) => s.count) })),
        )
      : null;
  const periods = result.trend?.periods ?? [];
  return {
    steps: funnelBarOption(result.steps),
    groups: grouped(result.breakdown.map((b) => ({ name: b.value, steps: b.steps }))),
    segments: grouped(result.segments),
    trend: result.trend
      ? comparisonLineOption(
          periods.map((p) => p.start),
          {
            name: 'Conversion, %',
            values: periods.map((p) => Math.round(lastRate(p.steps) * 1000) / 10),
          },
          null,
        )
      : null,
  };
}

/**
 * The funnel's main query as BigQuery runs it (the general form: the first-match form needs
 * DuckDB's list functions), values written in and events read as the spec's identity joins them:
 * what Show SQL offers to paste.
 */
function funnelSql(deps: PageDeps, spec: FunnelSpec, goals: ReadonlyMap<string, Goal>): string {
  const query = funnelQuery(resolveGoalSteps(spec, goals));
  return bigquerySql(deps, 'funnel', query, spec.identity);
}

const grouped = (name: string, steps: readonly FunnelResult['steps'][number][]) => ({
  name,
  steps: steps.map((s, i) => ({ ...s, number: i + 1, conversion: pct(s.conversionRate) })),
});

/** Bars and rows of a funnel result, as the page and the client script show them. */
export function funnelView(result: FunnelResult, sql: string) {
  const first = result.steps[0]?.count ?? 0;
  return {
    unit: result.unit,
    empty: first === 0,
    steps: result.steps.map((s, i) => ({
      ...s,
      number: i + 1,
      conversion: pct(s.conversionRate),
      fromPreviousText: pct(s.fromPrevious),
      barWidth: first > 0 ? Math.max(1, Math.round((s.count / first) * 100)) : 0,
    })),
    groups: result.breakdown.map((b) => grouped(b.value, b.steps)),
    segments: result.segments.map((g) => grouped(g.name, g.steps)),
    trend: result.trend && {
      interval: result.trend.interval,
      names: result.steps.map((s, i) => `${i + 1}. ${s.name}`),
      periods: result.trend.periods.map((p) => ({
        start: p.start,
        counts: p.steps.map((s) => s.count),
        conversion: pct(lastRate(p.steps)),
      })),
    },
    charts: JSON.stringify(funnelCharts(result)).replace(/</g, '\\u003c'),
    sql,
    bytesProcessed: result.bytesProcessed,
  };
}

export interface BuilderExtra {
  /** An error of the "save as a report" form, shown on its field there. */
  readonly saveError?: PageError;
  readonly saveForm?: Record<string, string>;
  /** An error of the funnel a save was refused for, shown on the builder's field. */
  readonly funnelError?: PageError;
}

/** The funnel builder for a query (the form's fields); runs the funnel when 2 steps are picked. */
export async function renderFunnelBuilder(
  deps: PageDeps,
  res: Response,
  query: Record<string, unknown>,
  extra: BuilderExtra = {},
): Promise<void> {
  // A segment's remove button (without script) posts the form with its row left out.
  const drop = /^drop:(segments\.\d{1,2})$/.exec(field(query, 'op'))?.[1];
  if (drop !== undefined || 'op' in query) {
    query = Object.fromEntries(
      Object.entries(query).filter(([k]) => k !== 'op' && !k.startsWith(`${drop ?? 'op'}.`)),
    );
  }
  const range = pageRange(field(query, 'from'), field(query, 'to'));
  const { from, to } = range;
  const [inventory, goals] = await Promise.all([
    range.error
      ? Promise.resolve({ events: [] as { name: string }[] })
      : eventInventory(deps.engine, { start: from, end: to }, { topValues: 1 }),
    goalsByName(deps),
  ]);
  const chosen = fields(query, 'step');
  const within = fields(query, 'within');
  const directly = new Set(fields(query, 'directly'));
  const rows = (chosen.length > 0 ? chosen : ['', '', '']).map((value, i) => ({
    number: i + 1,
    value,
    within: within[i] ?? '',
    directly: directly.has(String(i + 1)),
  }));
  const segmentProblems: FormProblem[] = [];
  const typedSegments = funnelSegmentsOf(query, segmentProblems);
  const segments = segmentRows(
    'segments',
    typedSegments,
    {
      events: inventory.events.map((e) => e.name),
      params: [
        ...new Set(
          inventory.events.flatMap((e) =>
            'params' in e ? (e.params as { key: string }[]).map((p) => p.key) : [],
          ),
        ),
      ].sort(),
      savedGoals: [],
      personas: [],
    },
    Object.fromEntries(segmentProblems.map((p) => [p.name, p.raw])),
  ).slice(0, MAX_SEGMENTS);
  const pickers = [
    ...[...goals.keys()].map((g) => ({ value: `goal:${g}`, label: `Goal: ${g}`, group: 'goal' })),
    ...inventory.events.map((e) => ({ value: `event:${e.name}`, label: e.name, group: 'event' })),
  ];
  // A step picked that this range does not list (no data then) stays picked, not reset.
  for (const value of new Set(chosen.filter((c) => /^event:./.test(c)))) {
    if (!pickers.some((p) => p.value === value))
      pickers.push({ value, label: value.slice('event:'.length), group: 'event' });
  }
  let result;
  let error: PageError | undefined = range.error;
  const picked = chosen.filter(Boolean).length;
  if (!error && picked === 1)
    error = { field: 'steps', where: '', message: TOO_FEW_STEPS, onField: true };
  if (!error && picked >= 2) {
    try {
      const spec = funnelSpecFromForm({ ...query, from, to });
      result = funnelView(
        await runFunnel(deps.engine, spec, { goals }),
        funnelSql(deps, spec, goals),
      );
    } catch (caught) {
      if (!(caught instanceof PathlightError) || caught.status !== 400) throw caught;
      error = pageError(caught, funnelFieldOf);
    }
  }
  error ??= extra.funnelError;
  // Opened from the report editor: the builder can put this funnel back into that section.
  const report = field(query, 'report');
  const section = field(query, 'section');
  const into =
    /^[a-z0-9][a-z0-9-]{0,63}$/.test(report) && /^\d{1,2}$/.test(section)
      ? { report, section, number: Number(section) + 1 }
      : undefined;
  const funnelKeys = [
    'trend',
    'interval',
    'from',
    'to',
    'step',
    'within',
    'directly',
    'scope',
    'type',
    'identity',
    'window',
    'breakdown',
  ];
  res
    .status(extra.saveError || extra.funnelError ? 400 : 200)
    .type('html')
    .send(
      deps.views.render('funnel', {
        ...res.locals,
        title: 'Funnel',
        nav: 'funnel',
        charts: true,
        from,
        to,
        rows: rows.map((r) => ({
          ...r,
          options: pickers.map((p) => ({ ...p, selected: p.value === r.value })),
        })),
        goalPickers: pickers.filter((p) => p.group === 'goal'),
        scopes: choices(field(query, 'scope') || 'user', { user: 'users', session: 'sessions' }),
        types: choices(field(query, 'type') || 'closed', {
          closed: 'closed (enter at step 1)',
          open: 'open (enter at any step)',
        }),
        identities: identityChoices(field(query, 'identity')),
        window: field(query, 'window'),
        breakdowns: breakdownOptions.map((b) => ({
          ...b,
          selected: b.value === field(query, 'breakdown'),
        })),
        trend: field(query, 'trend') !== '',
        intervals: choices(field(query, 'interval') || 'day', { day: 'day', week: 'week' }),
        segments,
        result,
        sqlExample: deps.engine.target.kind !== 'bigquery',
        error,
        saveError: extra.saveError,
        saveForm: extra.saveForm ?? {},
        into,
        // Without script the save forms carry the funnel as it was last previewed.
        funnelQuery: new URLSearchParams(
          Object.entries(query)
            .filter(([k]) => funnelKeys.includes(k) || k.startsWith('segments.'))
            .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)])),
        ).toString(),
      }),
    );
}

/** A bad form, answered as JSON with the field the page shows it on; anything else goes on. */
function answerFormError(error: unknown, res: Response, next: (error: unknown) => void): void {
  if (error instanceof PathlightError && error.status === 400) {
    res.status(400).json({ error: { code: error.code, ...pageError(error, funnelFieldOf) } });
    return;
  }
  next(error);
}

/** The funnel builder: pickers, options, a server-side preview, and the live preview's JSON. */
export function funnelPage(router: Router, deps: PageDeps): void {
  router.get('/funnel', async (req, res, next) => {
    try {
      await renderFunnelBuilder(deps, res, req.query as Record<string, unknown>);
    } catch (error) {
      next(error);
    }
  });
  // The cost line before the preview runs: the form as typed, read as the GET form is, so the
  // estimate counts the segments, trend and other queries the preview will run.
  router.post('/funnel/estimate', async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as { form?: unknown };
      if (typeof body.form !== 'string')
        throw new InputError('form: expected the form as typed', 'form');
      const spec = funnelSpecFromForm(formOfQuery(body.form));
      res.json(await estimateFunnel(deps.engine, spec, await goalsByName(deps)));
    } catch (error) {
      answerFormError(error, res, next);
    }
  });
  // The live preview: the funnel's answer (as POST /api/funnels/run gives it) with the charts
  // the page draws, built by the same option builders the reports use.
  router.post('/funnel/preview', async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as { steps?: unknown; form?: unknown };
      // The page's script posts its form as typed (`form`, a query string), read as the GET form
      // is, so a segment's conditions and their errors are the server's; the API posts a spec.
      const form = typeof body.form === 'string' ? formOfQuery(body.form) : undefined;
      const picked = form ? fields(form, 'step').filter(Boolean) : body.steps;
      if (Array.isArray(picked) && picked.length < 2) throw new InputError(TOO_FEW_STEPS, 'steps');
      const spec = form ? funnelSpecFromForm(form) : parseFunnelSpec(req.body);
      const goals = await goalsByName(deps);
      const result = await runFunnel(deps.engine, spec, {
        goals,
        ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
      });
      // Show SQL offers BigQuery's text to paste, as the page drawn by the server does.
      res.json({
        ...result,
        sql: funnelSql(deps, spec, goals),
        sqlExample: deps.engine.target.kind !== 'bigquery',
        charts: funnelCharts(result),
      });
    } catch (error) {
      answerFormError(error, res, next);
    }
  });
}
