import type { DayColumns } from './sampleSql.js';

/**
 * The first export day (YYYYMMDD) carrying each column that GA4 added to `events_*` over the years
 * (roll-outs took weeks; these are the months they reached properties). Tables of earlier days
 * leave them NULL, as real older exports do.
 */
export const DAY_COLUMNS_FROM = {
  collectedTrafficSource: '20230501',
  isActiveUser: '20230701',
  batch: '20240601',
  sessionLastClick: '20240701',
} as const;

/** The columns present in the table of `date` (YYYYMMDD; string order is date order). */
export function dayColumns(date: string, intraday: boolean): DayColumns {
  return {
    intraday,
    collectedTrafficSource: date >= DAY_COLUMNS_FROM.collectedTrafficSource,
    isActiveUser: date >= DAY_COLUMNS_FROM.isActiveUser,
    batch: date >= DAY_COLUMNS_FROM.batch,
    sessionLastClick: date >= DAY_COLUMNS_FROM.sessionLastClick,
  };
}
