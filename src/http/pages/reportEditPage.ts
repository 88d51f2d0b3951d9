import type { NextFunction, Request, Response, Router } from 'express';
import { resolveGoalSteps } from '../../analyses/goals/goal.js';
import { InputError, NotFoundError, PathlightError } from '../../errors/errors.js';
import { parseReportDefinition } from '../../reports/reportDefinition.js';
import { renderReport } from '../../reports/renderReport.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { storedGoals } from '../../app/storedDefinitions.js';
import { goalsByName } from '../api/goals.js';
import { funnelSpecFromForm } from './funnelForm.js';
import { field, type PageDeps } from './pageDeps.js';
import { reportDefinitionOf } from './reportDefinitionOf.js';
import { applyOp, newDraft, readDraft, type ReportDraft } from './reportForm.js';
import { showReportEditor } from './showReportEditor.js';

/** The store's report ids are stricter than the schema's (no underscores). */
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

type Body = Record<string, unknown>;

/**
 * A row's remove button without script (`drop:section.1.funnel.steps.2`): the row's fields leave
 * the form before it is read, as the script removes the row from the page, so each remaining
 * row keeps its own fields.
 */
function dropRow(body: Body): void {
  const op = field(body, 'op');
  const prefix = /^drop:((?:section\.\d{1,2}\.)?[A-Za-z.\d]{1,200}\.\d{1,2})$/.exec(op)?.[1];
  if (!prefix) return;
  restepExclusions(body, prefix);
  for (const key of Object.keys(body)) if (key.startsWith(`${prefix}.`)) delete body[key];
}

/**
 * A funnel step's row about to go: the funnel's exclusions name steps by number, so a chosen step
 * after it moves up one with it (the page's script does the same when a step goes there).
 */
function restepExclusions(body: Body, prefix: string): void {
  const step = /^(.+\.funnel)\.steps\.(\d{1,2})$/.exec(prefix);
  if (!step) return;
  const [, funnel = '', removed = ''] = step;
  const rowOf = new RegExp(`^${funnel.replaceAll('.', '\\.')}\\.steps\\.(\\d{1,2})\\.`);
  const rows = new Set<number>();
  for (const key of Object.keys(body)) {
    const row = rowOf.exec(key);
    if (row) rows.add(Number(row[1]));
  }
  const position = [...rows].filter((n) => n < Number(removed)).length + 1;
  for (const key of Object.keys(body)) {
    if (!key.startsWith(`${funnel}.exclusions.`) || !/\.between\.[01]$/.test(key)) continue;
    const chosen = Number(field(body, key));
    if (Number.isInteger(chosen) && chosen > position) body[key] = String(chosen - 1);
  }
}

/** Saves a draft as the form's Save button asks; returns the saved id. */
async function saveDraft(deps: PageDeps, draft: ReportDraft, storedId?: string): Promise<string> {
  const repo = new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');
  const id = String(draft.id);
  if (!ID.test(id))
    throw new InputError(
      'id: use lower-case letters, digits and dashes, starting with a letter or digit',
      'id',
    );
  const definition = await reportDefinitionOf(deps, draft);
  if (!storedId && (await repo.get(id)))
    throw new InputError(`id: a report ${id} exists already; edit it or pick another id`, 'id');
  const saved = await repo.saveFromUi(id, definition);
  if (!saved.saved) throw new InputError(`report ${id} comes from ${saved.filePath}`, 'id');
  return id;
}

/** The draft rendered as HTML or PDF for the Preview buttons, without saving it. */
async function previewDraft(deps: PageDeps, res: Response, draft: ReportDraft, body: Body) {
  if (!draft.id) draft.id = 'preview';
  const definition = await reportDefinitionOf(deps, draft);
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
}

/**
 * A post of the editor's form: the draft read without losing anything, then `act` (save, a
 * button's op, a preview). Any error a person can fix brings the form back as it was sent, the
 * error on its field.
 */
function editorPost(
  deps: PageDeps,
  act: (draft: ReportDraft, body: Body, res: Response, storedId?: string) => Promise<void>,
) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as Body;
    const storedId = field(body, 'storedId') || undefined;
    const context = storedId ? { storedId } : {};
    let draft: ReportDraft | undefined;
    try {
      dropRow(body);
      const read = readDraft(body);
      draft = read.draft;
      if (storedId) draft.id = storedId;
      // Text the form cannot read stays in its field with its line and column; nothing is lost.
      if (read.problems.length) {
        await showReportEditor(deps, res, draft, {
          ...context,
          problems: read.problems,
          status: 400,
        });
        return;
      }
      await act(draft, body, res, storedId);
    } catch (error) {
      if (!(error instanceof PathlightError) || error.status !== 400) return next(error);
      try {
        if (draft?.id === 'preview' && !field(body, 'id')) draft.id = '';
        await showReportEditor(deps, res, draft ?? { ...newDraft(), ...context }, {
          ...context,
          error,
          status: 400,
        });
      } catch (failed) {
        next(failed);
      }
    }
  };
}

/**
 * The report editor: header fields, then sections added, removed, reordered and configured one by
 * one with real controls (the fields come from each section type's schema), previewed as HTML or
 * PDF before saving. Every button works without script; the client script moves, adds and
 * removes sections and list rows (steps, conditions, exclusions, segments) without a round trip.
 */
export function reportEditPage(router: Router, deps: PageDeps): void {
  const repo = () => new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');

  router.get('/reports/new', async (_req, res, next) => {
    try {
      await showReportEditor(deps, res, newDraft(), {});
    } catch (error) {
      next(error);
    }
  });

  router.get('/reports/:id/edit', async (req, res, next) => {
    try {
      const stored = await repo().get(req.params.id);
      if (!stored) throw new NotFoundError(`no report ${req.params.id}`, 'id');
      const sections = (stored.definition.sections ?? []) as Record<string, unknown>[];
      await showReportEditor(
        deps,
        res,
        { ...stored.definition, id: stored.key, sections },
        { storedId: stored.key, fromFile: stored.source === 'file' ? stored.filePath : null },
      );
    } catch (error) {
      next(error);
    }
  });

  // One form, several buttons: `op` is add:TYPE, remove:N, up:N, down:N, drop:ROW, or save;
  // `rows` (and any other) draws the form again, with an empty row more in each list.
  router.post(
    '/reports/edit',
    editorPost(deps, async (draft, body, res, storedId) => {
      const op = field(body, 'op') || 'save';
      if (op !== 'save') {
        await showReportEditor(deps, res, applyOp(draft, op), storedId ? { storedId } : {});
        return;
      }
      const id = await saveDraft(deps, draft, storedId);
      res.redirect(303, `/reports?saved=${encodeURIComponent(id)}`);
    }),
  );

  // The draft as the report's HTML or PDF (the form's Preview buttons). The preview opens in its
  // own tab: an error shows the editor there, with the draft, so the fix is one step away.
  router.post(
    '/reports/preview',
    editorPost(deps, (draft, body, res) => previewDraft(deps, res, draft, body)),
  );
  storedReportRoutes(router, deps);
}

/** A stored report deleted, or one of its sections given the funnel the builder sends back. */
function storedReportRoutes(router: Router, deps: PageDeps): void {
  const repo = () => new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');

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
      if (!/^\d+$/.test(req.params.index) || index > sections.length)
        throw new NotFoundError(`Report ${id} has no section ${req.params.index}.`, 'section');
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
