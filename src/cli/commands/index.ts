import type { Command } from 'commander';
import { registerAttribution } from './attribution.js';
import { registerEvents } from './events.js';
import { registerFunnel } from './funnel.js';
import { registerImport } from './import.js';
import { registerImportCosts } from './importCosts.js';
import { registerImportOffline } from './importOffline.js';
import { registerLink } from './link.js';
import { registerMap } from './map.js';
import { registerNext } from './next.js';
import { registerPaths } from './paths.js';
import { registerPersonas } from './personas.js';
import { registerPredict } from './predict.js';
import { registerRender } from './render.js';
import { registerRetention } from './retention.js';
import { registerSample } from './sample.js';
import { registerSend } from './send.js';
import { registerSql } from './sql.js';
import { registerStages } from './stages.js';

/**
 * Every CLI command is a thin door onto a use-case; each lives in its own file. `serve` is added by
 * the composition root (`main/cli.ts`), since starting the service wires every part together.
 */
export function registerCommands(program: Command): void {
  registerSample(program);
  registerImport(program);
  registerImportOffline(program);
  registerImportCosts(program);
  registerEvents(program);
  registerSql(program);
  registerFunnel(program);
  registerPaths(program);
  registerNext(program);
  registerPredict(program);
  registerStages(program);
  registerPersonas(program);
  registerMap(program);
  registerRetention(program);
  registerAttribution(program);
  registerSend(program);
  registerRender(program);
  registerLink(program);
}
