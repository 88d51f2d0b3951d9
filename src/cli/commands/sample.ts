import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { duckdbFile, loadConfig } from '../../config/config.js';
import { InputError } from '../../errors/errors.js';
import { addJourneyExtras } from '../../sample/sampleJourneyExtras.js';
import { generateSample } from '../../sample/generateSample.js';
import { progressBar } from '../progressBar.js';

const whole = (flag: string, value: string): number => {
  if (!/^\d+$/.test(value))
    throw new InputError(`${flag}: expected a whole number, got "${value}"`, flag);
  return Number(value);
};

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description(
      'write a deterministic GA4-schema sample: daily tables and an intraday table for the last day',
    )
    .option('--days <n>', 'days of data', '90')
    .option('--users <n>', 'users', '5000')
    .option('--seed <n>', 'random seed: the same seed gives the same data', '7')
    .option('--end <date>', 'the last (intraday) day, YYYY-MM-DD')
    .option('--db <file>', 'the DuckDB events file, created if missing')
    .action(
      async (options: { days: string; users: string; seed: string; end?: string; db?: string }) => {
        const days = whole('--days', options.days);
        const users = whole('--users', options.users);
        const seed = whole('--seed', options.seed);
        const db = options.db ?? duckdbFile(loadConfig());
        mkdirSync(dirname(db), { recursive: true });
        const started = performance.now();
        const bar = progressBar('sample');
        const result = await generateSample(db, {
          days,
          users,
          seed,
          ...(options.end ? { endDate: options.end } : {}),
          onProgress: (done, total, step) => bar.update(done, total, step),
        }).finally(() => bar.stop());
        const extras = await addJourneyExtras(db, seed);
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `${result.events.toLocaleString('en-US')} events in ${result.tables.length} tables written to ${db} in ${seconds.toFixed(1)} s\n` +
            `${extras.signedInDevices} devices signed in, ${extras.offlineRows} offline events, ${extras.costRows} ad cost rows\n`,
        );
      },
    );
}
