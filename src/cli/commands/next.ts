import type { Command } from 'commander';
import { parseNextStepSpec } from '../../analyses/nextStep/nextStepSpec.js';
import { runNextStep, type NextStepResult } from '../../analyses/nextStep/runNextStep.js';
import { openCliEngine } from './dbOption.js';
import { readDocument } from './funnel.js';
import { goalsOption } from './paths.js';

const pct = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)}%`);

/** One line per node with enough support: its conversion probability and likeliest next nodes. */
export function nextStepTable(result: NextStepResult): string {
  const lines = [
    `${result.journeys} ${result.unit}, ${result.conversions} reached ${result.goal} (chain: ${pct(result.conversionProbability)})`,
  ];
  for (const n of result.nodes) {
    if (n.conversionProbability === null) continue;
    const next = n.next.map((x) => `${x.node} ${pct(x.probability)}`).join(', ');
    lines.push(
      `${n.node.slice(0, 50).padEnd(50)} ${String(n.journeys).padStart(9)} ${pct(n.conversionProbability).padStart(7)}  → ${next}`,
    );
  }
  const hidden = result.nodes.filter((n) => n.conversionProbability === null).length;
  if (hidden > 0) lines.push(`(${hidden} nodes below ${result.minSupport} journeys not shown)`);
  return `${lines.join('\n')}\n`;
}

export function registerNext(program: Command): void {
  program
    .command('next')
    .description('next-step probabilities per node and the probability of reaching the goal')
    .requiredOption('--spec <file>', 'the next-step spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option('--goals <file>', 'saved goals (JSON or YAML list) the spec refers to by name')
    .option('--json', 'print JSON')
    .action(async (options: { spec: string; db?: string; goals?: string; json?: boolean }) => {
      const spec = parseNextStepSpec(readDocument(options.spec, '--spec'));
      const goals = goalsOption(options.goals);
      const engine = await openCliEngine(options.db);
      try {
        const result = await runNextStep(engine, spec, { goals });
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : nextStepTable(result),
        );
      } finally {
        await engine.close();
      }
    });
}
