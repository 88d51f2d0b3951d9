import type { Arrival } from './drawArrival.js';
import type { Calendar, Sink, UserJourney } from './journeyTypes.js';
import { r2 } from './paramJson.js';
import type { Line } from './sessionDraft.js';

/** The staging files' NULL. */
const N = '\\N';
const MICROS = 1_000_000;

/** The local day of a UTC timestamp, searching from the session's day; -1 past the range. */
function dayOf(cal: Calendar, ts: number, from: number): number {
  let d = from;
  while (d > 0 && ts < cal.dayStart[d]!) d--;
  while (d < cal.days && ts >= cal.dayStart[d + 1]!) d++;
  return d >= cal.days ? -1 : d;
}

/** The session's staging row: its ids, traffic source and landing page. */
export function sessionRow(journey: UserJourney, sid: number, day: number, a: Arrival): string {
  const { ch, v } = a;
  const denied = journey.profile.denied;
  return (
    [
      sid,
      journey.uid,
      denied ? N : Math.floor(a.ts / MICROS),
      denied ? N : journey.sessions,
      ch.group,
      ch.id === 'direct' ? N : v.source,
      ch.id === 'direct' ? N : v.medium,
      v.campaign ?? N,
      v.campaignId ?? N,
      a.term ?? N,
      a.content ?? N,
      a.gclid ?? N,
      a.landingUrl,
      v.referrer ?? N,
      v.utm || a.gclid ? 1 : 0,
      ch.id === 'direct' ? 0 : 1,
      day,
    ].join('\t') + '\n'
  );
}

/**
 * Writes the session's events that fall inside the calendar, numbering the batches (a new batch
 * at each `newBatch` line) and their pages; returns how many were written.
 */
export function writeEvents(
  sink: Sink,
  journey: UserJourney,
  cal: Calendar,
  sid: number,
  day: number,
  lines: Line[],
  engaged: boolean,
): number {
  let written = 0;
  let bidx = 0;
  let bpage = 0;
  const known = journey.known ? 1 : 0;
  const ltv = r2(journey.ltvUsd);
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    if (l.name === 'page_view' || k === 0) bpage = Math.floor(l.ts / 1000);
    if (l.newBatch || k === 0) {
      journey.ordering++;
      bidx = 0;
    } else bidx++;
    const d = dayOf(cal, l.ts, day);
    if (d < 0) continue;
    written++;
    sink.event(
      d,
      `${sid}\t${l.ts}\t${d}\t${cal.dates[d]}\t${l.name}\t${l.pl}\t${l.pt}\t${l.pr}\t${l.eng ?? N}\t${engaged && k > 2 ? 1 : 0}\t${l.first ? 1 : 0}\t${bidx}\t${bpage}\t${journey.ordering}\t${known}\t${ltv}\t${l.valueUsd ?? N}\t${l.extra ?? N}\t${l.items ?? N}\t${l.ecom ?? N}\n`,
    );
  }
  return written;
}

/** The user's staging row, written once the journey is over (it carries the lifetime value). */
export function userRow(journey: UserJourney, ads: string): string {
  const p = journey.profile;
  return (
    [
      journey.uid,
      p.pseudo ?? N,
      p.deviceIdx,
      p.geoIdx,
      journey.firstTouch,
      p.currency,
      p.denied ? 0 : 1,
      ads,
      `C${journey.uid}`,
      r2(journey.ltvUsd),
    ].join('\t') + '\n'
  );
}
