import type { Response, Router } from 'express';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import type { FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { resolveGoalSteps } from '../../analyses/goals/goal.js';
import { InputError, NotFoundError } from '../../errors/errors.js';
import { parseReportDefinition, type ReportDefinition } from '../../reports/reportDefinition.js';
import { renderReport } from '../../reports/renderReport.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { storedGoals } from '../../app/storedDefinitions.js';
import { goalsByName } from '../api/goals.js';
import { ForbiddenError } from '../auth/access.js';
import { funnelSpecFromForm } from './funnelForm.js';
import { defaultRange, field, type PageDeps } from './pageDeps.js';
import { reportEditorView } from './reportEditorView.js';
import { applyOp, draftFromForm, newDraft, type ReportDraft } from './reportForm.js';

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
    extra: { storedId?: string; fromFile?: string | null; error?: InputError; status?: number },
  ) => {
    // Viewers read and preview reports from the list; the editor is for those who may save.
    if (res.locals.canEdit !== true)
      throw new ForbiddenError(`${String(res.locals.user?.email)} may view reports, not edit them`);
    const range = defaultRange();
    const inventory = await eventInventory(
      deps.engine,
      { start: range.from, end: range.to },
      { topValues: 1 },
    );
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
            ...(extra.storedId ? { storedId: extra.storedId } : {}),
            fromFile: extra.fromFile ?? null,
          }),
          error: extra.error && { message: extra.error.message, field: extra.error.field },
        }),
      );
  };

  /** The schema's check, then goal steps written out so the report stands on its own. */
  const definitionOf = async (draft: ReportDraft): Promise<ReportDefinition> => {
    const definition = parseReportDefinition(draft);
    const goals = await goalsByName(deps);
    const sections = definition.sections.map((section, i) => {
      if (section.type !== 'funnel') return section;
      try {
        const spec = resolveGoalSteps(section.funnel as unknown as FunnelSpec, goals);
        return { ...section, funnel: spec as unknown as typeof section.funnel };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const at = `sections[${i}].funnel.${error.field ?? ''}`;
        throw new InputError(`sections[${i}].funnel.${error.message}`, at);
      }
    });
    return { ...definition, sections };
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
      draft = draftFromForm(body);
      if (storedId) draft.id = storedId;
      const op = field(body, 'op') || 'save';
      if (op !== 'save') {
        await show(res, applyOp(draft, op), context);
        return;
      }
      const id = String(draft.id);
      if (!ID.test(id))
        throw new InputError('id: expected lower-case letters, digits and dashes', 'id');
      const definition = await definitionOf(draft);
      if (!storedId && (await repo().get(id)))
        throw new InputError(`id: a report ${id} exists already; edit it or pick another id`, 'id');
      const saved = await repo().saveFromUi(id, definition);
      if (!saved.saved) throw new InputError(`report ${id} comes from ${saved.filePath}`, 'id');
      res.redirect(303, '/reports');
    } catch (error) {
      if (!(error instanceof InputError)) return next(error);
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
    try {
      const body = req.body as Record<string, unknown>;
      const draft = draftFromForm(body);
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
      next(error);
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
