import { conditionRows } from './conditionRows.js';
import { plainStageMap } from './sectionMore.js';

/** What the pickers offer: the property's events and parameters, saved goals and personas. */
export interface Pickers {
  readonly events: readonly string[];
  readonly params: readonly string[];
  readonly savedGoals: readonly string[];
  readonly personas: readonly string[];
}

export type Option = { value: string; label: string; selected: boolean };
type Raw = Readonly<Record<string, string>>;
type Item = Record<string, unknown>;

export const text = (value: unknown): string =>
  value === undefined || value === null || typeof value === 'object'
    ? ''
    : String(value as string | number | boolean);

const itemsOf = (value: unknown): Item[] =>
  (Array.isArray(value) ? value : []).map((v) =>
    typeof v === 'object' && v !== null ? (v as Item) : {},
  );

export const refValue = (ref: unknown): string => {
  if (typeof ref === 'string') return `event:${ref}`;
  const r = (ref ?? {}) as { event?: string; goal?: string };
  return r.goal !== undefined ? `goal:${r.goal}` : r.event !== undefined ? `event:${r.event}` : '';
};

/** Saved goals, then events; the value chosen is offered even when the range does not hold it. */
export function refOptions(
  chosen: string,
  pickers: Pickers,
): { goals: Option[]; events: Option[] } {
  const goals = [
    ...new Set([
      ...pickers.savedGoals.map((g) => `goal:${g}`),
      ...(chosen.startsWith('goal:') ? [chosen] : []),
    ]),
  ];
  const events = [
    ...new Set([
      ...pickers.events.map((e) => `event:${e}`),
      ...(chosen.startsWith('event:') ? [chosen] : []),
    ]),
  ];
  const option = (v: string) => ({
    value: v,
    label: v.replace(/^\w+:/, ''),
    selected: v === chosen,
  });
  return { goals: goals.map(option), events: events.map(option) };
}

/** Names from a list, the chosen ones first when the list does not hold them. */
export function pick(all: readonly string[], chosen: readonly string[]): Option[] {
  return [...new Set([...chosen.filter((c) => c !== ''), ...all])].map((v) => ({
    value: v,
    label: v,
    selected: chosen.includes(v),
  }));
}

/**
 * A list's rows as the page draws them: the filled ones, each with its remove button's op (its
 * fields leave the form), then `blank` empty rows to add to it.
 */
function rowsOf<T>(
  name: string,
  value: unknown,
  blank: number,
  draw: (item: Item, at: (key: string) => string, k: number) => T,
) {
  const items = itemsOf(value);
  return [...items, ...Array<Item>(blank).fill({})].map((item, k) => ({
    number: k + 1,
    ...(k < items.length ? { removeOp: `drop:${name}.${k}` } : {}),
    ...draw(item, (key) => `${name}.${k}.${key}`, k),
  }));
}

const where = (at: (key: string) => string, item: Item, pickers: Pickers, raw: Raw) =>
  conditionRows(at('where'), item.where, pickers.params, raw);

/** A funnel's steps: a picker, a name and conditions of its own, a time limit. */
export function stepRows(name: string, steps: unknown, pickers: Pickers, raw: Raw) {
  return rowsOf(name, steps, 2, (step, at, k) => {
    const conditions = where(at, step, pickers, raw);
    return {
      refName: at('ref'),
      nameName: at('name'),
      nameValue: text(step.name),
      withinName: at('within'),
      directlyName: at('directly'),
      within: raw[at('within')] ?? text(step.within),
      directly: step.directly === true,
      notFirst: k > 0,
      where: conditions,
      // A step's name and conditions fold away until it has some.
      detailsOpen: step.name !== undefined || conditions.length > 1,
      ...refOptions(refValue(step), pickers),
    };
  });
}

const stepNumbers = (count: number, chosen: unknown) => {
  const numbers = Array.from({ length: Math.max(count, 2) }, (_, i) => String(i + 1));
  const value = text(chosen);
  return [...new Set([...numbers, ...(value ? [value] : [])])].map((n) => ({
    value: n,
    label: n,
    selected: n === value,
  }));
};

/** A funnel's exclusions: the event, its conditions, and the steps it must not come between. */
export function exclusionRows(
  name: string,
  value: unknown,
  steps: unknown,
  pickers: Pickers,
  raw: Raw,
) {
  const count = Array.isArray(steps) ? steps.length : 0;
  return rowsOf(name, value, 1, (x, at) => {
    const between = Array.isArray(x.between) ? (x.between as unknown[]) : [1, Math.max(count, 2)];
    return {
      eventName: at('event'),
      events: pick(pickers.events, [text(x.event)]),
      fromName: at('between.0'),
      from: stepNumbers(count, raw[at('between.0')] ?? between[0]),
      toName: at('between.1'),
      to: stepNumbers(count, raw[at('between.1')] ?? between[1]),
      where: where(at, x, pickers, raw),
    };
  });
}

/** Segments: a name, whom they count, an event and conditions they must have met. */
export function segmentRows(name: string, value: unknown, pickers: Pickers, raw: Raw) {
  return rowsOf(name, value, 1, (s, at) => ({
    nameName: at('name'),
    nameValue: text(s.name),
    scopeName: at('scope'),
    scopes: ['user', 'session'].map((v) => ({
      value: v,
      label: v === 'user' ? 'users' : 'sessions',
      selected: v === (s.scope ?? 'user'),
    })),
    eventName: at('event'),
    events: pick(pickers.events, [text(s.event)]),
    where: where(at, s, pickers, raw),
  }));
}

/** Cleaning rules for page paths and titles. */
export function cleanRows(name: string, value: unknown) {
  return rowsOf(name, value, 1, (rule, at) => ({
    patternName: at('pattern'),
    pattern: text(rule.pattern),
    replaceName: at('replace'),
    replace: text(rule.replace),
  }));
}

/** A stage map whose rules are events alone, as rows; any other stays in the JSON box. */
export function stageRows(name: string, value: unknown, pickers: Pickers) {
  if (value !== undefined && !plainStageMap(value)) return { inBox: true, rows: [] };
  const stages = value === undefined ? [] : value.stages;
  return {
    inBox: false,
    rows: rowsOf(`${name}.stages`, stages, 1, (stage, at) => ({
      nameName: at('name'),
      nameValue: text(stage.name),
      eventsName: at('events'),
      events: pick(
        pickers.events,
        itemsOf(stage.rules).map((r) => text(r.event)),
      ),
    })),
  };
}

/** The report's further goals: a saved goal, or an event with a name, conditions and value. */
export function goalRows(value: unknown, pickers: Pickers, raw: Raw) {
  const list = (Array.isArray(value) ? value : []).map((g): Item =>
    typeof g === 'string' ? { saved: g } : typeof g === 'object' && g !== null ? (g as Item) : {},
  );
  return rowsOf('goals', list, 1, (g, at) => ({
    savedName: at('saved'),
    saved: pick(pickers.savedGoals, [text(g.saved)]),
    eventName: at('event'),
    events: pick(pickers.events, [text(g.event)]),
    nameName: at('name'),
    nameValue: text(g.name),
    valueName: at('value'),
    value: text(g.value),
    where: where(at, g, pickers, raw),
  }));
}

/** Every form field's name in a view (properties named `…Name`), for errors to find their field. */
export function namesIn(view: unknown): string[] {
  if (Array.isArray(view)) return view.flatMap(namesIn);
  if (typeof view !== 'object' || view === null) return [];
  return Object.entries(view).flatMap(([k, v]) =>
    k.endsWith('Name') && typeof v === 'string' ? [v] : namesIn(v),
  );
}
