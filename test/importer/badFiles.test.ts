import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors/errors.js';
import { importFiles } from '../../src/importer/importFiles.js';
import {
  FIXTURE_JSON,
  FIXTURE_PARQUET,
  FIXTURE_ROWS,
  copyAs,
  snapshot,
  tempDir,
  withDuckdb,
  type DbSnapshot,
} from './support.js';

/**
 * Every bad file is imported together with a good file of another day, into a database that
 * already holds events_20201225: the error must name file, line (or row) and field, and the
 * database must stay exactly as it was (old table and rows, no new table, same view).
 */
let dir: string;
let db: string;
let before: DbSnapshot;
let goodOtherDay: string;
const lines = readFileSync(FIXTURE_JSON, 'utf8').trimEnd().split('\n');

function writeJson(name: string, content: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, content.join('\n') + (content.length ? '\n' : ''));
  return path;
}

/** The fixture with line `lineNo` (1-based) changed by `edit`. */
function editedLines(lineNo: number, edit: (row: Record<string, unknown>) => void): string[] {
  return lines.map((line, i) => {
    if (i !== lineNo - 1) return line;
    const row = JSON.parse(line) as Record<string, unknown>;
    edit(row);
    return JSON.stringify(row);
  });
}

/** A Parquet file written by DuckDB from the fixture slice changed by `select`. */
async function writeParquet(name: string, select: string): Promise<string> {
  const path = join(dir, name);
  await withDuckdb(undefined, (c) =>
    c.run(
      `COPY (${select.replace('FIXTURE', `read_parquet('${FIXTURE_PARQUET}', file_row_number = true)`)}) TO '${path}' (FORMAT parquet)`,
    ),
  );
  return path;
}

