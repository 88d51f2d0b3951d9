import { Command, CommanderError } from 'commander';
import { PathlightError, InputError } from '../errors/errors.js';
import { registerCommands } from '../cli/commands/index.js';
import { registerServe } from './serveCommand.js';

/** Exit codes: 0 done, 1 failure, 2 bad input (a spec, a flag, a file). */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('pathlight')
    .description('Customer-journey reports from a GA4 BigQuery export')
    .exitOverride()
    .showHelpAfterError();
  registerServe(program);
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof PathlightError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
