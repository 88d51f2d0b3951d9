import { params, type EventRow } from '../support/loadRows.js';

/** 2020-11-01T00:00:00Z: the day the hand-worked funnel cases happen on. */
export const T0 = 1604188800000000;
export const M = 60_000_000;

/** One event of a hand-worked case, `t` microseconds after T0, in session 1. */
export const ev = (
  user: string,
  name: string,
  t: number,
  extra: Partial<EventRow> = {},
): EventRow => ({
  event_date: '20201101',
  event_timestamp: T0 + t,
  event_name: name,
  user_pseudo_id: user,
  event_params: params({ ga_session_id: 1 }),
  ...extra,
});
