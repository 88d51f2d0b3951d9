import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import { InputError } from '../../src/errors/errors.js';

/** Runs one registered command in-process, as the CLI would: InputError and usage errors exit 2. */
export async function runCommand(
  register: (program: Command) => void,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  const program = new Command('pathlight').exitOverride();
  register(program);
  try {
    await program.parseAsync(['node', 'pathlight', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof InputError) return { code: 2, stdout, stderr: stderr + error.message };
    if (error instanceof CommanderError) return { code: 2, stdout, stderr };
    throw error;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
