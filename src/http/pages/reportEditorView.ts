import type { FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { RELATIVE_RANGES } from '../../reports/relativeDateRange.js';
import {
  COMPARISONS,
  COMPARISON_LABELS,
  RANGE_LABELS,
  isRelativeRange,
  type ReportDraft,
} from './reportForm.js';
import { builderQueryOf } from './reportsPage.js';
import { SECTION_DESCRIPTORS, descriptorOf, sectionFieldName } from './sectionFields.js';

type Step = Partial<FunnelSpec['steps'][number]> & { goal?: string };

/** A funnel in one line a marketer reads: `page_view → add_to_cart → purchase · users, closed`. */
export function funnelSummary(funnel: Partial<FunnelSpec> | undefined): string {
  const steps = ((funnel?.steps ?? []) as Step[]).map((s) => {
    const name = s.name ?? s.goal ?? s.event ?? '?';
    return s.directly ? `${name} (directly)` : name;
  });
  const options = [
    funnel?.scope === 'session' ? 'sessions' : 'users',
    funnel?.type ?? 'closed',
    ...(funnel?.window ? [`within ${funnel.window}`] : []),
    ...(funnel?.breakdown ? [`by ${funnel.breakdown.replaceAll('_', ' ')}`] : []),
  ];
  return `${steps.join(' → ')} · ${options.join(', ')}`;
}

const text = (value: unknown) =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value, null, 2)
      : String(value as string | number | boolean);

/**
 * The editor's template context: one fieldset per section, its fields from the section type's
 * descriptor, each with a flag for its kind (templates hold no logic beyond `each` and `if`).
 */
export function reportEditorView(
  draft: ReportDraft,
  options: {
    events: readonly string[];
    storedId?: string;
    fromFile?: string | null;
    /** Saved goals by name, for the goal picker. */
    savedGoals?: readonly string[];
    /** Form text that could not be read, by field name: shown back as it was typed. */
    raw?: Readonly<Record<string, string>>;
  },
) {
  const raw = options.raw ?? {};
  const range = draft.dateRange;
  const fixed =
    typeof range === 'object' && range !== null ? (range as Record<string, string>) : {};
  const saved = typeof draft.goal === 'string' ? draft.goal : '';
  const goal = (typeof draft.goal === 'object' && draft.goal !== null ? draft.goal : {}) as {
    event?: string;
    name?: string;
    where?: unknown[];
    value?: string;
  };
  const json = (v: unknown) => (Array.isArray(v) && v.length ? JSON.stringify(v, null, 1) : '');
  const events = [...new Set([...options.events, ...(goal.event ? [goal.event] : [])])].sort();
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
      goalWhere: raw.goalWhere ?? json(goal.where),
      goalValue: goal.value ?? '',
      filters: raw.filters ?? json(draft.filters),
      segments: raw.segments ?? json(draft.segments),
      goals: raw.goals ?? json(draft.goals),
      start: fixed.start ?? '',
      end: fixed.end ?? '',
    },
    storedId: options.storedId,
    fromFile: options.fromFile ?? null,
    goalEvents: events.map((e) => ({ value: e, selected: e === goal.event })),
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
    sectionTypes: SECTION_DESCRIPTORS.map((d) => ({ type: d.type, label: d.label })),
    sections: draft.sections.map((section, index) => {
      const type = String(section.type);
      const descriptor = descriptorOf(type);
      return {
        index,
        number: index + 1,
        type,
        label: descriptor?.label ?? type,
        help: descriptor?.help ?? '',
        example: EXAMPLES[type] ?? '',
        first: index === 0,
        last: index === draft.sections.length - 1,
        fields: (descriptor?.fields ?? []).map((f) => {
          const value = section[f.key];
          const editor = f.editor;
          const funnel = value as Partial<FunnelSpec> | undefined;
          const builder = editor.kind === 'funnel' ? builderQueryOf(funnel) : null;
          return {
            name: sectionFieldName(index, f.key),
            id: `section-${index}-${f.key}`,
            label: f.label,
            optional: f.optional,
            value: raw[sectionFieldName(index, f.key)] ?? text(value),
            isText: editor.kind === 'text',
            isNumber: editor.kind === 'number',
            isChoice: editor.kind === 'choice',
            isCheckbox: editor.kind === 'checkbox',
            isJson: editor.kind === 'json',
            isFunnel: editor.kind === 'funnel',
            checked: value === true,
            ...(editor.kind === 'text' ? { maxLength: editor.maxLength } : {}),
            ...(editor.kind === 'number'
              ? { min: editor.min, max: editor.max, step: editor.step }
              : {}),
            choices:
              editor.kind === 'choice'
                ? editor.options.map((o) => ({ value: o, selected: o === value }))
                : [],
            summary: editor.kind === 'funnel' ? funnelSummary(funnel) : '',
            // The builder edits a stored report's funnel in place and comes back here.
            builderLink:
              builder !== null && options.storedId
                ? `/funnel?${builder}&report=${encodeURIComponent(options.storedId)}&section=${index}`
                : null,
          };
        }),
      };
    }),
  };
}

/** What a JSON option of a section looks like filled in, shown beside its empty box. */
const EXAMPLES: Record<string, string> = {
  journey_sankey:
    'Paths: {"start": "page_view", "steps": 4, "scope": "session"}: the journeys from the start event, 2 to 6 steps on.',
  next_step:
    'Next step: {"goal": "purchase", "nodeType": "event", "minSupport": 5}: from each event, the chance of converting and the likeliest next events.',
  prediction:
    'Prediction: {"horizonDays": 7, "trainDays": 28, "minSupport": 30}: the chance of the goal within 7 days, fitted on 28 days and backtested on the week before.',
};
