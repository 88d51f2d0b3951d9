import type { Command } from 'commander';
import { parseGoals, type Goal } from '../../analyses/goals/goal.js';
import { parsePathsSpec } from '../../analyses/paths/pathsSpec.js';
import { runPaths, type PathsResult } from '../../analyses/paths/runPaths.js';
import { openCliEngine } from './dbOption.js';
import { readDocument } from './funnel.js';

/** One block per step: each node's journeys and share of the step. */
export function pathsTable(result: PathsResult): string {
  const lines = [`${result.journeys} ${result.unit} (${result.direction})`];
  for (const step of result.steps) {
    lines.push('', `step ${step.index}: ${step.journeys}`);
    for (const n of step.nodes) {
      const share = step.journeys > 0 ? ((n.count / step.journeys) * 100).toFixed(1) : '0.0';
      lines.push(
        `  ${n.node.slice(0, 60).padEnd(60)} ${String(n.count).padStart(10)} ${share.padStart(6)}%`,
      );
    }
  }
  if (result.eventsWithoutUser > 0) {
    lines.push('', `${result.eventsWithoutUser} events without user_pseudo_id form no journey`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reads saved goals when a spec refers to them by name. */
export function goalsOption(file: string | undefined): Map<string, Goal> {
  return file ? parseGoals(readDocument(file, '--goals')) : new Map();
}

export function registerPaths(program: Command): void {
  program
    .command('paths')
    .description('journey paths forward from a start or backward from an end, top K per step')
    .requiredOption('--spec <file>', 'the paths spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option('--goals <file>', 'saved goals (JSON or YAML list) that start/end refer to by name')
    .option('--json', 'print JSON')
    .action(async (options: { spec: string; db?: string; goals?: string; json?: boolean }) => {
      const spec = parsePathsSpec(readDocument(options.spec, '--spec'));
      const goals = goalsOption(options.goals);
      const engine = await openCliEngine(options.db);
      try {
        const result = await runPaths(engine, spec, { goals });
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : pathsTable(result),
        );
      } finally {
        await engine.close();
      }
    });
}
