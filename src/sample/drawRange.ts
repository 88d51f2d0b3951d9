import { generateUser } from './journey.js';
import type { Calendar } from './journeyTypes.js';
import type { StagingWriter } from './stagingWriter.js';

/** What one drawer stages: users `from` to `to` (inclusive) into its own part of the folder. */
export interface DrawRange {
  dir: string;
  part: number;
  from: number;
  to: number;
  seed: number;
  calendar: Calendar;
}

// Small enough that a server sharing the thread answers between batches (a few tens of ms each).
export const USERS_PER_BATCH = 500;

/** Draws users `start` to `end` (inclusive) into the staging writer; returns the events drawn. */
export function drawBatch(
  staging: StagingWriter,
  start: number,
  end: number,
  seed: number,
  calendar: Calendar,
): number {
  let events = 0;
  for (let uid = start; uid <= end; uid++) events += generateUser(uid, seed, calendar, staging);
  return events;
}
