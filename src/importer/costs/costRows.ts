import { ImportError } from '../../errors/errors.js';
import type { CsvRecord } from '../offline/csvRecords.js';

/** One day's cost of one campaign key, as GA4's cost-data import describes it. */
export interface CostRow {
  readonly date: string;
  readonly utm_source: string;
  readonly utm_medium: string;
  readonly utm_id: string;
  readonly utm_campaign: string | null;
  readonly impressions: number | null;
  readonly clicks: number | null;
  readonly cost: number;
  readonly currency: string | null;
}

const REQUIRED = ['date', 'utm_source', 'utm_medium', 'utm_id', 'cost'] as const;
const OPTIONAL = ['utm_campaign', 'impressions', 'clicks', 'currency'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/** The header's columns; any name outside GA4's cost-data shape is refused. */
export function costColumns(file: string, header: CsvRecord): Column[] {
  const seen = new Set<string>();
  const columns = header.cells.map((raw, i) => {
    const name = raw.trim();
    const at = `${file} line ${header.line}, column ${i + 1} (${name || 'empty'})`;
    if (![...REQUIRED, ...OPTIONAL].includes(name as Column)) {
      throw new ImportError(
        `${at}: unknown column; expected ${[...REQUIRED, ...OPTIONAL].join(', ')}`,
        name,
      );
    }
    if (seen.has(name)) throw new ImportError(`${at}: the column appears twice`, name);
    seen.add(name);
    return name as Column;
  });
  for (const name of REQUIRED) {
    if (!seen.has(name))
      throw new ImportError(`${file} line ${header.line}: no ${name} column`, name);
  }
  return columns;
}

/** `YYYY-MM-DD` that names a real calendar day (no 2021-02-30). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** One record as a cost row; the first bad cell is an error naming its line and column. */
export function costRow(file: string, columns: readonly Column[], record: CsvRecord): CostRow {
  if (record.cells.length !== columns.length) {
    throw new ImportError(
      `${file} line ${record.line}: ${record.cells.length} columns where the header has ${columns.length}`,
      'file',
    );
  }
  const cell = new Map<Column, { text: string; at: string }>();
  columns.forEach((name, i) =>
    cell.set(name, {
      text: (record.cells[i] as string).trim(),
      at: `${file} line ${record.line}, column ${i + 1} (${name})`,
    }),
  );
  const text = (name: Column) => cell.get(name)?.text ?? '';
  const fail = (name: Column, message: string): never => {
    throw new ImportError(`${cell.get(name)?.at ?? file}: ${message}`, name);
  };
  for (const name of ['utm_source', 'utm_medium', 'utm_id'] as const) {
    if (text(name) === '') fail(name, 'is empty');
  }
  if (!isCalendarDate(text('date'))) {
    fail('date', `expected a calendar date as YYYY-MM-DD, got "${text('date')}"`);
  }
  const cost = text('cost');
  if (!/^\d+(\.\d+)?$/.test(cost)) fail('cost', `expected a number of at least 0, got "${cost}"`);
  const count = (name: 'impressions' | 'clicks'): number | null => {
    const value = text(name);
    if (value === '') return null;
    if (!/^\d{1,15}$/.test(value))
      fail(name, `expected a whole number of at least 0, got "${value}"`);
    return Number(value);
  };
  const currency = text('currency');
  if (currency !== '' && !/^[A-Z]{3}$/.test(currency)) {
    fail('currency', `expected a three-letter currency code such as EUR, got "${currency}"`);
  }
  return {
    date: text('date'),
    utm_source: text('utm_source'),
    utm_medium: text('utm_medium'),
    utm_id: text('utm_id'),
    utm_campaign: text('utm_campaign') || null,
    impressions: count('impressions'),
    clicks: count('clicks'),
    cost: Number(cost),
    currency: currency || null,
  };
}
