import type { z } from 'zod';
import { InputError } from '../../errors/errors.js';
import { sectionSchema } from '../../reports/reportDefinition.js';
import { jsonFieldMessage, parseJsonField } from './jsonField.js';

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
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'checkbox' }
  | { kind: 'funnel' }
  | { kind: 'json' };

export interface FieldDescriptor {
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

/**
 * Words for people, per section type. Only labels live here: the fields and their limits come
 * from the schema, so a section type added to the union is editable at once (with generic labels).
 */
const WORDS: Record<string, { label: string; help: string; fields?: Record<string, string> }> = {
  kpi_summary: {
    label: 'Key figures',
    help: 'Users, sessions, conversions and revenue, against the comparison period.',
  },
  data_quality: {
    label: 'Data quality',
    help: 'Which days are complete, intraday or missing, so nobody reads a partial day as a drop.',
  },
  funnel: {
    label: 'Funnel',
    help: 'A conversion funnel: edit its steps and options in the funnel builder.',
    fields: { funnel: 'Funnel' },
  },
  trended_funnel: {
    label: 'Trended funnel',
    help: 'Conversion to the last step per day or week of entry, against the comparison period.',
    fields: { funnel: 'Funnel', interval: 'Per' },
  },
  stages: {
    label: 'Journey stages',
    help: 'Progression through the journey stages, time between them and pain points.',
  },
  prediction: {
    label: 'Prediction',
    help: "Who converts next, as of the report's last day: the model's backtest against the overall rate and the current step alone, in words and by tenth.",
    fields: { predict: 'Prediction' },
  },
  retention: {
    label: 'Retention',
    help: 'Cohorts by first visit: returning share and repeat conversion.',
    fields: { period: 'Cohort by', periods: 'Number of cohorts' },
  },
};

const humanize = (key: string) => {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
};

type AnySchema = z.ZodType & {
  def: { type: string; innerType?: AnySchema };
  options?: readonly string[];
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  maxLength?: number | null;
};

function editorOf(key: string, schema: AnySchema): { optional: boolean; editor: FieldKind } {
  let inner = schema;
  let optional = false;
  while ((inner.def.type === 'optional' || inner.def.type === 'default') && inner.def.innerType) {
    optional = true;
    inner = inner.def.innerType;
  }
  const finite = (n: number | null | undefined) =>
    typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER
      ? n
      : undefined;
  const editor: FieldKind = (() => {
    if (key === 'funnel' && inner.def.type === 'object') return { kind: 'funnel' };
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
        return { kind: 'choice', options: inner.options ?? [] };
      case 'boolean':
        return { kind: 'checkbox' };
      default:
        return { kind: 'json' };
    }
  })();
  return { optional, editor };
}

/** Every section type the definition schema accepts, with its fields, in the union's order. */
export const SECTION_DESCRIPTORS: readonly SectionDescriptor[] = sectionSchema.options.map(
  (option) => {
    const type = option.shape.type.value;
    const words = WORDS[type];
    const fields = Object.entries(option.shape as Record<string, AnySchema>)
      .filter(([key]) => key !== 'type')
      .map(([key, schema]) => ({
        key,
        label: words?.fields?.[key] ?? humanize(key),
        ...editorOf(key, schema),
      }));
    return {
      type,
      label: words?.label ?? humanize(type),
      help: words?.help ?? '',
      fields,
    };
  },
);

export const descriptorOf = (type: string): SectionDescriptor | undefined =>
  SECTION_DESCRIPTORS.find((d) => d.type === type);

/** A form field's name for a section's option: `section.2.periods`. */
export const sectionFieldName = (index: number, key: string): string => `section.${index}.${key}`;

/**
 * The sections of a report form, in the form's order, as raw definitions for the schema to check.
 * A value the form cannot even read (a number that is not one, JSON that does not parse) is an
 * InputError naming the section's path, as the schema's own errors do.
 */
export function sectionsFromForm(
  body: Record<string, unknown>,
  problems?: FormProblem[],
): Record<string, unknown>[] {
  const indexes = [
    ...new Set(
      Object.keys(body)
        .map((k) => /^section\.(\d{1,2})\.type$/.exec(k)?.[1])
        .filter((i): i is string => i !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
  return indexes.map((formIndex, position) => {
    const read = (key: string) => {
      const raw = body[sectionFieldName(formIndex, key)];
      const first = Array.isArray(raw) ? raw[0] : raw;
      return typeof first === 'string' ? first.trim() : undefined;
    };
    const type = read('type') ?? '';
    const descriptor = descriptorOf(type);
    if (!descriptor)
      throw new InputError(
        `sections[${position}].type: expected one of ${SECTION_DESCRIPTORS.map((d) => d.type).join(', ')}`,
        `sections[${position}].type`,
      );
    const section: Record<string, unknown> = { type };
    for (const f of descriptor.fields) {
      const value = read(f.key);
      const path = `sections[${position}].${f.key}`;
      // With a collector, a value the form cannot read is noted (its text kept) and skipped.
      const fault = (message: string) => {
        if (!problems) throw new InputError(`${path}: ${message}`, path);
        problems.push({ path, name: sectionFieldName(position, f.key), raw: value ?? '', message });
      };
      if (f.editor.kind === 'checkbox') {
        if (value !== undefined) section[f.key] = true;
        else if (!f.optional) section[f.key] = false;
        continue;
      }
      if (value === undefined || value === '') continue;
      if (f.editor.kind === 'number') {
        const n = Number(value);
        if (!Number.isFinite(n)) fault('expected a number');
        else section[f.key] = n;
      } else if (f.editor.kind === 'funnel' || f.editor.kind === 'json') {
        const parsed = parseJsonField(value);
        if (parsed.ok) section[f.key] = parsed.value;
        else fault(jsonFieldMessage(parsed));
      } else section[f.key] = value;
    }
    return section;
  });
}
