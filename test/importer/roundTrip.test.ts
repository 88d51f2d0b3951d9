import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/importer/importFiles.js';
import {
  FIXTURE_JSON,
  FIXTURE_PARQUET,
  FIXTURE_ROWS,
  REAL,
  copyAs,
  fingerprintSql,
  rows,
  tempDir,
  withDuckdb,
} from './support.js';

/** The fingerprint of events_20201225 after importing `paths` into a new file. */
async function importedFingerprint(paths: string[]): Promise<Record<string, unknown>> {
  const db = join(tempDir(), 'events.duckdb');
  await importFiles(db, paths);
  const [print] = await withDuckdb(db, (c) => rows(c, fingerprintSql('events_20201225')));
  return print as Record<string, unknown>;
}

describe('one day exported as NDJSON and as Parquet', () => {
  it('gives identical rows in every column', async () => {
    const fromParquet = await importedFingerprint([FIXTURE_PARQUET]);
    const fromJson = await importedFingerprint([FIXTURE_JSON]);
    expect(fromParquet.n).toBe(BigInt(FIXTURE_ROWS));
    expect(fromJson).toEqual(fromParquet);
  });

  it('has no row in one import that the other lacks (EXCEPT ALL both ways)', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.duckdb');
    const b = join(dir, 'b.duckdb');
    await importFiles(a, [FIXTURE_PARQUET]);
    await importFiles(b, [FIXTURE_JSON]);
    const differences = await withDuckdb(undefined, async (c) => {
      await c.run(`ATTACH '${a}' AS a (READ_ONLY); ATTACH '${b}' AS b (READ_ONLY)`);
      return rows(
        c,
        `SELECT (SELECT count(*) FROM (FROM a.events_20201225 EXCEPT ALL FROM b.events_20201225)) AS a_only,
                (SELECT count(*) FROM (FROM b.events_20201225 EXCEPT ALL FROM a.events_20201225)) AS b_only`,
      );
    });
    expect(differences).toEqual([{ a_only: 0n, b_only: 0n }]);
  });

  it('reads gzip NDJSON and sharded extracts of one day into the same table', async () => {
    const reference = await importedFingerprint([FIXTURE_PARQUET]);
    const dir = tempDir();
    const gz = join(dir, 'gz');
    mkdirSync(gz);
    writeFileSync(join(gz, 'events_20201225.json.gz'), gzipSync(readFileSync(FIXTURE_JSON)));
    expect(await importedFingerprint([gz])).toEqual(reference);

    const shards = join(dir, 'shards');
    mkdirSync(shards);
    const lines = readFileSync(FIXTURE_JSON, 'utf8').trimEnd().split('\n');
    writeFileSync(
      join(shards, 'events_20201225-000000000000.json'),
      lines.slice(0, 100).join('\n'),
    );
    writeFileSync(
      join(shards, 'events_20201225-000000000001.ndjson'),
      lines.slice(100).join('\r\n'),
    );
    // A folder holds the shards; files of other kinds in it are not export files and are skipped.
    writeFileSync(join(shards, 'README.txt'), 'not an export file');
    expect(await importedFingerprint([shards])).toEqual(reference);
  });

  it('takes the day from event_date when the file name does not tell it', async () => {
    const dir = tempDir();
    const json = copyAs(FIXTURE_JSON, dir, 'export.jsonl');
    const parquet = copyAs(FIXTURE_PARQUET, dir, 'slice.parquet');
    const db = join(dir, 'events.duckdb');
    const result = await importFiles(db, [json]);
    expect(result.tables).toEqual([
      { table: 'events_20201225', rows: FIXTURE_ROWS, replaced: false },
    ]);
    const again = await importFiles(db, [parquet]);
    expect(again.tables).toEqual([
      { table: 'events_20201225', rows: FIXTURE_ROWS, replaced: true },
    ]);
  });
});

describe('re-importing a day', () => {
  it('replaces the table: its rows are the new file’s, not the sum', async () => {
    const dir = tempDir();
    const db = join(dir, 'events.duckdb');
    const real = `${REAL}/events_20201225.parquet`;
    await importFiles(db, [real, copyAs(FIXTURE_PARQUET, dir, 'events_20201224.parquet')]);
    const result = await importFiles(db, [FIXTURE_JSON]);
    expect(result.tables).toEqual([
      { table: 'events_20201225', rows: FIXTURE_ROWS, replaced: true },
    ]);
    const counts = await withDuckdb(db, (c) =>
      rows(
        c,
        `SELECT _TABLE_SUFFIX AS day, count(*)::INT AS n FROM events_wildcard GROUP BY 1 ORDER BY 1`,
      ),
    );
    // The other day is untouched.
    expect(counts).toEqual([
      { day: '20201224', n: FIXTURE_ROWS },
      { day: '20201225', n: FIXTURE_ROWS },
    ]);
  });
});
