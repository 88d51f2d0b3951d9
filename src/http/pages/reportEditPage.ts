import type { Response, Router } from 'express';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import type { FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { resolveGoalSteps } from '../../analyses/goals/goal.js';
import { InputError, NotFoundError, PathlightError } from '../../errors/errors.js';
import { parseReportDefinition, type ReportDefinition } from '../../reports/reportDefinition.js';
import { renderReport } from '../../reports/renderReport.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { storedGoals } from '../../app/storedDefinitions.js';
import { goalsByName } from '../api/goals.js';
import { ForbiddenError } from '../auth/access.js';
import { funnelSpecFromForm } from './funnelForm.js';
import { defaultRange, field, type PageDeps } from './pageDeps.js';
import { reportEditorView } from './reportEditorView.js';
import { pageError } from './pageError.js';
import { applyOp, newDraft, readDraft, type ReportDraft } from './reportForm.js';
import type { FormProblem } from './sectionFields.js';

/** The store's report ids are stricter than the schema's (no underscores). */
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The report editor: header fields, then sections added, removed, reordered and configured one by
 * one (the fields come from each section type's schema), previewed as HTML or PDF before saving.
 * Every button works without script; the client script only moves sections without a round trip.
 */
export function reportEditPage(router: Router, deps: PageDeps): void {
  const repo = () => new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');

  const show = async (
    res: Response,
    draft: ReportDraft,
    extra: {
      storedId?: string;
      fromFile?: string | null;
      error?: PathlightError;
      problems?: readonly FormProblem[];
      status?: number;
    },
  ) => {
    // Viewers read and preview reports from the list; the editor is for those who may save.
    if (res.locals.canEdit !== true)
      throw new ForbiddenError(`${String(res.locals.user?.email)} may view reports, not edit them`);
    const range = defaultRange();
    const [inventory, goals] = await Promise.all([
      eventInventory(deps.engine, { start: range.from, end: range.to }, { topValues: 1 }),
      goalsByName(deps),
    ]);
    const problems = extra.problems ?? [];
    const first = problems[0];
    const error = first
      ? pageError(new InputError(`${first.path}: ${first.message}`, first.path), editorFieldOf)
      : extra.error && pageError(extra.error, editorFieldOf);
    res
      .status(extra.status ?? 200)
      .type('html')
      .send(
        deps.views.render('reportEdit', {
          ...res.locals,
          title: extra.storedId ? `Edit ${extra.storedId}` : 'New report',
          nav: 'reports',
          pdf: deps.pool !== undefined,
          ...reportEditorView(draft, {
            events: inventory.events.map((e) => e.name),
            savedGoals: [...goals.keys()],
            ...(extra.storedId ? { storedId: extra.storedId } : {}),
            fromFile: extra.fromFile ?? null,
            raw: Object.fromEntries(problems.map((p) => [p.name, p.raw])),
          }),
          error,
        }),
      );
  };

  /**
   * The schema's check, and every goal a funnel step names must be saved; the steps keep the
   * goal's name, so a change to the goal reaches the report.
   */
  const definitionOf = async (draft: ReportDraft): Promise<ReportDefinition> => {
    const definition = parseReportDefinition(draft);
    const goals = await goalsByName(deps);
    definition.sections.forEach((section, i) => {
      if (section.type !== 'funnel' && section.type !== 'trended_funnel') return;
      try {
        resolveGoalSteps(section.funnel as unknown as FunnelSpec, goals);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const at = `sections[${i}].funnel.${error.field ?? ''}`;
        throw new InputError(`${at}: ${error.message.replace(/^[^:]*: /, '')}`, at);
      }
    });
    return definition;
  };

  router.get('/reports/new', async (_req, res, next) => {
    try {
      await show(res, newDraft(), {});
    } catch (error) {
      next(error);
    }
  });

  router.get('/reports/:id/edit', async (req, res, next) => {
    try {
      const stored = await repo().get(req.params.id);
      if (!stored) throw new NotFoundError(`no report ${req.params.id}`, 'id');
      const sections = (stored.definition.sections ?? []) as Record<string, unknown>[];
      await show(
        res,
        { ...stored.definition, id: stored.key, sections },
        {
          storedId: stored.key,
          fromFile: stored.source === 'file' ? stored.filePath : null,
        },
      );
    } catch (error) {
      next(error);
    }
  });

  // One form, several buttons: `op` is add:TYPE, remove:N, up:N, down:N, or save.
  router.post('/reports/edit', async (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    const storedId = field(body, 'storedId') || undefined;
    const context = storedId ? { storedId } : {};
    let draft: ReportDraft | undefined;
    try {
      const read = readDraft(body);
      draft = read.draft;
      if (storedId) draft.id = storedId;
      // Text the form cannot read stays in its field with its line and column; nothing is lost.
      if (read.problems.length) {
        await show(res, draft, { ...context, problems: read.problems, status: 400 });
        return;
      }
      const op = field(body, 'op') || 'save';
      if (op !== 'save') {
        await show(res, applyOp(draft, op), context);
        return;
      }
      const id = String(draft.id);
      if (!ID.test(id))
        throw new InputError(
          'id: use lower-case letters, digits and dashes, starting with a letter or digit',
          'id',
        );
      const definition = await definitionOf(draft);
      if (!storedId && (await repo().get(id)))
        throw new InputError(`id: a report ${id} exists already; edit it or pick another id`, 'id');
      const saved = await repo().saveFromUi(id, definition);
      if (!saved.saved) throw new InputError(`report ${id} comes from ${saved.filePath}`, 'id');
      res.redirect(303, `/reports?saved=${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof PathlightError) || error.status !== 400) return next(error);
      // The form comes back as it was sent, with the error beside the field at fault.
      try {
        await show(res, draft ?? { ...newDraft(), ...context }, {
          ...context,
          error,
          status: 400,
        });
      } catch (failed) {
        next(failed);
      }
    }
  });

  // The draft as the report's HTML or PDF, without saving it (the form's Preview buttons).
  router.post('/reports/preview', async (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    const storedId = field(body, 'storedId') || undefined;
    let draft: ReportDraft | undefined;
    try {
      const read = readDraft(body);
      draft = read.draft;
      if (read.problems.length) {
        await show(res, draft, {
          ...(storedId ? { storedId } : {}),
          problems: read.problems,
          status: 400,
        });
        return;
      }
      if (!draft.id) draft.id = 'preview';
      const definition = await definitionOf(draft);
      const format = field(body, 'format') === 'pdf' ? 'pdf' : 'html';
      if (format === 'pdf' && !deps.pool)
        throw new InputError(
          'format: PDFs are off on this service (PATHLIGHT_BROWSER_PATH=none or no browser); preview as HTML',
          'format',
        );
      const rendered = await renderReport(deps.engine, definition, new Date(), {
        format,
        goals: await storedGoals(deps.store),
        ...(deps.pool ? { pool: deps.pool } : {}),
      });
      if (rendered.pdf) {
        res
          .type('application/pdf')
          .setHeader('Content-Disposition', `inline; filename="${definition.id}.pdf"`)
          .send(rendered.pdf);
        return;
      }
      res.type('html').send(rendered.html);
    } catch (error) {
      if (!(error instanceof PathlightError) || error.status !== 400 || !draft) return next(error);
      // The preview opens in its own tab: there, the editor with the draft and the error on
      // its field, so nothing typed is lost and the fix is one step away.
      try {
        if (draft.id === 'preview' && !field(body, 'id')) draft.id = '';
        await show(res, draft, { ...(storedId ? { storedId } : {}), error, status: 400 });
      } catch (failed) {
        next(failed);
      }
    }
  });

  router.post('/reports/:id/delete', async (req, res, next) => {
    try {
      if (!(await repo().delete(req.params.id)))
        throw new NotFoundError(`no report ${req.params.id} that the UI may delete`, 'id');
      res.redirect(303, '/reports');
    } catch (error) {
      next(error);
    }
  });

  // The funnel builder's "put this funnel into the report": replaces (or appends) one section's funnel.
  router.post('/reports/:id/sections/:index/funnel', async (req, res, next) => {
    try {
      const id = req.params.id;
      const stored = await repo().get(id);
      if (!stored) throw new NotFoundError(`no report ${id}`, 'id');
      const sections = [...((stored.definition.sections ?? []) as Record<string, unknown>[])];
      const index = Number(req.params.index);
      if (!Number.isInteger(index) || index < 0 || index > sections.length)
        throw new InputError(`section: expected 0 to ${sections.length}`, 'section');
      const query = new URLSearchParams(field(req.body, 'funnelQuery'));
      const form: Record<string, string | string[]> = {};
      for (const key of new Set(query.keys())) form[key] = query.getAll(key);
      const { dateRange, ...funnel } = resolveGoalSteps(
        funnelSpecFromForm(form),
        await goalsByName(deps),
      );
      void dateRange; // The report sets its own range.
      const current = sections[index];
      sections[index] =
        current?.type === 'funnel' ? { ...current, funnel } : { type: 'funnel', funnel };
      const definition = parseReportDefinition({ ...stored.definition, id, sections });
      const saved = await repo().saveFromUi(id, definition);
      if (!saved.saved) throw new InputError(`report ${id} comes from ${saved.filePath}`, 'id');
      res.redirect(303, `/reports/${encodeURIComponent(id)}/edit`);
    } catch (error) {
      next(error);
    }
  });
}

/** The editor's field for a path of the report definition. */
export function editorFieldOf(path: string): string | undefined {
  const section = /^sections\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (section) return `section.${section[1]}.${section[2] ?? 'type'}`;
  if (/^(id|title|timeZone|locale|currency|comparison)$/.test(path)) return path;
  if (path === 'dateRange.start' || path === 'dateRange.end')
    return path === 'dateRange.start' ? 'start' : 'end';
  if (path === 'dateRange') return 'dateRange';
  if (path.startsWith('goal.where')) return 'goalWhere';
  if (path === 'goal.value') return 'goalValue';
  if (path === 'goal.name') return 'goalName';
  if (path === 'goal' || path.startsWith('goal.')) return 'goalEvent';
  for (const list of ['filters', 'segments', 'goals'])
    if (path === list || path.startsWith(`${list}[`) || path.startsWith(`${list}.`)) return list;
  return undefined;
}
