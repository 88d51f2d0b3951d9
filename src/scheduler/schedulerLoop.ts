import type { Logger } from 'pino';
import { createDrainer, type Drainer } from '../app/drainer.js';
import type { WorkerOptions } from '../app/processNextRun.js';
import type { StoreDb } from '../store/storeDb.js';

export type SchedulerLoop = Drainer;

/**
 * The in-process scheduler of the embedded default: every `intervalMs`, a drain (claim due slots,
 * work through claimed runs). Behind App Engine the same drain is driven by cron calling the tick
 * endpoint instead (`intervalMs` null), and many instances may run it at once.
 */
export function startSchedulerLoop(options: {
  db: StoreDb;
  worker: WorkerOptions;
  graceMs: number;
  intervalMs: number | null;
  logger?: Logger;
  /** The calendar clock slots are claimed by; real time unless a test moves it across a DST change. */
  now?: () => Date;
}): SchedulerLoop {
  const drainer = createDrainer(options);
  let stopped = false;
  const timer =
    options.intervalMs === null
      ? undefined
      : setInterval(() => {
          if (stopped) return;
          drainer
            .runOnce()
            .catch((error: unknown) =>
              options.logger?.error({ err: error }, 'scheduler tick failed'),
            );
        }, options.intervalMs);
  return {
    runOnce: (now) => drainer.runOnce(now),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await drainer.stop();
    },
  };
}
