import type { FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { RELATIVE_RANGES } from '../../reports/relativeDateRange.js';
import {
  COMPARISONS,
  COMPARISON_LABELS,
  RANGE_LABELS,
  isRelativeRange,
  newSection,
  type ReportDraft,
} from './reportForm.js';
import { conditionRows } from './conditionRows.js';
import { goalRows, namesIn, segmentRows } from './listViews.js';
import { builderQueryOf } from './reportsPage.js';
import { sectionFieldNames, sectionView, type Pickers } from './sectionFieldView.js';
import { SECTION_DESCRIPTORS, descriptorOf } from './sectionFields.js';

const text = (value: unknown) =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value, null, 2)
      : String(value as string | number | boolean);

/**
 * The editor's template context: one fieldset per section, its controls from the section type's
 * descriptor, each with a flag for its kind (templates hold no logic beyond `each` and `if`), and
 * `fieldNames`, every field the page holds, for an error to find its field.
 */
export function reportEditorView(
  draft: ReportDraft,
  options: {
    events: readonly string[];
    /** Parameter keys the property's events carry, for the condition pickers. */
    params?: readonly string[];
    storedId?: string;
    fromFile?: string | null;
    /** Saved goals by name, for the goal picker. */
    savedGoals?: readonly string[];
    personas?: readonly string[];
    /** Form text that could not be read, by field name: shown back as it was typed. */
    raw?: Readonly<Record<string, string>>;
  },
) {
  const raw = { ...options.raw };
  const goal = (typeof draft.goal === 'object' && draft.goal !== null ? draft.goal : {}) as {
    event?: string;
    where?: unknown[];
  };
  const params = options.params ?? [];
  const pickers: Pickers = {
    events: [...new Set([...options.events, ...(goal.event ? [goal.event] : [])])].sort(),
    params,
    savedGoals: options.savedGoals ?? [],
    personas: options.personas ?? [],
  };
  const header = headerView(draft, options);
  const goalWhere = conditionRows('goalWhere', goal.where, params, raw);
  const filters = conditionRows('filters', draft.filters, params, raw);
  const goals = goalRows(draft.goals, pickers, raw);
  const segments = segmentRows('segments', draft.segments, pickers, raw);
  const sections = draft.sections.map((section, index) => {
    const type = String(section.type);
    const descriptor = descriptorOf(type);
    const view = descriptor
      ? sectionView(index, section, descriptor, pickers, raw)
      : { fields: [], more: undefined };
    return {
      index,
      number: index + 1,
      type,
      label: descriptor?.label ?? type,
      help: descriptor?.help ?? '',
      first: index === 0,
      last: index === draft.sections.length - 1,
      ...view,
      builderLink: builderLinkOf(section, index, options.storedId),
      names: descriptor ? sectionFieldNames(view as ReturnType<typeof sectionView>) : [],
    };
  });
  return {
    ...header,
    goalEvents: pickers.events.map((e) => ({ value: e, selected: e === goal.event })),
    goalWhere,
    filters,
    goals,
    segments,
    advancedOpen: goals.length > 1 || segments.length > 1,
    sectionTypes: SECTION_DESCRIPTORS.map((d) => ({ type: d.type, label: d.label })),
    // One empty section of each type, drawn once, that the page's script copies in when a
    // section is added (no round trip); `__N__` stands for its position.
    sectionTemplates: SECTION_DESCRIPTORS.map((d) => ({
      type: d.type,
      label: d.label,
      help: d.help,
      index: '__N__',
      number: 0,
      ...sectionView('__N__', newSection(d.type, draft), d, pickers, {}),
    })),
    sections,
    fieldNames: [
      ...HEADER_FIELDS,
      ...namesIn([goalWhere, filters, goals, segments]),
      ...sections.flatMap((s) => [`section.${s.index}.type`, ...s.names]),
    ],
  };
}

/** A stored report's funnel opens in the funnel builder, which can put it back into the section. */
function builderLinkOf(section: Record<string, unknown>, index: number, storedId?: string) {
  const query =
    section.type === 'funnel' ? builderQueryOf(section.funnel as Partial<FunnelSpec>) : null;
  return query !== null && storedId
    ? `/funnel?${query}&report=${encodeURIComponent(storedId)}&section=${index}`
    : null;
}

const HEADER_FIELDS = [
  'id',
  'title',
  'savedGoal',
  'goalEvent',
  'goalName',
  'goalValue',
  'owner',
  'dateRange',
  'start',
  'end',
  'comparison',
  'timeZone',
  'locale',
  'currency',
];

/** The report's own fields: id, title, goal, range, comparison, locale. */
function headerView(
  draft: ReportDraft,
  options: { storedId?: string; fromFile?: string | null; savedGoals?: readonly string[] },
) {
  const range = draft.dateRange;
  const fixed =
    typeof range === 'object' && range !== null ? (range as Record<string, string>) : {};
  const saved = typeof draft.goal === 'string' ? draft.goal : '';
  const goal = (typeof draft.goal === 'object' && draft.goal !== null ? draft.goal : {}) as {
    name?: string;
    value?: string;
  };
  return {
    draft: {
      id: text(draft.id),
      title: text(draft.title),
      timeZone: text(draft.timeZone),
      locale: text(draft.locale),
      currency: text(draft.currency),
      includeIntraday: draft.includeIntraday === true,
      goalName: goal.name ?? '',
      savedGoal: saved,
      goalValue: goal.value ?? '',
      owner: text(draft.owner),
      start: fixed.start ?? '',
      end: fixed.end ?? '',
    },
    storedId: options.storedId,
    fromFile: options.fromFile ?? null,
    savedGoals: [...new Set([...(options.savedGoals ?? []), ...(saved ? [saved] : [])])].map(
      (g) => ({ value: g, selected: g === saved }),
    ),
    ranges: [
      ...RELATIVE_RANGES.map((r) => ({
        value: r,
        label: RANGE_LABELS[r] ?? r,
        selected: r === range,
      })),
      { value: 'fixed', label: 'Fixed dates', selected: !isRelativeRange(range) },
    ],
    fixedRange: !isRelativeRange(range),
    comparisons: COMPARISONS.map((c) => ({
      value: c,
      label: COMPARISON_LABELS[c] ?? c,
      selected: c === (draft.comparison || 'previous_period'),
    })),
  };
}
