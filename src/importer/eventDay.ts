import { ImportError } from '../errors/errors.js';
import { isDay } from './exportFiles.js';

/** What a file's rows say about their `event_date`, enough to name the day or explain why not. */
export interface EventDates {
  /** The first event_date seen (with where, e.g. "line 1"). */
  first?: { value: string; where: string };
  /** The first row whose event_date differs from `first`. */
  other?: { value: string; where: string };
  /** Where a row without event_date was seen. */
  missingAt?: string;
}

/**
 * The table suffix of a file whose name does not tell it: the one `event_date` all its rows
 * share. Such a file becomes a daily table; an intraday file must say so in its name.
 */
export function suffixFromEventDates(file: string, dates: EventDates): string {
  const why = 'the file name does not name the day (events_YYYYMMDD), so';
  if (dates.missingAt) {
    throw new ImportError(
      `${file}:${dates.missingAt}: event_date is missing; ${why} every row must carry one event_date`,
      'event_date',
    );
  }
  if (dates.other && dates.first) {
    throw new ImportError(
      `${file}:${dates.other.where}: event_date "${dates.other.value}" differs from "${dates.first.value}" (${dates.first.where}); ${why} all rows must share one event_date`,
      'event_date',
    );
  }
  const value = dates.first?.value;
  if (value === undefined || !isDay(value)) {
    throw new ImportError(
      `${file}:${dates.first?.where ?? '1'}: event_date ${JSON.stringify(value)} is not a day YYYYMMDD`,
      'event_date',
    );
  }
  return value;
}
