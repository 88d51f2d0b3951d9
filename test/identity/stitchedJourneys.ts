import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { params, type EventRow } from '../support/loadRows.js';

/** 2020-11-01T00:00:00Z in seconds; day n of the fixture is T0 + n days. */
const T0 = 1604188800;
const DAY = 86400;
const micros = (day: number, seconds: number) => (T0 + day * DAY + seconds) * 1_000_000;
const suffixOf = (day: number) =>
  new Date((T0 + day * DAY) * 1000).toISOString().slice(0, 10).replaceAll('-', '');

interface WebSession {
  device: string;
  sid: number;
  day: number;
  arrival?: Record<string, string>;
  /** Events after the session start: name, seconds after it, the user_id it carries. */
  events: { name: string; after: number; userId?: string }[];
}

/**
 * Four devices and five offline rows, worked by hand in the tests (days from 2020-11-01):
 * - alice: device d1 arrives organic (day 1), comes back from the newsletter and logs in (day 2);
 *   device d2 arrives from paid social, logs in, adds to cart (day 3); offline, with only her
 *   user_id, she visits a store (day 4) and buys at the till (day 5, T1, 100).
 * - bob: device d3, never logs in: organic, adds to cart, buys online (day 1, W1, 50); a phone
 *   call on day 2 carries only his client_id.
 * - d4 logs in as dave (day 1, arriving by referral) and later as erin (day 2, direct): the latest
 *   user_id wins, so d4 is erin's; erin buys at the till with only her user_id (day 3, T2, 30).
 * - carol: one phone call with only a user_id that no device ever logged in with.
 */
export const WEB_SESSIONS: WebSession[] = [
  {
    device: 'd1',
    sid: 11,
    day: 1,
    arrival: { source: 'google', medium: 'organic' },
    events: [{ name: 'page_view', after: 5 }],
  },
  {
    device: 'd1',
    sid: 12,
    day: 2,
    arrival: { source: 'newsletter', medium: 'email' },
    events: [
      { name: 'page_view', after: 5 },
      { name: 'login', after: 60, userId: 'alice' },
      { name: 'page_view', after: 90, userId: 'alice' },
    ],
  },
  {
    device: 'd2',
    sid: 21,
    day: 3,
    arrival: { source: 'facebook', medium: 'paid_social' },
    events: [
      { name: 'page_view', after: 5 },
      { name: 'login', after: 30, userId: 'alice' },
      { name: 'add_to_cart', after: 60, userId: 'alice' },
    ],
  },
  {
    device: 'd3',
    sid: 31,
    day: 1,
    arrival: { source: 'google', medium: 'organic' },
    events: [
      { name: 'page_view', after: 5 },
      { name: 'add_to_cart', after: 60 },
      { name: 'purchase', after: 120 },
    ],
  },
  {
    device: 'd4',
    sid: 41,
    day: 1,
    arrival: { source: 'blog.example', medium: 'referral' },
    events: [
      { name: 'login', after: 10, userId: 'dave' },
      { name: 'page_view', after: 20, userId: 'dave' },
    ],
  },
  {
    device: 'd4',
    sid: 42,
    day: 2,
    events: [
      { name: 'login', after: 10, userId: 'erin' },
      { name: 'add_to_cart', after: 20, userId: 'erin' },
    ],
  },
];

/** The web sessions as export rows, one table per day; d3's purchase is order W1 worth 50. */
export function webTables(): Record<string, EventRow[]> {
  const tables: Record<string, EventRow[]> = {};
  for (const s of WEB_SESSIONS) {
    const suffix = suffixOf(s.day);
    const rows = (tables[suffix] ??= []);
    const row = (name: string, after: number, userId: string | undefined, extra = {}) => ({
      event_date: suffix,
      event_timestamp: micros(s.day, 10 * 3600 + after),
      event_name: name,
      user_pseudo_id: s.device,
      user_id: userId ?? null,
      event_params: params({ ga_session_id: s.sid, ...extra }),
      ecommerce: name === 'purchase' ? { transaction_id: 'W1', purchase_revenue: 50 } : null,
    });
    rows.push(row('session_start', 0, undefined, s.arrival ?? {}));
    for (const e of s.events) {
      rows.push(
        row(e.name, e.after, e.userId, e.name === 'purchase' ? { transaction_id: 'W1' } : {}),
      );
    }
  }
  return tables;
}

/** The offline rows in GA4's offline-event CSV shape, written into `dir`. */
export function writeOfflineCsv(dir: string): string {
  const at = (day: number, hour: number) => String(micros(day, hour * 3600));
  const lines = [
    'client_id,user_id,timestamp_micros,event_name,event_param.transaction_id,event_param.value,event_param.currency',
    `,alice,${at(4, 11)},store_visit,,,`,
    `,alice,${at(5, 12)},purchase,T1,100,EUR`,
    `d3,,${at(2, 9)},phone_call,,,`,
    `,erin,${at(3, 15)},purchase,T2,30,EUR`,
    `,carol,${at(2, 16)},phone_call,,,`,
  ];
  const file = join(dir, 'offline.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
