import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportError } from '../errors/errors.js';
import { EVENTS_SCHEMA, type Field } from '../schema/ga4Schema.js';
import { duckdbType, quoteIdent } from '../schema/duckdbTypes.js';
import type { EventDates } from './eventDay.js';
import { FieldError, compileRowValidator, formatFieldPath } from './rowValidator.js';

export interface NdjsonResult {
  readonly rows: number;
  readonly dates: EventDates;
}

const validateRow = compileRowValidator();
const PROGRESS_EVERY = 50_000;

/**
 * Streams one NDJSON export file line by line and checks every row against the schema; the first
 * bad line stops it with `file:line: field.path: what is wrong`. The file is not rewritten:
 * every encoding the check accepts is one DuckDB's JSON reader loads as the same value, so DuckDB
 * then reads the checked file itself (see `ndjsonSelect`).
 */
export async function validateNdjsonFile(
  path: string,
  gzip: boolean,
  onProgress?: (message: string) => void,
  signal?: AbortSignal,
): Promise<NdjsonResult> {
  const name = basename(path);
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const source: Readable = gzip ? input.pipe(createGunzip()) : input;
  let lineNo = 0;
  let rows = 0;
  const dates: EventDates = {};
  const failAt = (line: number, message: string, field?: string): never => {
    throw new ImportError(`${name}:${line}: ${message}`, field);
  };
  const checkLine = (line: string): void => {
    lineNo++;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      failAt(
        lineNo,
        `invalid JSON (a truncated or broken line): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    try {
      validateRow(row);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      const field = formatFieldPath(error.path);
      failAt(lineNo, field ? `${field}: ${error.message}` : error.message, field || undefined);
    }
    const date = (row as { event_date?: unknown }).event_date;
    if (typeof date !== 'string') dates.missingAt ??= String(lineNo);
    else if (!dates.first) dates.first = { value: date, where: `line ${lineNo}` };
    else if (!dates.other && date !== dates.first.value) {
      dates.other = { value: date, where: String(lineNo) };
    }
    rows++;
    if (onProgress && rows % PROGRESS_EVERY === 0) onProgress(`${name}: ${rows} rows checked`);
  };
  try {
    await forEachLine(source, checkLine, signal, name);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ImportError(
      `${name}:${lineNo + 1}: cannot read the file${gzip ? ' (gzip)' : ''}: ${message}`,
      undefined,
      { cause: error },
    );
  } finally {
    input.destroy();
  }
  if (rows === 0) throw new ImportError(`${name}: no rows (the file is empty)`);
  return { rows, dates };
}

/**
 * Calls `onLine` for every line (without its `\n` or `\r\n`), splitting the bytes itself:
 * readline costs about as much as JSON.parse on large exports.
 */
async function forEachLine(
  source: Readable,
  onLine: (line: string) => void,
  signal: AbortSignal | undefined,
  name: string,
): Promise<void> {
  let rest: Buffer | undefined;
  const emit = (buffer: Buffer, start: number, end: number): void => {
    const stop = end > start && buffer[end - 1] === 13 ? end - 1 : end;
    onLine(buffer.toString('utf8', start, stop));
  };
  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (signal?.aborted) throw new ImportError(`${name}: check stopped, the import failed`);
    let start = 0;
    let newline = chunk.indexOf(10);
    if (rest !== undefined) {
      if (newline === -1) {
        rest = Buffer.concat([rest, chunk]);
        continue;
      }
      const first = Buffer.concat([rest, chunk.subarray(0, newline)]);
      rest = undefined;
      emit(first, 0, first.length);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    while (newline !== -1) {
      emit(chunk, start, newline);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) rest = Buffer.from(chunk.subarray(start));
  }
  if (rest !== undefined && rest.length > 0) emit(rest, 0, rest.length);
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Whether a field is, or holds, a REPEATED field. */
const holdsRepeated = (field: Field): boolean =>
  field.mode === 'REPEATED' || (field.type === 'STRUCT' && field.fields.some(holdsRepeated));

/** The field as loaded, with NULL or missing arrays (at any depth) made [] as in BigQuery. */
function withEmptyArrays(field: Field, expr: string, depth: number): string {
  if (!holdsRepeated(field)) return expr;
  const type = duckdbType(field);
  if (field.type !== 'STRUCT') return `COALESCE(${expr}, CAST([] AS ${type}))`;
  const record = (value: string): string =>
    `CASE WHEN ${value} IS NULL THEN NULL ELSE struct_pack(${field.fields
      .map(
        (child) =>
          `${quoteIdent(child.name)} := ${withEmptyArrays(child, `struct_extract(${value}, ${literal(child.name)})`, depth + 1)}`,
      )
      .join(', ')}) END`;
  if (field.mode !== 'REPEATED') return record(expr);
  const x = `x${depth}`;
  const element = field.fields.some(holdsRepeated) ? record(x) : x;
  const list = element === x ? expr : `list_transform(${expr}, lambda ${x}: ${element})`;
  return `COALESCE(${list}, CAST([] AS ${type}))`;
}

/**
 * The SELECT that loads checked NDJSON files (`?` = the list of paths) with the schema's exact
 * column types: INT64 given as strings, FLOAT64 as "NaN"/"Infinity" are cast by the reader.
 */
export function ndjsonSelect(gzip: boolean): string {
  const columns = `{${EVENTS_SCHEMA.map((f) => `${literal(f.name)}: ${literal(duckdbType(f))}`).join(', ')}}`;
  const select = EVENTS_SCHEMA.map(
    (f) => `${withEmptyArrays(f, quoteIdent(f.name), 1)} AS ${quoteIdent(f.name)}`,
  ).join(',\n  ');
  return `SELECT\n  ${select}\nFROM read_json(?, format = 'newline_delimited', records = true, compression = '${gzip ? 'gzip' : 'uncompressed'}', columns = ${columns})`;
}
