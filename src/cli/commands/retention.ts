import type { Command } from 'commander';
import { parseRetentionSpec } from '../../analyses/retention/retentionSpec.js';
import { runRetention, type RetentionResult } from '../../analyses/retention/runRetention.js';
import { openCliEngine } from './dbOption.js';
import { readDocument } from './funnel.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export function retentionTable(r: RetentionResult): string {
  const lines = [`cohort      users  ${r.period}s after (share active)`];
  for (const c of r.cohorts) {
    lines.push(
      `${c.cohort} ${String(c.users).padStart(7)}  ${c.active.map((a) => pct(a.share).padStart(5)).join(' ')}   repeat ${pct(c.repeatConversionRate)} of ${c.converters}`,
    );
  }
  lines.push(
    '',
    `repeat conversion: ${r.repeatConverters} of ${r.converters} converters (${pct(r.repeatConversionRate)})`,
  );
  return `${lines.join('\n')}\n`;
}

export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description('cohorts by first-visit week or month, returning users, repeat conversion')
    .requiredOption('--spec <file>', 'the retention spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option('--json', 'print JSON')
    .action(async (options: { spec: string; db?: string; json?: boolean }) => {
      const spec = parseRetentionSpec(readDocument(options.spec, '--spec'));
      const engine = await openCliEngine(options.db);
      try {
        const result = await runRetention(engine, spec);
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : retentionTable(result),
        );
      } finally {
        await engine.close();
      }
    });
}
