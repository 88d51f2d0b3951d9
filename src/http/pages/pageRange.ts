import type { PageError } from './pageError.js';
import { defaultRange } from './pageDeps.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (not 2024-02-30). */
export function isDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export interface PageRange {
  /** As typed (or the default when nothing was), so the form shows it back. */
  readonly from: string;
  readonly to: string;
  /** Set when the range cannot be queried; the error names the one field at fault. */
  readonly error?: PageError;
}

/**
 * A page's From/To pair, checked one field at a time: a date that is not one is named on its own
 * field, and only two real dates are compared (a garbage date is not also "after" the other).
 */
export function pageRange(
  fromText: string,
  toText: string,
  names: { from: string; to: string } = { from: 'from', to: 'to' },
): PageRange {
  const fallback = defaultRange();
  const from = fromText || fallback.from;
  const to = toText || fallback.to;
  const fault = (field: string, message: string): PageRange => ({
    from,
    to,
    error: { field, where: '', message, onField: true },
  });
  if (!isDay(from)) return fault(names.from, `${from} is not a date; use YYYY-MM-DD`);
  if (!isDay(to)) return fault(names.to, `${to} is not a date; use YYYY-MM-DD`);
  if (from > to) return fault(names.to, `must be on or after the start date (${from})`);
  return { from, to };
}
