import { PathlightError } from '../../errors/errors.js';

/** An error as a page shows it: on the form field at fault, in words a marketer reads. */
export interface PageError {
  /** The form field's name the error belongs to ('' when none on the page). */
  readonly field: string;
  /** Where the field is, as the page names it ("Section 5 · lookback"). */
  readonly where: string;
  readonly message: string;
  /** True when the page shows the error under its field, so it is not repeated on top. */
  readonly onField: boolean;
}

/** A condition's comparison as its picker names it. */
const COMPARISONS: Record<string, string> = {
  gt: 'more than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
};

const PHRASES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Too small: expected string to have >=1 characters?$/, () => 'is required'],
  [
    /^Too small: expected string to have >=(\d+) characters$/,
    (m) => `needs at least ${m[1]} characters`,
  ],
  [
    /^Too big: expected string to have <=(\d+) characters$/,
    (m) => `can have at most ${m[1]} characters`,
  ],
  [/^Too small: expected array to have >=(\d+) items?$/, (m) => `needs at least ${m[1]}`],
  [/^Too big: expected array to have <=(\d+) items$/, (m) => `can have at most ${m[1]}`],
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, (m) => `must be ${m[1]} or more`],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, (m) => `must be ${m[1]} or less`],
  [/^Invalid input: expected \w+, received undefined$/, () => 'is required'],
  [/^Invalid input: expected (number|int)\b.*$/, () => 'must be a number'],
  [/^Invalid input: expected (\w+), received \w+$/, (m) => `must be a ${m[1]}`],
  [
    /^Invalid option: expected one of (.*)$/,
    (m) => `choose one of ${m[1]!.replaceAll('"', '').replaceAll('|', ', ')}`,
  ],
  [/^expected one of (.*)$/, (m) => `choose one of ${m[1]!}`],
  [/^Invalid email address$/, () => 'is not an email address'],
  [/^Invalid string: must match pattern .*$/, () => 'has characters that are not allowed here'],
  [/^Unrecognized keys?: (.*)$/, (m) => `has fields it does not know: ${m[1]}`],
  [
    /^(gt|gte|lt|lte): expected a number$/,
    (m) => `“${COMPARISONS[m[1]!]}” compares numbers: write a number`,
  ],
  [/^\w+: expected a value$/, () => 'needs a value to compare with'],
  [/^in: expected values$/, () => 'needs the values to match, one or more'],
  [
    /^expected an event or at least one where condition$/,
    () => 'pick an event or give a condition: a segment needs one to say who is in it',
  ],
  [
    /^CronPattern: .*$/,
    () =>
      'is not a schedule: five fields, minute hour day-of-month month weekday (like 0 8 * * 1 for Mondays at 08:00)',
  ],
];

/** A validator's phrase in plain words; anything already plain passes through unchanged. */
export function plainWords(text: string): string {
  const trimmed = text.trim();
  for (const [pattern, say] of PHRASES) {
    const m = pattern.exec(trimmed);
    if (m) return say(m);
  }
  return trimmed;
}

/**
 * A validator path as the page names it: positions count from 1 and sections and steps are
 * called what the page calls them: `sections[4].lookback` → `Section 5 · lookback`.
 */
export function pathLabel(path: string): string {
  return path
    .replace(/^sections\[(\d+)\]\.?/, (_m, i: string) => `Section ${Number(i) + 1} · `)
    .replace(/steps\[(\d+)\]\.?/g, (_m, i: string) => `Step ${Number(i) + 1} · `)
    .replace(/where\[(\d+)\]\.?/g, (_m, i: string) => `condition ${Number(i) + 1} · `)
    .replace(/\[(\d+)\]/g, (_m, i: string) => ` ${Number(i) + 1}`)
    .replace(/\./g, ' · ')
    .replace(/ · $/, '')
    .trim();
}

/**
 * The message of a PathlightError for its first field, without the path prefix the validator
 * puts before it (the page shows the message under the field, so the path is not repeated).
 */
export function fieldMessage(error: PathlightError): string {
  const first = error.message.split('; ')[0] ?? error.message;
  const at = /^([A-Za-z_][\w.[\]]*): (.*)$/s.exec(first);
  return plainWords(at ? at[2]! : first);
}

/**
 * A page's view of an error: `toField` maps the validator's path (`recipients.to[0]`) to the
 * form field's name on this page (`to`), or undefined when no field of the page holds it.
 */
export function pageError(
  error: PathlightError,
  toField: (path: string) => string | undefined = (p) => p,
): PageError {
  const path = error.field ?? '';
  const field = (path && toField(path)) || '';
  const message = fieldMessage(error);
  const where = path ? pathLabel(path) : '';
  return {
    field,
    where,
    message: field || !where ? message : `${where}: ${message}`,
    onField: field !== '',
  };
}
