import { OPS, type Condition } from '../../sql/vocabulary/condition.js';
import { FIELD_SQL } from '../../sql/vocabulary/fieldMap.js';
import { formRows } from './formRows.js';
import { fields } from './pageDeps.js';
import type { FormProblem } from './sectionFields.js';

const NUMBER = /^-?\d+(\.\d+)?$/;
const NUMERIC_OPS = ['gt', 'gte', 'lt', 'lte'];

export const OP_WORDS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  starts_with: 'starts with',
  regex: 'matches the pattern',
  in: 'is one of (a, b, c)',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  between: 'is between (low, high)',
};

/** A value as typed: a number is written as one; text that would read as a number is quoted. */
const showScalar = (v: unknown) =>
  typeof v === 'string' && NUMBER.test(v) ? JSON.stringify(v) : String(v as string | number);

function readScalar(text: string): string | number {
  const t = text.trim();
  if (/^".*"$/.test(t)) return t.slice(1, -1);
  return NUMBER.test(t) ? Number(t) : t;
}

/** A condition's subject as one picker value: `param:currency`, `field:device.category`. */
function subjectOf(c: Partial<Condition>): string {
  if (c.param !== undefined) return `param:${c.param}`;
  if (c.item !== undefined) return `item:${c.item}`;
  if (c.field !== undefined) return `field:${c.field}`;
  return '';
}

/**
 * Conditions as rows of a form (`PREFIX.J.subject`, `.op`, `.value`), blank rows skipped. A
 * value the op cannot take is noted in `problems` and kept as typed in the draft, under the name
 * its field has once the page is drawn again (`shown`: the list's prefix with rows renumbered).
 */
export function readConditions(
  body: Record<string, unknown>,
  prefix: string,
  path: string,
  problems?: FormProblem[],
  shown = prefix,
): Record<string, unknown>[] | undefined {
  const one = (name: string) => fields(body, name)[0] ?? '';
  const rows = formRows(body, prefix).filter((j) => `${prefix}.${j}.subject` in body);
  let count = 0;
  const out = rows.flatMap((j) => {
    const subject = one(`${prefix}.${j}.subject`);
    const op = one(`${prefix}.${j}.op`) || 'eq';
    const text = one(`${prefix}.${j}.value`);
    if (!subject && !text) return [];
    const at = count++;
    const fault = (key: string, message: string, raw: string) =>
      problems?.push({
        path: `${path}[${at}].${key}`,
        name: `${shown}.${at}.${key}`,
        raw,
        message,
      });
    if (!subject) fault('subject', 'pick what the condition is on', subject);
    const [kind = 'param', ...rest] = subject.split(':');
    const condition: Record<string, unknown> = { [kind]: rest.join(':'), op };
    if (op === 'in' || op === 'between') {
      const values = text
        .split(',')
        .filter((v) => v.trim() !== '')
        .map(readScalar);
      if (op === 'between' && (values.length !== 2 || values.some((v) => typeof v !== 'number')))
        fault('value', 'write two numbers, low and high, like 10, 50', text);
      condition.values = values;
    } else {
      const value = readScalar(text);
      if (NUMERIC_OPS.includes(op) && typeof value !== 'number')
        fault('value', 'must be a number', text);
      condition.value = value;
    }
    return [condition];
  });
  return out.length ? out : undefined;
}

export interface ConditionRow {
  readonly number: number;
  readonly subjectName: string;
  readonly opName: string;
  readonly valueName: string;
  readonly value: string;
  /** The remove button's op (a filled row only): its fields leave the form. */
  readonly removeOp?: string;
  readonly subjects: { value: string; label: string; selected: boolean }[];
  readonly ops: { value: string; label: string; selected: boolean }[];
}

/** The rows a list of conditions shows, and one blank row to add another. */
export function conditionRows(
  prefix: string,
  conditions: unknown,
  params: readonly string[],
  raw: Readonly<Record<string, string>>,
): ConditionRow[] {
  const list = (Array.isArray(conditions) ? conditions : []) as Partial<Condition>[];
  return [...list, {}].map((c, j) => {
    const subject = subjectOf(c);
    const choices = [
      ...params.map((p) => `param:${p}`),
      ...Object.keys(FIELD_SQL).map((f) => `field:${f}`),
    ];
    const name = (key: string) => `${prefix}.${j}.${key}`;
    const shown = c.values
      ? c.values.map(showScalar).join(', ')
      : c.value === undefined
        ? ''
        : showScalar(c.value);
    return {
      number: j + 1,
      subjectName: name('subject'),
      opName: name('op'),
      valueName: name('value'),
      value: raw[name('value')] ?? shown,
      ...(j < list.length ? { removeOp: `drop:${prefix}.${j}` } : {}),
      subjects: [...new Set([...(subject ? [subject] : []), ...choices])].map((s) => ({
        value: s,
        label: s.startsWith('param:') ? `parameter ${s.slice(6)}` : s.replace(/^\w+:/, ''),
        selected: s === subject,
      })),
      ops: OPS.map((o) => ({ value: o, label: OP_WORDS[o] ?? o, selected: o === (c.op ?? 'eq') })),
    };
  });
}
