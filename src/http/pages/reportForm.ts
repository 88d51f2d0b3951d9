import { InputError } from '../../errors/errors.js';
import { RELATIVE_RANGES } from '../../reports/relativeDateRange.js';
import { reportDefinitionSchema } from '../../reports/reportDefinition.js';
import { readGoals, readSegments } from './listsFromForm.js';
import { field } from './pageDeps.js';
import { readConditions } from './conditionRows.js';
import { descriptorOf, type FormProblem } from './sectionFields.js';
import { sectionsFromForm } from './sectionsFromForm.js';

/** A report definition as the editor holds it: raw input, checked by the schema only on save. */
export type ReportDraft = Record<string, unknown> & { sections: Record<string, unknown>[] };

export const COMPARISONS = reportDefinitionSchema.shape.comparison.def.innerType.options;

export const RANGE_LABELS: Record<string, string> = {
  yesterday: 'Yesterday',
  last_7_days: 'Last 7 days',
  last_week: 'Last week (Monday to Sunday)',
  last_28_days: 'Last 28 days',
  month_to_date: 'Month to date',
  last_month: 'Last month',
  last_quarter: 'Last quarter',
};

export const COMPARISON_LABELS: Record<string, string> = {
  previous_period: 'the previous period',
  previous_year: 'the same period a year before',
  none: 'nothing',
};

export const newDraft = (): ReportDraft => ({
  id: '',
  title: '',
  goal: { event: '' },
  dateRange: 'last_7_days',
  comparison: 'previous_period',
  timeZone: 'UTC',
  locale: 'en-US',
  currency: 'USD',
  sections: [{ type: 'kpi_summary' }],
});

/** The goal fields: a saved goal by name, else the event with its conditions and value source. */
function goalFromForm(body: Record<string, unknown>, problems?: FormProblem[]): unknown {
  const saved = field(body, 'savedGoal').trim();
  if (saved) return saved;
  const name = field(body, 'goalName');
  const where = readConditions(body, 'goalWhere', 'goal.where', problems);
  const value = field(body, 'goalValue').trim();
  return {
    event: field(body, 'goalEvent'),
    ...(name ? { name } : {}),
    ...(where === undefined ? {} : { where }),
    ...(value ? { value } : {}),
  };
}

/** The editor's form (every field, every section in the form's order) as a draft definition. */
export function draftFromForm(
  body: Record<string, unknown>,
  problems?: FormProblem[],
): ReportDraft {
  const range = field(body, 'dateRange');
  const filters = readConditions(body, 'filters', 'filters', problems);
  const list = (name: string) => ({
    body,
    form: name,
    shown: name,
    path: name,
    ...(problems ? { problems } : {}),
  });
  const segments = readSegments(list('segments'));
  const goals = readGoals(list('goals'));
  const owner = field(body, 'owner');
  return {
    id: field(body, 'id'),
    title: field(body, 'title'),
    ...(owner ? { owner } : {}),
    goal: goalFromForm(body, problems),
    ...(filters === undefined ? {} : { filters }),
    ...(segments === undefined ? {} : { segments }),
    ...(goals === undefined ? {} : { goals }),
    dateRange: range === 'fixed' ? { start: field(body, 'start'), end: field(body, 'end') } : range,
    comparison: field(body, 'comparison'),
    timeZone: field(body, 'timeZone') || 'UTC',
    locale: field(body, 'locale') || 'en-US',
    currency: field(body, 'currency') || 'USD',
    ...(field(body, 'includeIntraday') ? { includeIntraday: true } : {}),
    sections: sectionsFromForm(body, problems),
  };
}

/**
 * The form as a draft that loses nothing: values the form cannot read are listed with their
 * text, which the editor shows back in their fields beside the first one's error.
 */
export function readDraft(body: Record<string, unknown>): {
  draft: ReportDraft;
  problems: FormProblem[];
} {
  const problems: FormProblem[] = [];
  const draft = draftFromForm(body, problems);
  return { draft, problems };
}

/** A new section of a type, with what it cannot do without (a funnel gets page_view → the goal). */
export function newSection(type: string, draft: ReportDraft): Record<string, unknown> {
  const descriptor = descriptorOf(type);
  if (!descriptor) throw new InputError(`add: no section type ${type}`, 'add');
  if (type !== 'funnel' && type !== 'trended_funnel') return { type };
  const goal =
    typeof draft.goal === 'string' && draft.goal
      ? { goal: draft.goal }
      : { event: (draft.goal as { event?: string } | undefined)?.event || 'purchase' };
  return { type, funnel: { steps: [{ event: 'page_view' }, goal] } };
}

/**
 * The editor's buttons without script: `add:TYPE`, `remove:N`, `up:N`, `down:N` change the draft's
 * sections (nothing is saved); any other op leaves them as they are.
 */
export function applyOp(draft: ReportDraft, op: string): ReportDraft {
  const [verb = '', arg = ''] = op.split(':');
  const sections = [...draft.sections];
  const at = Number(arg);
  const inRange = Number.isInteger(at) && at >= 0 && at < sections.length;
  if (verb === 'add') sections.push(newSection(arg, draft));
  else if (verb === 'remove' && inRange) sections.splice(at, 1);
  else if (verb === 'up' && inRange && at > 0)
    sections.splice(at - 1, 2, sections[at] as never, sections[at - 1] as never);
  else if (verb === 'down' && inRange && at < sections.length - 1)
    sections.splice(at, 2, sections[at + 1] as never, sections[at] as never);
  return { ...draft, sections };
}

export const isRelativeRange = (range: unknown): range is string =>
  typeof range === 'string' && (RELATIVE_RANGES as readonly string[]).includes(range);
