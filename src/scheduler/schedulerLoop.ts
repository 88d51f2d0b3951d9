import type { Logger } from 'pino';
import type { StoreDb } from '../store/storeDb.js';
import { processNextRun, type WorkerOptions } from './runWorker.js';
import { tick } from './tick.js';

export interface SchedulerLoop {
  /** One tick and a drain of the runs it (or anyone) claimed; what the tick endpoint calls. */
  runOnce(now?: Date): Promise<{ claimed: number; processed: number }>;
  /** Stops the timer and waits for the run in hand to finish (its lease covers a crash). */
  stop(): Promise<void>;
}

/**
 * The in-process scheduler of the embedded default: every `intervalMs`, claim due slots and work
 * through claimed runs. Behind App Engine the same `runOnce` is driven by cron calling the tick
 * endpoint instead, and many instances may run it at once.
 */
export function startSchedulerLoop(options: {
  db: StoreDb;
  worker: WorkerOptions;
  graceMs: number;
  intervalMs: number | null;
  logger?: Logger;
}): SchedulerLoop {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const runOnce = async (now = new Date()) => {
    const { claimed } = await tick(options.db, now, { graceMs: options.graceMs });
    let processed = 0;
    while (!stopped && (await processNextRun(options.worker))) processed += 1;
    return { claimed: claimed.length, processed };
  };
  const timer =
    options.intervalMs === null
      ? undefined
      : setInterval(() => {
          current = current
            .then(() => (stopped ? undefined : runOnce()))
            .catch((error: unknown) =>
              options.logger?.error({ err: error }, 'scheduler tick failed'),
            );
        }, options.intervalMs);
  return {
    runOnce: (now) => {
      const work = current.then(() => runOnce(now));
      current = work.catch(() => undefined);
      return work;
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await current;
    },
  };
}
