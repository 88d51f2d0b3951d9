import type { Command } from 'commander';
import { parseStageMap } from '../../analyses/stages/stageMap.js';
import { parseStagesSpec } from '../../analyses/stages/stagesSpec.js';
import { runStages, type StagesResult } from '../../analyses/stages/runStages.js';
import { openCliEngine } from './dbOption.js';
import { readDocument } from './funnel.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function stagesTable(r: StagesResult): string {
  const lines = [`${r.users} users`];
  for (const s of r.stages)
    lines.push(
      `${s.name.padEnd(20)} ${String(s.users).padStart(10)} ${pct(s.shareOfUsers).padStart(7)}`,
    );
  lines.push('');
  for (const p of r.progression) {
    lines.push(
      `${`${p.from} → ${p.to}`.padEnd(36)} ${String(p.users).padStart(10)} ${pct(p.rate).padStart(7)} median ${p.medianSecondsBetween ?? '-'}s`,
    );
  }
  const drop = r.painPoints.largestDrop;
  if (drop)
    lines.push(
      '',
      `largest drop: ${drop.from} → ${drop.to}, ${drop.lost} users (${pct(drop.rate)})`,
    );
  if (r.painPoints.exitPages.length > 0) {
    lines.push(
      '',
      `last pages of ${r.painPoints.unconvertedSessions} sessions without a conversion:`,
    );
    for (const e of r.painPoints.exitPages)
      lines.push(
        `  ${e.page.slice(0, 60).padEnd(60)} ${String(e.sessions).padStart(9)} ${pct(e.share).padStart(7)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

export function registerStages(program: Command): void {
  program
    .command('stages')
    .description('users per journey stage, progression, time between stages and pain points')
    .requiredOption('--spec <file>', 'the stages spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option(
      '--stages <file>',
      'a stage map (JSON or YAML) instead of the spec’s or the default one',
    )
    .option('--json', 'print JSON')
    .action(async (options: { spec: string; db?: string; stages?: string; json?: boolean }) => {
      let spec = parseStagesSpec(readDocument(options.spec, '--spec'));
      if (options.stages)
        spec = {
          ...spec,
          stageMap: parseStageMap(readDocument(options.stages, '--stages'), '--stages'),
        };
      const engine = await openCliEngine(options.db);
      try {
        const result = await runStages(engine, spec);
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : stagesTable(result),
        );
      } finally {
        await engine.close();
      }
    });
}
