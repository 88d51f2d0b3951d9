import type { StoreDb } from '../store/storeDb.js';
import { processNextRun, type WorkerOptions } from './processNextRun.js';
import { createSharedRenders } from './sharedRenders.js';
import { tick } from './tick.js';

/** Claims due slots and works through claimed runs, one drain at a time per instance. */
export interface Drainer {
  /**
   * One tick and a drain of the runs it (or anyone) claimed; what the tick endpoint calls. Without
   * `now`, the clock is read when the drain starts, not when it was asked for: a tick queued behind
   * a long drain claims what is due by then.
   */
  runOnce(now?: Date): Promise<{ claimed: number; processed: number }>;
  /** Stops taking runs and waits for the run in hand to finish (its lease covers a crash). */
  stop(): Promise<void>;
}

/**
 * The scheduled-delivery use-case: whoever drives it (the in-process timer, App Engine cron
 * through the tick endpoint) gets drains that never overlap within this instance; other instances
 * may drain at the same time, and the store's claims keep each slot and run to one worker.
 */
export function createDrainer(options: {
  db: StoreDb;
  worker: WorkerOptions;
  graceMs: number;
  /** Runs worked at once: while one waits on the engine, another prints or sends. Default 4. */
  concurrency?: number;
  /** Off only to measure what sharing saves: every run then renders its own report. */
  shareRenders?: boolean;
  /**
   * The calendar clock: which slots are due, and the grace for missed ones. Real time unless a
   * test moves it. Leases stay on the store's own clock (`now()` in SQL): they measure how long a
   * worker has been silent, which is real time whatever the calendar says, and one clock for every
   * instance keeps them agreeing on who holds a run.
   */
  now?: () => Date;
}): Drainer {
  const clock = options.now ?? (() => new Date());
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const drain = async (now: Date) => {
    const { claimed } = await tick(options.db, now, { graceMs: options.graceMs });
    // One drain's runs share their reports; the next drain renders afresh (the data may have moved).
    const worker =
      options.shareRenders === false
        ? options.worker
        : { ...options.worker, shared: createSharedRenders() };
    let processed = 0;
    const loop = async () => {
      while (!stopped && (await processNextRun(worker))) processed += 1;
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, loop));
    return { claimed: claimed.length, processed };
  };
  return {
    runOnce(now?: Date) {
      const work = current.then(() => drain(now ?? clock()));
      current = work.catch(() => undefined);
      return work;
    },
    async stop() {
      stopped = true;
      await current;
    },
  };
}
