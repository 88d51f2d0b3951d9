import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerImport } from '../../src/cli/commands/import.js';
import { ImportError, InputError } from '../../src/errors/errors.js';
import { FIXTURE_PARQUET, FIXTURE_ROWS, copyAs, tempDir } from './support.js';

/**
 * `pathlight import` through its registered command (the CLI's `main` maps InputError, which
 * ImportError is, to exit code 2). Output is captured.
 */
async function runImport(
  args: string[],
): Promise<{ stdout: string; stderr: string; error?: unknown }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command('pathlight').exitOverride();
  registerImport(program);
  try {
    await program.parseAsync(['node', 'pathlight', 'import', ...args]);
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('pathlight import', () => {
  it('prints progress and a table of the imported days, creating the file and its folder', async () => {
    const dir = tempDir();
    const db = join(dir, 'data', 'events.duckdb');
    const other = copyAs(FIXTURE_PARQUET, dir, 'events_20201226.parquet');
    const first = await runImport([FIXTURE_PARQUET, other, '--db', db]);
    expect(first.error).toBeUndefined();
    expect(first.stderr).toMatch(/checking events_20201225\.parquet/);
    expect(first.stderr).toMatch(/writing events_20201226 from 1 file/);
    const table = first.stdout.split('\n');
    expect(table[0]).toMatch(/^table\s+rows\s+status$/);
    expect(table[1]).toMatch(new RegExp(`^events_20201225\\s+${FIXTURE_ROWS}\\s+new$`));
    expect(table[2]).toMatch(new RegExp(`^events_20201226\\s+${FIXTURE_ROWS}\\s+new$`));
    expect(table[3]).toMatch(new RegExp(`^2 tables, ${FIXTURE_ROWS * 2} rows into `));

    const again = await runImport([FIXTURE_PARQUET, '--db', db, '--json', '--quiet']);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toEqual({
      db,
      tables: [{ table: 'events_20201225', rows: FIXTURE_ROWS, replaced: true }],
    });
  });

  it('answers a bad file with an ImportError (exit code 2)', async () => {
    const db = join(tempDir(), 'events.duckdb');
    const result = await runImport([join(tempDir(), 'missing.json'), '--db', db]);
    expect(result.error).toBeInstanceOf(ImportError);
    expect(result.error).toBeInstanceOf(InputError);
    expect((result.error as Error).message).toMatch(/missing\.json: no such file or folder/);
  });
});
