import { z } from 'zod';
import { InputError } from '../../errors/errors.js';

/** `90s`, `30m`, `2h`, `7d`: how long, in microseconds (event_timestamp's unit). */
const DURATION = /^([1-9][0-9]{0,5})(s|m|h|d)$/;
const UNIT_US: Record<string, number> = { s: 1e6, m: 60e6, h: 3600e6, d: 86400e6 };
export const durationSchema = z.string().regex(DURATION, 'expected a duration like 30m, 2h, 7d');

export function durationMicros(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match) throw new InputError(`expected a duration like 30m, 2h, 7d, got ${duration}`);
  return Number(match[1]) * (UNIT_US[match[2] as string] as number);
}
