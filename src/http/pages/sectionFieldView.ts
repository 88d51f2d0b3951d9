import { conditionRows } from './conditionRows.js';
import { CHOICE_WORDS } from './sectionWords.js';
import { sectionFieldName, type FieldDescriptor, type SectionDescriptor } from './sectionFields.js';
import { getPath, uncovered } from './sectionMore.js';
import {
  cleanRows,
  exclusionRows,
  namesIn,
  refOptions,
  refValue,
  segmentRows,
  stageRows,
  stepRows,
  text,
  type Option,
  type Pickers,
} from './listViews.js';

export type { Pickers } from './listViews.js';

/** An anchor's own conditions (a start page of one type, a purchase over a value). */
function anchorWhere(name: string, value: unknown, pickers: Pickers, raw: Record<string, string>) {
  const where =
    typeof value === 'object' && value !== null ? (value as { where?: unknown }).where : undefined;
  const rows = conditionRows(`${name}.where`, where, pickers.params, raw);
  return { where: rows, whereOpen: rows.length > 1 };
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
  name: string,
  value: unknown,
  f: FieldDescriptor,
  pickers: Pickers,
  raw: Record<string, string>,
  /** The section's funnel steps, for the exclusions' step numbers. */
  steps?: unknown,
): Record<string, unknown> {
  const editor = f.editor;
  const base = { name, id: name.replaceAll('.', '-'), label: f.label, optional: f.optional };
  switch (editor.kind) {
    case 'steps':
      return { ...base, isSteps: true, steps: stepRows(name, value, pickers, raw) };
    case 'exclusions':
      return { ...base, isExclusions: true, rows: exclusionRows(name, value, steps, pickers, raw) };
    case 'segments':
      return { ...base, isSegments: true, rows: segmentRows(name, value, pickers, raw) };
    case 'clean':
      return { ...base, isClean: true, rows: cleanRows(name, value) };
    case 'stageMap':
      return { ...base, isStageMap: true, ...stageRows(name, value, pickers) };
    case 'group': {
      const group = (value ?? undefined) as Record<string, unknown> | undefined;
      return {
        ...base,
        isGroup: true,
        onName: name,
        on: group !== undefined,
        fields: editor.fields.map((sub) =>
          fieldView(`${name}.${sub.key}`, group?.[sub.key], sub, pickers, raw),
        ),
      };
    }
    case 'anchor':
      return {
        ...base,
        isAnchor: true,
        none: f.key.endsWith('goal') ? "— the report's goal —" : '— anywhere —',
        ...refOptions(refValue(value), pickers),
        ...anchorWhere(name, value, pickers, raw),
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
  index: number | string,
  section: Record<string, unknown>,
  descriptor: SectionDescriptor,
  pickers: Pickers,
  raw: Record<string, string>,
) {
  const more = uncovered(section, descriptor);
  const moreName = sectionFieldName(index, 'more');
  const steps = getPath(section, 'funnel.steps');
  return {
    fields: descriptor.fields.map((f) => {
      const name = sectionFieldName(index, f.key);
      return fieldView(name, getPath(section, f.key), f, pickers, raw, steps);
    }),
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
  const own = (f: Record<string, unknown>): string[] => [
    String(f.name),
    ...(Array.isArray(f.fields) ? (f.fields as Record<string, unknown>[]).flatMap(own) : []),
  ];
  return [view.more.name, ...view.fields.flatMap(own), ...namesIn(view.fields)];
}
