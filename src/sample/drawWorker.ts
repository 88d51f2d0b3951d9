import { parentPort, workerData } from 'node:worker_threads';
import { USERS_PER_BATCH, drawBatch, type DrawRange } from './drawRange.js';
import { StagingWriter } from './stagingWriter.js';

/** A message from a drawing thread: users drawn so far, then the events once its files are done. */
export type DrawMessage = { users: number } | { events: number };

/**
 * A drawing thread: stages its range of users into its own part of the folder, saying how many it
 * has drawn after each batch. Every user comes from its own seeded stream, so how the users are
 * split between threads changes nothing in the sample.
 */
function drawPart(range: DrawRange): void {
  const staging = new StagingWriter(range.dir, range.calendar.days, range.part);
  let events = 0;
  for (let start = range.from; start <= range.to; start += USERS_PER_BATCH) {
    const end = Math.min(range.to, start + USERS_PER_BATCH - 1);
    events += drawBatch(staging, start, end, range.seed, range.calendar);
    parentPort?.postMessage({ users: end - range.from + 1 } satisfies DrawMessage);
  }
  staging.close();
  parentPort?.postMessage({ events } satisfies DrawMessage);
}

drawPart(workerData as DrawRange);
