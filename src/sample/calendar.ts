import { InputError } from '../errors/errors.js';
import { TIME_ZONE } from './catalog.js';
import type { Calendar } from './journeyTypes.js';

/** Offset of the zone from UTC in ms at a UTC instant, via Intl (handles daylight saving). */
function zoneOffsetMs(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - utcMs;
}

/** Local midnights (as UTC micros) of `days` days ending with `endDate`, in the property zone. */
export function buildCalendar(endDate: string, days: number, zone = TIME_ZONE): Calendar {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(endDate);
  const end = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(end) || new Date(end).toISOString().slice(0, 10) !== endDate) {
    throw new InputError(`end: expected a date YYYY-MM-DD, got ${JSON.stringify(endDate)}`, 'end');
  }
  const dayStart: number[] = [];
  const dates: string[] = [];
  for (let d = 0; d <= days; d++) {
    const dateUtc = end - (days - 1 - d) * 86_400_000;
    const guess = dateUtc - zoneOffsetMs(dateUtc, zone);
    const midnight = dateUtc - zoneOffsetMs(guess, zone);
    dayStart.push(midnight * 1000);
    if (d < days) dates.push(new Date(dateUtc).toISOString().slice(0, 10).replaceAll('-', ''));
  }
  return { dayStart, dates, days };
}
