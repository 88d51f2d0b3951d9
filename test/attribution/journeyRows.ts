import { params, type EventRow } from '../support/loadRows.js';

export const T0 = 1604188800; // 2020-11-01T00:00:00Z, in seconds
export const DAY = 86400;

/** Campaign data a session arrives with, as the session's first event's parameters. */
export interface Arrival {
  source?: string;
  medium?: string;
  campaign?: string;
  gclid?: string;
}

/** One session of a journey: when it starts (seconds after T0), how it arrived, what happened. */
export interface SessionSpec {
  user: string | null;
  sid: number;
  start: number;
  arrival?: Arrival;
  /** Later events: name, seconds after the session start, extra parameters, ecommerce. */
  events?: {
    name: string;
    after: number;
    params?: Record<string, string | number>;
    ecommerce?: Record<string, unknown>;
  }[];
}

const suffixOf = (seconds: number) =>
  new Date((T0 + seconds) * 1000).toISOString().slice(0, 10).replaceAll('-', '');

/** GA4 export rows for sessions, each row in its own day's table. */
export function journeyTables(sessions: readonly SessionSpec[]): Record<string, EventRow[]> {
  const tables: Record<string, EventRow[]> = {};
  const push = (seconds: number, row: EventRow) => {
    const suffix = suffixOf(seconds);
    (tables[suffix] ??= []).push({ event_date: suffix, ...row });
  };
  for (const s of sessions) {
    const base = { ga_session_id: s.sid };
    const arrival = Object.fromEntries(
      Object.entries(s.arrival ?? {}).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    push(s.start, {
      event_timestamp: (T0 + s.start) * 1_000_000,
      event_name: 'session_start',
      user_pseudo_id: s.user,
      event_params: params({ ...base, ...arrival }),
    });
    for (const e of s.events ?? []) {
      push(s.start + e.after, {
        event_timestamp: (T0 + s.start + e.after) * 1_000_000,
        event_name: e.name,
        user_pseudo_id: s.user,
        event_params: params({ ...base, ...(e.params ?? {}) }),
        ecommerce: e.ecommerce ?? null,
      });
    }
  }
  return tables;
}

/** A session arriving from campaign `name` (its touchpoint under `touchpoint: campaign`). */
export const fromCampaign = (name: string): Arrival => ({
  source: 'partner',
  medium: 'cpc',
  campaign: name,
});

export const purchase = (after: number, transaction: string, revenue: number) => ({
  name: 'purchase',
  after,
  params: { transaction_id: transaction },
  ecommerce: { transaction_id: transaction, purchase_revenue: revenue },
});