async function expectRefused(paths: string[], message: RegExp, field?: string): Promise<void> {
  const error = await importFiles(db, [goodOtherDay, ...paths]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  expect((error as ImportError).message).toMatch(message);
  if (field !== undefined) expect((error as ImportError).field).toBe(field);
  expect(await snapshot(db)).toEqual(before);
}

beforeAll(async () => {
  dir = tempDir();
  db = join(dir, 'events.duckdb');
  await importFiles(db, [FIXTURE_PARQUET]);
  goodOtherDay = copyAs(FIXTURE_PARQUET, dir, 'events_20201226.parquet');
  before = await snapshot(db);
  expect(before.tables).toEqual({
    events_20201225: { n: String(FIXTURE_ROWS), digest: expect.any(String) },
  });
  expect(before.viewRows).toBe(String(FIXTURE_ROWS));
});

describe('bad NDJSON files', () => {
  it('refuses a truncated line with file:line', async () => {
    const truncated = [...lines.slice(0, 19), (lines[19] as string).slice(0, 700)];
    await expectRefused(
      [writeJson('events_20201225.json', truncated)],
      /^events_20201225\.json:20: invalid JSON \(a truncated or broken line\)/,
    );
  });

  it('refuses a value of the wrong type with file:line and the field path', async () => {
    const bad = editedLines(17, (row) => {
      const params = row.event_params as { value: Record<string, unknown> }[];
      (params[2] as { value: Record<string, unknown> }).value.int_value = 'abc';
    });
    await expectRefused(
      [writeJson('events_20201225.json', bad)],
      /^events_20201225\.json:17: event_params\[2\]\.value\.int_value: expected INT64, got "abc"$/,
      'event_params[2].value.int_value',
    );
  });

  it('refuses wrong types in records, arrays and booleans', async () => {
    const cases: [(row: Record<string, unknown>) => void, RegExp][] = [
      [(row) => (row.geo = 'Berlin'), /:3: geo: expected RECORD \(a JSON object\), got "Berlin"$/],
      [(row) => (row.items = {}), /:3: items: expected ARRAY<RECORD>, got \{\}$/],
      [(row) => (row.is_active_user = 'true'), /:3: is_active_user: expected BOOL, got "true"$/],
      [(row) => (row.event_name = 5), /:3: event_name: expected STRING, got 5$/],
      [
        (row) => (row.event_timestamp = 2 ** 60),
        /:3: event_timestamp: expected INT64, got 1152921504606847000 \(beyond 2\^53/,
      ],
      [(row) => (row.event_timestamp = '1.5'), /:3: event_timestamp: expected INT64, got "1.5"$/],
      [
        (row) => ((row.user_ltv as Record<string, unknown>).revenue = 'lots'),
        /:3: user_ltv\.revenue: expected FLOAT64, got "lots"$/,
      ],
    ];
    for (const [edit, message] of cases) {
      await expectRefused([writeJson('events_20201225.json', editedLines(3, edit))], message);
    }
  });

  it('refuses an unknown top-level column, and an unknown nested field', async () => {
    await expectRefused(
      [
        writeJson(
          'events_20201225.json',
          editedLines(5, (row) => (row.page_views = 1)),
        ),
      ],
      /^events_20201225\.json:5: page_views: unknown column/,
      'page_views',
    );
    await expectRefused(
      [
        writeJson(
          'events_20201225.json',
          editedLines(6, (row) => ((row.device as Record<string, unknown>).colour = 'red')),
        ),
      ],
      /^events_20201225\.json:6: device\.colour: unknown field/,
    );
  });

  it('refuses an empty file: no rows', async () => {
    await expectRefused([writeJson('events_20201225.json', [])], /^events_20201225\.json: no rows/);
    await expectRefused(
      [writeJson('events_20201227.jsonl', ['', '  '])],
      /^events_20201227\.jsonl: no rows/,
    );
  });

  it('refuses a file without a day in its name whose rows have several event_dates', async () => {
    const mixed = editedLines(9, (row) => (row.event_date = '20201226'));
    await expectRefused(
      [writeJson('export.json', mixed)],
      /^export\.json:9: event_date "20201226" differs from "20201225" \(line 1\)/,
      'event_date',
    );
  });
});

describe('bad Parquet files', () => {
  it('refuses an unknown top-level column, naming it', async () => {
    const path = await writeParquet(
      'events_20201225.parquet',
      'SELECT * EXCLUDE (file_row_number), 1 AS page_views FROM FIXTURE',
    );
    await expectRefused(
      [path],
      /^events_20201225\.parquet: unknown column page_views/,
      'page_views',
    );
  });

  it('refuses a column whose type cannot convert, naming the field', async () => {
    const path = await writeParquet(
      'events_20201225.parquet',
      'SELECT * EXCLUDE (file_row_number) REPLACE ([1, 2] AS event_name) FROM FIXTURE',
    );
    await expectRefused(
      [path],
      /^events_20201225\.parquet: event_name: the file's type INTEGER\[\] cannot become VARCHAR/,
      'event_name',
    );
  });

  it('refuses a text value that is no number with row and field path', async () => {
    const path = await writeParquet(
      'events_20201225.parquet',
      `SELECT * EXCLUDE (file_row_number) REPLACE (
         list_transform(event_params, lambda p, i: struct_pack(
           key := p.key,
           value := struct_pack(
             string_value := p.value.string_value,
             int_value := CASE WHEN file_row_number = 3 AND i = 2 THEN 'x'
                               ELSE CAST(p.value.int_value AS VARCHAR) END,
             float_value := p.value.float_value,
             double_value := p.value.double_value))) AS event_params)
       FROM FIXTURE ORDER BY file_row_number`,
    );
    await expectRefused(
      [path],
      /^events_20201225\.parquet: row 4: event_params\[1\]\.value\.int_value: expected INT64, got "x"$/,
    );
  });

  it('refuses an empty Parquet file: no rows', async () => {
    const path = await writeParquet(
      'events_20201225.parquet',
      'SELECT * EXCLUDE (file_row_number) FROM FIXTURE LIMIT 0',
    );
    await expectRefused([path], /^events_20201225\.parquet: no rows/);
  });

  it('accepts text numbers in a Parquet file when they are numbers', async () => {
    const path = await writeParquet(
      'events_20201228.parquet',
      `SELECT * EXCLUDE (file_row_number) REPLACE (CAST(event_timestamp AS VARCHAR) AS event_timestamp) FROM FIXTURE`,
    );
    const copy = join(tempDir(), 'events.duckdb');
    const result = await importFiles(copy, [path]);
    expect(result.tables).toEqual([
      { table: 'events_20201228', rows: FIXTURE_ROWS, replaced: false },
    ]);
  });
});

describe('a failed import into a new file', () => {
  it('leaves no database file behind', async () => {
    const fresh = join(tempDir(), 'new.duckdb');
    await expect(importFiles(fresh, [writeJson('events_20201225.json', [])])).rejects.toThrow(
      /no rows/,
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(fresh)).toBe(false);
  });
});
