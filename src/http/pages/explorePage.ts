import type { Router } from 'express';
import { TOUCHPOINTS } from '../../analyses/attribution/attributionSpec.js';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { parseNextStepSpec } from '../../analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../analyses/nextStep/runNextStep.js';
import { parsePathsSpec } from '../../analyses/paths/pathsSpec.js';
import { runPaths } from '../../analyses/paths/runPaths.js';
import { runStages } from '../../analyses/stages/runStages.js';
import { parseStagesSpec } from '../../analyses/stages/stagesSpec.js';
import { InputError } from '../../errors/errors.js';
import { renderSectionHtml } from '../../render/renderHtml.js';
import { buildReportModel } from '../../reports/buildReportModel.js';
import { parseReportDefinition } from '../../reports/reportDefinition.js';
import { goalsByName } from '../api/goals.js';
import { defaultRange, field, type PageDeps } from './pageDeps.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const bar = (n: number, of: number) => (of > 0 ? Math.max(1, Math.round((n / of) * 100)) : 0);
const ANALYSES = {
  paths: 'Paths',
  'next-step': 'Next step',
  stages: 'Stages',
  attribution: 'Attribution',
} as const;
type Analysis = keyof typeof ANALYSES;

/** Rows for the page's one table shape: label, count, share, bar. */
async function explore(deps: PageDeps, analysis: Analysis, q: unknown) {
  const dateRange = { start: field(q, 'from'), end: field(q, 'to') };
  const goals = await goalsByName(deps);
  const anchor = field(q, 'anchor');
  const scope = field(q, 'scope') || 'session';
  if (analysis === 'paths') {
    const result = await runPaths(
      deps.engine,
      parsePathsSpec({
        dateRange,
        scope,
        ...(anchor ? { start: anchor } : {}),
        steps: Number(field(q, 'steps') || 4),
      }),
      { goals },
    );
    return {
      summary: `${result.journeys} ${result.unit}, ${result.direction}`,
      sections: result.steps.map((step) => ({
        heading: `Step ${step.index}`,
        rows: step.nodes.map((n) => ({
          label: n.node,
          value: n.count,
          share: pct(step.journeys ? n.count / step.journeys : 0),
          width: bar(n.count, step.journeys),
        })),
      })),
    };
  }
  if (analysis === 'attribution') {
    // The report's own sections (models side by side with the chart, top conversion paths), so
    // the page and the emailed report draw the same thing from one query run.
    const touchpoint = field(q, 'touchpoint') || 'channel';
    const lookback = field(q, 'lookback') || '30d';
    let definition;
    try {
      definition = parseReportDefinition({
        id: 'explore',
        title: 'Attribution',
        goal: { event: anchor || 'purchase' },
        dateRange,
        comparison: 'none',
        sections: [
          { type: 'attribution_table', touchpoint, lookback },
          { type: 'conversion_paths', touchpoint, lookback },
          { type: 'touchpoint_value', touchpoint, lookback },
        ],
      });
    } catch (error) {
      // Name the page's own field, not the path inside the definition built from it.
      const at =
        error instanceof InputError ? /\.(touchpoint|lookback)\b/.exec(error.field ?? '') : null;
      if (!at || !(error instanceof InputError)) throw error;
      throw new InputError(`${at[1]}: ${error.message.replace(/^[^:]*: /, '')}`, at[1] as string);
    }
    const model = await buildReportModel(deps.engine, definition, new Date());
    return {
      summary: `Conversions of ${anchor || 'purchase'}, ${dateRange.start} to ${dateRange.end}`,
      sections: [],
      html: model.sections.map(renderSectionHtml),
    };
  }
  if (analysis === 'next-step') {
    const spec = parseNextStepSpec({
      dateRange,
      scope,
      nodeType: 'event',
      goal: anchor || 'purchase',
      minSupport: 1,
    });
    const result = await runNextStep(deps.engine, spec, { goals });
    // The report's own section: the counted share beside the chain's estimate, in the same words.
    const definition = parseReportDefinition({
      id: 'explore',
      title: 'Next step',
      goal: { event: result.goal },
      dateRange,
      comparison: 'none',
      sections: [
        {
          type: 'next_step',
          nodes: 20,
          nextStep: { scope, nodeType: 'event', minSupport: 1, goal: spec.goal },
        },
      ],
    });
    const model = await buildReportModel(deps.engine, definition, new Date());
    return {
      summary: `${result.journeys} ${result.unit}, ${result.conversions} converted to ${result.goal}; overall ${pct(result.conversionProbability)}`,
      sections: [],
      html: model.sections.map(renderSectionHtml),
    };
  }
  const result = await runStages(
    deps.engine,
    parseStagesSpec({ dateRange, ...(anchor ? { goal: anchor } : {}) }),
  );
  return {
    summary: `${result.users} users`,
    sections: [
      {
        heading: 'Users per stage',
        rows: result.stages.map((s) => ({
          label: s.name,
          value: s.users,
          share: pct(s.shareOfUsers),
          width: Math.round(s.shareOfUsers * 100),
        })),
      },
      {
        heading: 'Progression',
        rows: result.progression.map((p) => ({
          label: `${p.from} → ${p.to}`,
          value: p.users,
          share: pct(p.rate),
          width: Math.round(p.rate * 100),
        })),
      },
      {
        heading: 'Exit pages of sessions without the goal',
        rows: result.painPoints.exitPages.map((e) => ({
          label: e.page,
          value: e.sessions,
          share: pct(e.share),
          width: Math.round(e.share * 100),
        })),
      },
    ],
  };
}

/** Explore paths, next step, stages and attribution: a small form, run server-side. */
export function explorePage(router: Router, deps: PageDeps): void {
  router.get('/explore', async (req, res, next) => {
    try {
      const range = defaultRange();
      const analysis = (field(req.query, 'analysis') || 'paths') as Analysis;
      if (!(analysis in ANALYSES))
        throw new InputError(
          `analysis: expected one of ${Object.keys(ANALYSES).join(', ')}`,
          'analysis',
        );
      const q = {
        ...req.query,
        from: field(req.query, 'from') || range.from,
        to: field(req.query, 'to') || range.to,
      };
      const inventory = await eventInventory(
        deps.engine,
        { start: q.from, end: q.to },
        { topValues: 1 },
      );
      let result;
      let error;
      if (field(req.query, 'run')) {
        try {
          result = await explore(deps, analysis, q);
        } catch (caught) {
          if (!(caught instanceof InputError)) throw caught;
          error = { message: caught.message, field: caught.field };
        }
      }
      const anchor = field(req.query, 'anchor');
      res.type('html').send(
        deps.views.render('explore', {
          ...res.locals,
          title: ANALYSES[analysis],
          nav: 'explore',
          from: q.from,
          to: q.to,
          steps: field(req.query, 'steps') || '4',
          lookback: field(req.query, 'lookback') || '30d',
          touchpoints: TOUCHPOINTS.map((value) => ({
            value,
            selected: value === (field(req.query, 'touchpoint') || 'channel'),
          })),
          analyses: Object.entries(ANALYSES).map(([value, label]) => ({
            value,
            label,
            selected: value === analysis,
          })),
          anchors: inventory.events.map((e) => ({ value: e.name, selected: e.name === anchor })),
          scopes: ['session', 'user'].map((value) => ({
            value,
            selected: value === (field(req.query, 'scope') || 'session'),
          })),
          result,
          error,
        }),
      );
    } catch (error) {
      next(error);
    }
  });
}
