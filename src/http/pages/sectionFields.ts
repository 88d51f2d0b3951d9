import type { z } from 'zod';
import { sectionSchema } from '../../reports/reportDefinition.js';
import { SECTION_WORDS } from './sectionWords.js';

/** A form value that could not be read: the schema path, the form field's name, the text kept. */
export interface FormProblem {
  readonly path: string;
  readonly name: string;
  readonly raw: string;
  readonly message: string;
}

/** How one option of a section is edited; derived from the section's zod schema. */
export type FieldKind =
  | { kind: 'text'; maxLength?: number }
  | { kind: 'number'; min?: number; max?: number; step: number }
  | { kind: 'choice'; options: readonly string[]; fallback?: string }
  | { kind: 'checkbox'; defaultOn: boolean }
  /** A funnel's steps: one row per step, each an event or a saved goal. */
  | { kind: 'steps' }
  /** A start, end or goal point: an event or a saved goal. */
  | { kind: 'anchor' }
  /** Events to leave out: a list picked from the property's events. */
  | { kind: 'events' }
  /** Saved personas by name. */
  | { kind: 'personas' }
  /** A funnel's exclusions: rows of an event, its conditions, and the steps it sits between. */
  | { kind: 'exclusions' }
  /** Segments compared beside all users: rows of a name, a scope, an event and conditions. */
  | { kind: 'segments' }
  /** Cleaning rules for page paths and titles: rows of a pattern and its replacement. */
  | { kind: 'clean' }
  /** Stages as names and the events that put someone in them. */
  | { kind: 'stageMap' }
  /** An optional part made of simple options (a funnel's trend): on or off, then its fields. */
  | { kind: 'group'; fields: readonly FieldDescriptor[] };

export interface FieldDescriptor {
  /** Where the value sits in the section, dotted: `title`, `paths.scope`, `funnel.steps`. */
  readonly key: string;
  readonly label: string;
  readonly optional: boolean;
  readonly editor: FieldKind;
}

export interface SectionDescriptor {
  readonly type: string;
  readonly label: string;
  readonly help: string;
  readonly fields: readonly FieldDescriptor[];
}

type AnySchema = z.ZodType & {
  def: { type: string; innerType?: AnySchema; defaultValue?: unknown };
  shape?: Record<string, AnySchema>;
  options?: readonly string[];
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  maxLength?: number | null;
};

const humanize = (key: string) => {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
};

const finite = (n: number | null | undefined) =>
  typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER
    ? n
    : undefined;

/** The schema under optional/default/prefault/nullable, whether it may be left out, its default. */
function unwrap(schema: AnySchema): { inner: AnySchema; optional: boolean; fallback: unknown } {
  let inner = schema;
  let optional = false;
  let fallback: unknown;
  while (inner.def.innerType) {
    if (['optional', 'default', 'prefault'].includes(inner.def.type)) optional = true;
    if (inner.def.type === 'default') fallback = inner.def.defaultValue;
    inner = inner.def.innerType;
  }
  return { inner, optional, fallback };
}

const LISTS: Readonly<Record<string, FieldKind>> = {
  steps: { kind: 'steps' },
  exclude: { kind: 'events' },
  personas: { kind: 'personas' },
  exclusions: { kind: 'exclusions' },
  segments: { kind: 'segments' },
  clean: { kind: 'clean' },
};

/** An object of simple options only (no lists, no nested objects) is one group of controls. */
function groupOf(
  key: string,
  inner: AnySchema,
  words: Record<string, string>,
): FieldKind | undefined {
  if (!inner.shape) return undefined;
  const fields = Object.entries(inner.shape).map(([k, s]) => {
    const editor = editorOf(`${key}.${k}`, s, words);
    const label = words[`${key}.${k}`] ?? humanize(k);
    return editor && ['text', 'number', 'choice', 'checkbox'].includes(editor.kind)
      ? { key: k, label, optional: unwrap(s).optional, editor }
      : undefined;
  });
  return fields.every((f) => f !== undefined) ? { kind: 'group', fields } : undefined;
}

/** The control for one value, or undefined when the form leaves it to the JSON view. */
function editorOf(
  key: string,
  schema: AnySchema,
  words: Record<string, string> = {},
): FieldKind | undefined {
  const { inner, fallback } = unwrap(schema);
  const leaf = key.split('.').pop() ?? key;
  switch (inner.def.type) {
    case 'string': {
      const max = finite(inner.maxLength);
      return { kind: 'text', ...(max === undefined ? {} : { maxLength: max }) };
    }
    case 'number': {
      const min = finite(inner.minValue);
      const max = finite(inner.maxValue);
      return {
        kind: 'number',
        step: inner.isInt ? 1 : 0.01,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
      };
    }
    case 'enum':
      return {
        kind: 'choice',
        options: inner.options ?? [],
        ...(typeof fallback === 'string' ? { fallback } : {}),
      };
    case 'boolean':
      return { kind: 'checkbox', defaultOn: fallback === true };
    case 'union':
      return ['start', 'end', 'goal'].includes(leaf) ? { kind: 'anchor' } : undefined;
    case 'array':
      return LISTS[leaf];
    case 'object':
      return leaf === 'stageMap' ? { kind: 'stageMap' } : groupOf(key, inner, words);
    default:
      return undefined;
  }
}

/** The section's fields: its own, and one level into a nested spec (funnel, paths, next step). */
function fieldsOf(type: string, shape: Record<string, AnySchema>): FieldDescriptor[] {
  const words = SECTION_WORDS[type]?.fields ?? {};
  return Object.entries(shape).flatMap(([key, schema]): FieldDescriptor[] => {
    if (key === 'type') return [];
    const { inner, optional } = unwrap(schema);
    const entries: [string, AnySchema, boolean][] =
      inner.def.type === 'object' && inner.shape
        ? Object.entries(inner.shape).map(([k, s]) => [`${key}.${k}`, s, unwrap(s).optional])
        : [[key, schema, optional]];
    return entries.flatMap(([k, s, opt]) => {
      const editor = editorOf(k, s, words);
      const label = words[k] ?? humanize(k.split('.').pop() ?? k);
      return editor ? [{ key: k, label, optional: opt, editor }] : [];
    });
  });
}

/** Every section type the definition schema accepts, with its fields, in the union's order. */
export const SECTION_DESCRIPTORS: readonly SectionDescriptor[] = sectionSchema.options.map(
  (option) => {
    const type = option.shape.type.value;
    const words = SECTION_WORDS[type];
    return {
      type,
      label: words?.label ?? humanize(type),
      help: words?.help ?? '',
      fields: fieldsOf(type, option.shape as Record<string, AnySchema>),
    };
  },
);

export const descriptorOf = (type: string): SectionDescriptor | undefined =>
  SECTION_DESCRIPTORS.find((d) => d.type === type);

/** A form field's name for a section's option: `section.2.periods`, `section.1.paths.scope`. */
export const sectionFieldName = (index: number | string, key: string): string =>
  `section.${index}.${key}`;
