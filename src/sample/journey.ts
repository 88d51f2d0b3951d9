import {
  DEVICES,
  EUR_TO_USD,
  FIRST_CHANNEL,
  GEOS,
  RETURN_CHANNEL,
  type ChannelId,
} from './catalog.js';
import { browsePages } from './browsePages.js';
import { drawArrival } from './drawArrival.js';
import { openSession } from './openSession.js';
import { Random } from './random.js';
import { SessionDraft } from './sessionDraft.js';
import { shopCart } from './shopCart.js';
import { sideGoals } from './sideGoals.js';
import type { Calendar, Sink, UserJourney, UserProfile } from './journeyTypes.js';
import { sessionRow, userRow, writeEvents } from './stagingRows.js';

const MAX_SESSIONS = 40;

function drawProfile(rng: Random): UserProfile {
  const device = rng.weighted(DEVICES);
  const deviceIdx = DEVICES.findIndex(([d]) => d === device);
  const geo = rng.weighted(GEOS);
  const geoIdx = GEOS.findIndex(([g]) => g === geo);
  const denied = rng.chance(0.04);
  const pseudo = denied
    ? null
    : `${rng.int(100000000, 2147483647)}.${rng.int(1600000000, 1790000000)}`;
  const affinity = 0.6 + rng.next() * 0.9;
  return {
    deviceIdx,
    geoIdx,
    denied,
    pseudo,
    affinity,
    currency: geo.currency,
    fx: geo.currency === 'EUR' ? EUR_TO_USD : 1,
    deviceConversion: device.conversion,
  };
}

/** A session is engaged after 10 s, a second page, or a purchase or lead. */
function isEngaged(s: SessionDraft): boolean {
  return (
    s.pageViews() >= 2 ||
    s.ts - s.lines[0]!.ts > 10 * 1_000_000 ||
    s.lines.some((l) => l.name === 'purchase' || l.name === 'generate_lead')
  );
}

/**
 * Draws one session starting on `day` and writes it; returns whether it was engaged and how many
 * events fell inside the calendar.
 */
function drawSession(
  rng: Random,
  journey: UserJourney,
  cal: Calendar,
  sink: Sink,
  day: number,
  channel: ChannelId,
): { engaged: boolean; events: number } {
  const sn = journey.sessions;
  const arrival = drawArrival(rng, cal, day, channel);
  if (sn === 1) journey.firstTouch = arrival.ts;
  const p = journey.profile;
  const s = new SessionDraft(
    rng,
    sink,
    p.currency,
    p.fx,
    arrival.ts,
    arrival.landingUrl,
    arrival.landingTitle,
  );
  const m = arrival.ch.conversion * p.deviceConversion * (sn > 1 ? 1.4 : 1) * p.affinity;
  openSession(s, journey, arrival);
  const shopper = rng.chance(Math.min(0.7, 0.2 * Math.sqrt(m)));
  const product = browsePages(s, shopper, arrival.landingProduct);
  if (shopper) shopCart(s, journey, product, m);
  sideGoals(s, journey);
  const engaged = isEngaged(s);
  const sid = journey.uid * 64 + sn;
  sink.session(sessionRow(journey, sid, day, arrival));
  const events = writeEvents(sink, journey, cal, sid, day, s.lines, engaged);
  return { engaged, events };
}

/**
 * Draws user `uid`'s sessions, days or weeks apart, from its own seeded stream (so users can be
 * generated in any batch and still come out the same) and writes them as tab-separated staging
 * rows: one per user, one per session, one per event; the loader turns them into the nested GA4
 * rows. Returns the events written.
 */
export function generateUser(uid: number, seed: number, cal: Calendar, sink: Sink): number {
  const rng = new Random(seed, uid);
  const journey: UserJourney = {
    uid,
    profile: drawProfile(rng),
    sessions: 0,
    ltvUsd: 0,
    known: false,
    firstTouch: 0,
    pendingRefund: null,
    orders: 0,
    ordering: 0,
  };
  // First visit: any day of the calendar.
  let day = rng.int(0, cal.days - 1);
  let channel: ChannelId = rng.weighted(FIRST_CHANNEL);
  let events = 0;
  while (journey.sessions < MAX_SESSIONS && day < cal.days) {
    journey.sessions++;
    const session = drawSession(rng, journey, cal, sink, day, channel);
    events += session.events;
    // The next visit; buyers and engaged users come back more.
    const more = rng.chance(
      Math.min(0.85, (journey.known ? 0.45 : 0.24) + (session.engaged ? 0.05 : 0)),
    );
    if (!more) break;
    day += Math.floor(rng.exp(6) + (rng.chance(0.25) ? 0 : 1));
    channel = rng.weighted(RETURN_CHANNEL);
  }
  const denied = journey.profile.denied;
  sink.user(userRow(journey, denied ? 'No' : rng.chance(0.8) ? 'Yes' : 'No'));
  return events;
}
