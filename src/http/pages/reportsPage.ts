import type { Router } from 'express';
import { parseWith } from '../../errors/parseWith.js';
import { type FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import { REPORT_ID } from '../../store/storeKeys.js';
import { funnelFieldOf, renderFunnelBuilder } from './funnelPage.js';
import { pageError } from './pageError.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { resolveGoalSteps } from '../../analyses/goals/goal.js';
import { goalsByName } from '../api/goals.js';
import { reportDefinitionSchema } from '../api/reports.js';
import { conditionRows } from './conditionRows.js';
import { funnelSpecFromForm } from './funnelForm.js';
import { RANGE_LABELS } from './reportForm.js';
import { descriptorOf } from './sectionFields.js';
import { defaultRange, field, fields, type PageDeps } from './pageDeps.js';

export const REPORT_RANGES = ['last_7_days', 'last_week', 'last_28_days', 'yesterday'] as const;

/** The builder's query string for a saved funnel section, so a report reopens in the builder. */
export function builderQueryOf(funnel: Partial<FunnelSpec> | undefined): string | null {
  if (!funnel?.steps) return null;
  const query = new URLSearchParams();
  funnel.steps.forEach((step, i) => {
    // A step written out from a goal keeps the goal's name: it reopens as that goal.
    const goal = step.goal ?? (step.where?.length && step.name ? step.name : undefined);
    query.append('step', goal !== undefined ? `goal:${goal}` : `event:${step.event ?? ''}`);
    query.append('within', step.within ?? '');
    if (step.directly) query.append('directly', String(i + 1));
  });
  if (funnel.scope) query.set('scope', funnel.scope);
  if (funnel.type) query.set('type', funnel.type);
  if (funnel.identity) query.set('identity', funnel.identity);
  if (funnel.window) query.set('window', funnel.window);
  if (funnel.breakdown) query.set('breakdown', funnel.breakdown);
  if (funnel.trend) {
    query.set('trend', 'on');
    query.set('interval', funnel.trend.interval ?? 'day');
  }
  // Segments as the builder's rows, their conditions written as the condition rows show them.
  funnel.segments?.forEach((segment, i) => {
    const at = `segments.${i}`;
    query.set(`${at}.name`, segment.name);
    query.set(`${at}.scope`, segment.scope ?? 'user');
    if (segment.event) query.set(`${at}.event`, segment.event);
    for (const row of conditionRows(`${at}.where`, segment.where, [], {}).slice(0, -1)) {
      query.set(row.subjectName, row.subjects.find((x) => x.selected)?.value ?? '');
      query.set(row.opName, row.ops.find((x) => x.selected)?.value ?? 'eq');
      query.set(row.valueName, row.value);
    }
  });
  return query.toString();
}

/**
 * Reports: a funnel from the builder saved as a report definition (id, title, goal, relative
 * date range, comparison, a funnel section), the same shape a report file has.
 */
export function reportsPage(router: Router, deps: PageDeps): void {
  const repo = () => new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');
  router.get('/reports', async (_req, res, next) => {
    try {
      const reports = (await repo().list()).map((r) => {
        const sections = (r.definition.sections ?? []) as {
          type?: string;
          funnel?: Partial<FunnelSpec>;
        }[];
        return {
          id: r.key,
          title: String(r.definition.title ?? r.key),
          sections: sections.map((s) => descriptorOf(s.type ?? '')?.label ?? s.type).join(', '),
          dateRange: rangeLabel(r.definition.dateRange),
          builder: builderQueryOf(sections.find((s) => s.funnel)?.funnel),
          fromFile: r.source === 'file',
          filePath: r.filePath,
          updatedAt: r.updatedAt.toISOString().slice(0, 16).replace('T', ' '),
        };
      });
      res.type('html').send(
        deps.views.render('reports', {
          ...res.locals,
          title: 'Reports',
          nav: 'reports',
          reports,
          toast: field(_req.query, 'saved')
            ? `Report ${field(_req.query, 'saved')} saved.`
            : undefined,
        }),
      );
    } catch (error) {
      next(error);
    }
  });
  router.post('/reports', async (req, res, next) => {
    const funnelQuery = Object.fromEntries(groupParams(field(req.body, 'funnelQuery')));
    try {
      const id = field(req.body, 'id');
      if (!REPORT_ID.test(id))
        throw new InputError(
          'id: use lower-case letters, digits and dashes, starting with a letter or digit',
          'id',
        );
      const title = field(req.body, 'title');
      if (!title) throw new InputError('title: give the report a title', 'title');
      if (await repo().get(id))
        throw new InputError(`id: a report ${id} exists already; pick another id`, 'id');
      // The report sets its own (relative) range: the builder's dates are not part of it.
      const { from, to } = defaultRange();
      const { dateRange, ...funnel } = funnelSpecFromForm({ ...funnelQuery, from, to });
      // Goal steps stay references to the saved goals (checked here to exist), so a change to
      // a goal reaches every report that uses it.
      resolveGoalSteps({ dateRange, ...funnel }, await goalsByName(deps));
      // The report's goal is the funnel's last step: the saved goal it names, or its event.
      const last = funnel.steps.at(-1);
      const goal =
        last?.goal !== undefined
          ? last.goal
          : { event: last?.event, ...(last?.name ? { name: last.name } : {}) };
      const range = field(req.body, 'dateRange') || 'last_7_days';
      if (!(REPORT_RANGES as readonly string[]).includes(range))
        throw new InputError(`dateRange: expected one of ${REPORT_RANGES.join(', ')}`, 'dateRange');
      const extra = fields(req.body, 'sections');
      const definition = parseWith(reportDefinitionSchema, {
        id,
        title,
        goal,
        dateRange: range,
        comparison: field(req.body, 'comparison') || 'previous_period',
        sections: [
          ...(extra.includes('kpi_summary') ? [{ type: 'kpi_summary' }] : []),
          { type: 'funnel', title, funnel },
          ...(extra.includes('data_quality') ? [{ type: 'data_quality' }] : []),
        ],
      });
      const saved = await repo().saveFromUi(id, definition);
      if (!saved.saved) throw new InputError(`report ${id} comes from ${saved.filePath}`, 'id');
      res.redirect(303, `/reports?saved=${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof PathlightError) || error.status !== 400) return next(error);
      // The builder again, the funnel as it was, the error on the save form's field.
      try {
        const saveError = pageError(error, (path) =>
          ['id', 'title', 'dateRange', 'comparison'].includes(path) ? path : undefined,
        );
        // A fault in the funnel itself (its steps, window ...) is shown on the builder's field.
        const inFunnel = !saveError.onField && funnelFieldOf(error.field ?? '') !== undefined;
        await renderFunnelBuilder(deps, res, funnelQuery, {
          ...(inFunnel ? { funnelError: pageError(error, funnelFieldOf) } : { saveError }),
          saveForm: {
            id: field(req.body, 'id'),
            title: field(req.body, 'title'),
            dateRange: field(req.body, 'dateRange'),
            comparison: field(req.body, 'comparison'),
          },
        });
      } catch (inner) {
        next(inner);
      }
    }
  });
}

/** A report's range as the list shows it: `Last 7 days`, or `2024-03-01 to 2024-03-03`. */
function rangeLabel(range: unknown): string {
  if (typeof range === 'string') return RANGE_LABELS[range] ?? range;
  const fixed = (range ?? {}) as { start?: string; end?: string };
  return `${fixed.start ?? '?'} to ${fixed.end ?? '?'}`;
}

/** A query string as a record whose repeated keys hold arrays, as Express parses them. */
function groupParams(query: string): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of new URLSearchParams(query)) {
    const had = out.get(k);
    out.set(k, had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]);
  }
  return out;
}
