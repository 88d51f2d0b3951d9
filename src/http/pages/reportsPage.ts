import type { Router } from 'express';
import { parseWith } from '../../errors/parseWith.js';
import { type FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { InputError } from '../../errors/errors.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { resolveGoalSteps } from '../../analyses/goals/goal.js';
import { goalsByName } from '../api/goals.js';
import { reportDefinitionSchema } from '../api/reports.js';
import { funnelSpecFromForm } from './funnelForm.js';
import { RANGE_LABELS } from './reportForm.js';
import { descriptorOf } from './sectionFields.js';
import { field, fields, type PageDeps } from './pageDeps.js';

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
  if (funnel.window) query.set('window', funnel.window);
  if (funnel.breakdown) query.set('breakdown', funnel.breakdown);
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
        }),
      );
    } catch (error) {
      next(error);
    }
  });
  router.post('/reports', async (req, res, next) => {
    try {
      const id = field(req.body, 'id');
      if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id))
        throw new InputError('id: expected lower-case letters, digits and dashes', 'id');
      const goals = await goalsByName(deps);
      // Goal steps are written out (event and conditions) so the report stands on its own.
      const { dateRange, ...funnel } = resolveGoalSteps(
        funnelSpecFromForm(Object.fromEntries(groupParams(field(req.body, 'funnelQuery')))),
        goals,
      );
      void dateRange; // The report sets its own (relative) range.
      // The report's goal is the funnel's last step (a goal step names its event).
      const last = funnel.steps.at(-1);
      const goalEvent = last?.event;
      const range = field(req.body, 'dateRange') || 'last_7_days';
      if (!(REPORT_RANGES as readonly string[]).includes(range))
        throw new InputError(`dateRange: expected one of ${REPORT_RANGES.join(', ')}`, 'dateRange');
      const title = field(req.body, 'title');
      const extra = fields(req.body, 'sections');
      const definition = parseWith(reportDefinitionSchema, {
        id,
        title,
        goal: { event: goalEvent, ...(last?.name ? { name: last.name } : {}) },
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
      res.redirect(303, '/reports');
    } catch (error) {
      next(error);
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
