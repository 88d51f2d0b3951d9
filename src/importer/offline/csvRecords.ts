import { ImportError } from '../../errors/errors.js';

/** One CSV record with the line it starts on (1-based), for errors that point at the file. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
}

/**
 * RFC 4180 CSV: comma separated, fields optionally in double quotes (a doubled quote inside is a
 * quote, and quoted fields may span lines), CRLF or LF line ends, a leading byte-order mark
 * ignored. Blank lines are skipped. An unclosed quote is an error naming its line.
 */
export function csvRecords(text: string, fileName: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let quoteLine = 0;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < body.length) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && body[i + 1] === '\n') i++;
      line++;
      start = line;
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted)
    throw new ImportError(`${fileName} line ${quoteLine}: a quoted field is never closed`);
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}
