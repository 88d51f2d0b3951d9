import type { Command } from 'commander';
import { registerAttribution } from './attribution.js';
import { registerEvents } from './events.js';
import { registerFunnel } from './funnel.js';
import { registerImport } from './import.js';
import { registerLink } from './link.js';
import { registerNext } from './next.js';
import { registerPaths } from './paths.js';
import { registerRender } from './render.js';
import { registerRetention } from './retention.js';
import { registerSample } from './sample.js';
import { registerSend } from './send.js';
import { registerServe } from './serve.js';
import { registerSql } from './sql.js';
import { registerStages } from './stages.js';

/** Every CLI command is a thin door onto a use-case; each lives in its own file. */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerSample(program);
  registerImport(program);
  registerEvents(program);
  registerSql(program);
  registerFunnel(program);
  registerPaths(program);
  registerNext(program);
  registerStages(program);
  registerRetention(program);
  registerAttribution(program);
  registerSend(program);
  registerRender(program);
  registerLink(program);
}
