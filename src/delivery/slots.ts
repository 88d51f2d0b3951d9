import { Cron } from 'croner';
import { InputError } from '../errors/errors.js';

/**
 * Schedule slots: the instants a cron expression names in an IANA zone, expanded in that zone
 * every time (never a stored offset). Across DST, croner runs a job whose local time falls in a
 * skipped hour once at the next valid time, and a job at a fixed time in a repeated hour once.
 */
export function cronFor(cron: string, timeZone: string): Cron {
  if (!isTimeZone(timeZone))
    throw new InputError(`timeZone: unknown IANA time zone "${timeZone}"`, 'timeZone');
  try {
    return new Cron(cron, { timezone: timeZone, paused: true, mode: '5-part' });
  } catch (error) {
    throw new InputError(`cron: ${error instanceof Error ? error.message : String(error)}`, 'cron');
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Every slot in (after, until], oldest first; bounded so a long outage cannot flood. */
export function slotsBetween(
  cron: string,
  timeZone: string,
  after: Date,
  until: Date,
  limit = 1000,
): Date[] {
  const job = cronFor(cron, timeZone);
  const slots: Date[] = [];
  let cursor: Date | null = after;
  while (slots.length < limit) {
    cursor = job.nextRun(cursor);
    if (!cursor || cursor > until) break;
    slots.push(cursor);
  }
  return slots;
}

export interface DueSlots {
  /** The slot to run now, if the latest missed one is still within the grace period. */
  readonly run: Date | null;
  /** Older slots missed while nothing was running, recorded as skipped. */
  readonly skipped: Date[];
}

/** Missed slots while down: the latest runs once if within the grace period, older ones are skipped. */
export function dueSlots(
  cron: string,
  timeZone: string,
  after: Date,
  now: Date,
  graceMs: number,
): DueSlots {
  const slots = slotsBetween(cron, timeZone, after, now);
  const latest = slots.at(-1);
  if (!latest) return { run: null, skipped: [] };
  const inGrace = now.getTime() - latest.getTime() <= graceMs;
  return inGrace ? { run: latest, skipped: slots.slice(0, -1) } : { run: null, skipped: slots };
}

export type SchedulePreset =
  | { kind: 'daily'; hour: number; minute?: number }
  | { kind: 'weekdays'; hour: number; minute?: number }
  | { kind: 'weekly'; day: 0 | 1 | 2 | 3 | 4 | 5 | 6; hour: number; minute?: number }
  | { kind: 'monthly'; day: number | 'last'; hour: number; minute?: number };

/** The cron expression of a preset (day 0 = Sunday, as in cron). */
export function presetCron(preset: SchedulePreset): string {
  const minute = preset.minute ?? 0;
  if (!Number.isInteger(preset.hour) || preset.hour < 0 || preset.hour > 23) {
    throw new InputError('preset.hour: expected an hour from 0 to 23', 'preset.hour');
  }
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new InputError('preset.minute: expected a minute from 0 to 59', 'preset.minute');
  }
  switch (preset.kind) {
    case 'daily':
      return `${minute} ${preset.hour} * * *`;
    case 'weekdays':
      return `${minute} ${preset.hour} * * 1-5`;
    case 'weekly':
      return `${minute} ${preset.hour} * * ${preset.day}`;
    case 'monthly':
      if (
        preset.day !== 'last' &&
        (!Number.isInteger(preset.day) || preset.day < 1 || preset.day > 28)
      ) {
        throw new InputError('preset.day: expected a day from 1 to 28, or "last"', 'preset.day');
      }
      return `${minute} ${preset.hour} ${preset.day === 'last' ? 'L' : preset.day} * *`;
  }
}
