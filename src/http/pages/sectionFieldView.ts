import { CHOICE_WORDS } from './sectionWords.js';
import { sectionFieldName, type FieldDescriptor, type SectionDescriptor } from './sectionFields.js';
import { getPath, uncovered } from './sectionMore.js';

/** What the pickers offer: the property's events, saved goals and saved personas. */
export interface Pickers {
  readonly events: readonly string[];
  readonly savedGoals: readonly string[];
  readonly personas: readonly string[];
}

type Option = { value: string; label: string; selected: boolean };

const text = (value: unknown) =>
  value === undefined || value === null || typeof value === 'object'
    ? ''
    : String(value as string | number | boolean);

const refValue = (ref: unknown): string => {
  if (typeof ref === 'string') return `event:${ref}`;
  const r = (ref ?? {}) as { event?: string; goal?: string };
  return r.goal !== undefined ? `goal:${r.goal}` : r.event !== undefined ? `event:${r.event}` : '';
};

/** Saved goals, then events; the value chosen is offered even when the range does not hold it. */
function refOptions(chosen: string, pickers: Pickers): { goals: Option[]; events: Option[] } {
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

const BLANK_STEPS = 2;

function stepRows(name: string, steps: unknown, pickers: Pickers, raw: Record<string, string>) {
  const list = (Array.isArray(steps) ? steps : []) as Record<string, unknown>[];
  return [...list, ...Array<Record<string, unknown>>(BLANK_STEPS).fill({})].map((step, k) => {
    const at = (key: string) => `${name}.${k}.${key}`;
    const ref = refValue(step);
    return {
      number: k + 1,
      refName: at('ref'),
      withinName: at('within'),
      directlyName: at('directly'),
      within: raw[at('within')] ?? text(step.within),
      directly: step.directly === true,
      notFirst: k > 0,
      ...refOptions(ref, pickers),
    };
  });
}

const wordsFor = (choice: string) => CHOICE_WORDS[choice] ?? choice.replaceAll('_', ' ');

function choiceOptions(options: readonly string[], value: unknown): Option[] {
  return options.map((o) => ({ value: o, label: wordsFor(o), selected: o === value }));
}

function listOptions(all: readonly string[], value: unknown): Option[] {
  const chosen = (Array.isArray(value) ? value : []).filter(
    (v): v is string => typeof v === 'string',
  );
  return [...new Set([...chosen, ...all])].map((v) => ({
    value: v,
    label: v,
    selected: chosen.includes(v),
  }));
}

/** One control of a section as the template draws it: a flag for its kind, its name and value. */
function fieldView(
  index: number,
  section: Record<string, unknown>,
  f: FieldDescriptor,
  pickers: Pickers,
  raw: Record<string, string>,
) {
  const name = sectionFieldName(index, f.key);
  const value = getPath(section, f.key);
  const editor = f.editor;
  const base = { name, id: name.replaceAll('.', '-'), label: f.label, optional: f.optional };
  switch (editor.kind) {
    case 'steps':
      return { ...base, isSteps: true, steps: stepRows(name, value, pickers, raw) };
    case 'anchor':
      return {
        ...base,
        isAnchor: true,
        none: f.key.endsWith('goal') ? "— the report's goal —" : '— anywhere —',
        ...refOptions(refValue(value), pickers),
      };
    case 'events':
      return { ...base, isList: true, options: listOptions(pickers.events, value) };
    case 'personas':
      return { ...base, isList: true, options: listOptions(pickers.personas, value) };
    case 'checkbox':
      return {
        ...base,
        isCheckbox: true,
        checked: value === true || (value === undefined && editor.defaultOn),
      };
    case 'choice':
      return {
        ...base,
        isChoice: true,
        choices: choiceOptions(editor.options, value),
        fallback: editor.fallback ? `default (${wordsFor(editor.fallback)})` : 'default',
      };
    case 'number':
      return {
        ...base,
        isNumber: true,
        value: raw[name] ?? text(value),
        min: editor.min,
        max: editor.max,
        step: editor.step,
      };
    default:
      return {
        ...base,
        isText: true,
        value: raw[name] ?? text(value),
        maxLength: editor.maxLength,
      };
  }
}

/** A section's controls, and its JSON box with whatever the controls do not edit. */
export function sectionView(
  index: number,
  section: Record<string, unknown>,
  descriptor: SectionDescriptor,
  pickers: Pickers,
  raw: Record<string, string>,
) {
  const more = uncovered(section, descriptor);
  const moreName = sectionFieldName(index, 'more');
  return {
    fields: descriptor.fields.map((f) => fieldView(index, section, f, pickers, raw)),
    more: {
      name: moreName,
      id: moreName.replaceAll('.', '-'),
      value: raw[moreName] ?? (more ? JSON.stringify(more, null, 2) : ''),
      open: moreName in raw || more !== undefined,
    },
  };
}

/** Every form field name a section's view holds, for an error to find its field. */
export function sectionFieldNames(view: ReturnType<typeof sectionView>): string[] {
  return [
    view.more.name,
    ...view.fields.flatMap((f) => [
      f.name,
      ...('steps' in f ? f.steps.flatMap((s) => [s.refName, s.withinName, s.directlyName]) : []),
    ]),
  ];
}
