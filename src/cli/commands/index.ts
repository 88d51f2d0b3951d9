import type { Command } from 'commander';
import { registerEvents } from './events.js';
import { registerImport } from './import.js';
import { registerSample } from './sample.js';
import { registerServe } from './serve.js';
import { registerSql } from './sql.js';

/** Every CLI command is a thin door onto a use-case; each lives in its own file. */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerSample(program);
  registerImport(program);
  registerEvents(program);
  registerSql(program);
}
