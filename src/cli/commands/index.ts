import type { Command } from 'commander';
import { registerServe } from './serve.js';

/** Every CLI command is a thin door onto a use-case; each lives in its own file. */
export function registerCommands(program: Command): void {
  registerServe(program);
}
