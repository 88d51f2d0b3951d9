import type { Response } from 'express';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { storedPersonas } from '../../app/storedDefinitions.js';
import { InputError, type PathlightError } from '../../errors/errors.js';
import { goalsByName } from '../api/goals.js';
import { ForbiddenError } from '../auth/access.js';
import { editorFieldOf } from './editorFieldOf.js';
import { defaultRange, type PageDeps } from './pageDeps.js';
import { pageError } from './pageError.js';
import { reportEditorView } from './reportEditorView.js';
import type { ReportDraft } from './reportForm.js';
import type { FormProblem } from './sectionFields.js';

export interface EditorExtra {
  readonly storedId?: string;
  readonly fromFile?: string | null;
  readonly error?: PathlightError;
  readonly problems?: readonly FormProblem[];
  readonly status?: number;
}

/** A calendar day as written (`2024-02-30` is not one, though Date.parse takes it). */
const isDay = (day: unknown): day is string => {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
};

/** The days the pickers list events from: the draft's fixed dates, else the last 28 days. */
function pickerRange(draft: ReportDraft): { start: string; end: string } {
  const range = draft.dateRange as { start?: unknown; end?: unknown } | string | undefined;
  if (typeof range === 'object' && range !== null) {
    const { start, end } = range;
    if (isDay(start) && isDay(end) && start <= end) return { start, end };
  }
  const fallback = defaultRange();
  return { start: fallback.from, end: fallback.to };
}

/** What the pickers offer: the range's events and their parameters, saved goals and personas. */
async function pickerLists(deps: PageDeps, draft: ReportDraft) {
  const [inventory, goals, personas] = await Promise.all([
    eventInventory(deps.engine, pickerRange(draft), { topValues: 1 }),
    goalsByName(deps),
    storedPersonas(deps.store),
  ]);
  return {
    events: inventory.events.map((e) => e.name),
    params: [...new Set(inventory.events.flatMap((e) => e.params.map((p) => p.key)))].sort(),
    savedGoals: [...goals.keys()],
    personas: [...personas.keys()],
  };
}

/**
 * The editor with a draft: every field as it was typed, and the first problem or error under
 * the field at fault (a section counted from 1, as the page shows it).
 */
export async function showReportEditor(
  deps: PageDeps,
  res: Response,
  draft: ReportDraft,
  extra: EditorExtra,
): Promise<void> {
  // Viewers read and preview reports from the list; the editor is for those who may save.
  if (res.locals.canEdit !== true)
    throw new ForbiddenError(`${String(res.locals.user?.email)} may view reports, not edit them`);
  const problems = extra.problems ?? [];
  const view = reportEditorView(draft, {
    ...(await pickerLists(deps, draft)),
    ...(extra.storedId ? { storedId: extra.storedId } : {}),
    fromFile: extra.fromFile ?? null,
    raw: Object.fromEntries(problems.map((p) => [p.name, p.raw])),
  });
  const toField = (path: string) => editorFieldOf(path, view.fieldNames);
  const first = problems[0];
  const shown = first
    ? pageError(new InputError(`${first.path}: ${first.message}`, first.path), toField)
    : extra.error && pageError(extra.error, toField);
  // A section's JSON box is "other options" on the page, not its form name.
  const error = shown && { ...shown, where: shown.where.replace(/ · more$/, ' · other options') };
  res
    .status(extra.status ?? 200)
    .type('html')
    .send(
      deps.views.render('reportEdit', {
        ...res.locals,
        title: extra.storedId ? `Edit ${extra.storedId}` : 'New report',
        nav: 'reports',
        pdf: deps.pool !== undefined,
        editorCss: true,
        ...view,
        error,
      }),
    );
}
