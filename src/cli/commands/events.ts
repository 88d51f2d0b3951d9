import type { Command } from 'commander';
import { eventInventory } from '../../analyses/events/eventInventory.js';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { InputError, formatIssuePath } from '../../errors/errors.js';
import { openCliEngine } from './dbOption.js';

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description('event names with event and user counts, and their parameter keys with top values')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--db <file>', 'the DuckDB events file')
    .option('--top <n>', 'top values per parameter key', '5')
    .option('--intraday', 'include intraday tables')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        from: string;
        to: string;
        db?: string;
        top: string;
        intraday?: boolean;
        json?: boolean;
      }) => {
        const range = dateRangeSchema.safeParse({ start: options.from, end: options.to });
        if (!range.success) {
          const issue = range.error.issues[0];
          const flag = issue?.path[0] === 'start' ? '--from' : '--to';
          throw new InputError(
            `${flag}: ${issue?.message ?? 'invalid'}`,
            formatIssuePath(issue?.path ?? []),
          );
        }
        const top = Number(options.top);
        if (!Number.isInteger(top) || top < 1 || top > 100) {
          throw new InputError('--top: expected an integer from 1 to 100', 'top');
        }
        const engine = await openCliEngine(options.db);
        try {
          const inventory = await eventInventory(engine, range.data, {
            topValues: top,
            includeIntraday: options.intraday,
          });
          if (options.json) {
            process.stdout.write(`${JSON.stringify(inventory, null, 2)}\n`);
            return;
          }
          for (const event of inventory.events) {
            process.stdout.write(
              `${event.name.padEnd(28)} ${String(event.events).padStart(10)} events ${String(event.users).padStart(8)} users\n`,
            );
            for (const param of event.params) {
              const values = param.topValues
                .map((v) => `${JSON.stringify(v.value)} (${v.events})`)
                .join(', ');
              process.stdout.write(
                `    ${param.key.padEnd(24)} ${String(param.events).padStart(10)}  ${values}\n`,
              );
            }
          }
        } finally {
          await engine.close();
        }
      },
    );
}
