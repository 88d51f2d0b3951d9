import type { Command } from 'commander';
import { parseAttributionSpec } from '../../analyses/attribution/attributionSpec.js';
import {
  runAttribution,
  type AttributionResult,
} from '../../analyses/attribution/runAttribution.js';
import { MODELS } from '../../analyses/attribution/models/index.js';
import { openCliEngine } from './dbOption.js';
import { readDocument } from './funnel.js';

const num = (x: number, width: number) => x.toFixed(2).padStart(width);
const SHORT: Record<(typeof MODELS)[number], string> = {
  first_touch: 'first',
  last_touch: 'last',
  last_non_direct: 'last n-d',
  linear: 'linear',
  position_based: 'position',
  time_decay: 'decay',
  markov: 'markov',
};

/** Credited conversions per channel and model side by side, then the top paths and path lengths. */
export function attributionTable(result: AttributionResult): string {
  const nameWidth = Math.min(40, Math.max(8, ...result.channels.map((c) => c.channel.length)));
  const lines = [
    `${result.conversions} conversions of ${result.goal.event} (revenue ${result.revenue.toFixed(2)} from ${result.goal.value}), ${result.touchpoint} touchpoints, lookback ${result.lookback}, time decay half-life ${result.halfLife}`,
  ];
  if (result.unattributed.conversions > 0) {
    lines.push(
      `${result.unattributed.conversions} more conversions have no path (${result.unattributed.withoutUser} without user_pseudo_id)`,
    );
  }
  lines.push(
    '',
    `${'touchpoint'.padEnd(nameWidth)} ${MODELS.map((m) => SHORT[m].padStart(9)).join('')} ${'RE'.padStart(6)} ${'markov-last'.padStart(12)}`,
  );
  for (const c of result.channels) {
    lines.push(
      `${c.channel.slice(0, nameWidth).padEnd(nameWidth)} ${MODELS.map((m) => num(c.conversions[m], 9)).join('')} ${c.removalEffect.toFixed(3).padStart(6)} ${(c.changeVsLastTouch.markov >= 0 ? '+' : '') + c.changeVsLastTouch.markov.toFixed(2).padStart(11)}`,
    );
  }
  lines.push('', 'top conversion paths');
  for (const p of result.paths) {
    lines.push(
      `  ${p.path.join(' > ').slice(0, 70).padEnd(70)} ${String(p.conversions).padStart(7)} conv ${String(p.nonConversions).padStart(7)} not ${p.revenue.toFixed(2).padStart(11)} ${(p.meanDaysToConversion ?? 0).toFixed(1).padStart(6)} days`,
    );
  }
  lines.push('', 'path length (touchpoints: conversions)');
  for (const l of result.pathLengths) {
    lines.push(
      `  ${String(l.touchpoints).padStart(3)}: ${String(l.conversions).padStart(7)} ${(l.share * 100).toFixed(1).padStart(5)}%`,
    );
  }
  lines.push('', 'models');
  for (const m of MODELS) lines.push(`  ${m}: ${result.models[m]}`);
  return `${lines.join('\n')}\n`;
}

export function registerAttribution(program: Command): void {
  program
    .command('attribution')
    .description(
      'conversion paths of a goal and the attribution models side by side per touchpoint',
    )
    .requiredOption('--spec <file>', 'the attribution spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option('--json', 'print JSON')
    .action(async (options: { spec: string; db?: string; json?: boolean }) => {
      const spec = parseAttributionSpec(readDocument(options.spec, '--spec'));
      const engine = await openCliEngine(options.db);
      try {
        const result = await runAttribution(engine, spec);
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : attributionTable(result),
        );
      } finally {
        await engine.close();
      }
    });
}
