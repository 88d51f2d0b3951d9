/** The shapes the sample's journey drawing shares between its acts and the staging writers. */
export interface Sink {
  user(line: string): void;
  session(line: string): void;
  /** An event row of local day `day` (0-based in the calendar). */
  event(day: number, line: string): void;
  /** Interns a page string (location, title, referrer); the loader joins it back. */
  str(value: string): number;
}

export interface Calendar {
  /** UTC micros of local midnight for day 0..days (days+1 entries). */
  dayStart: number[];
  /** `YYYYMMDD` per local day. */
  dates: string[];
  days: number;
}

/** What stays the same for a user across sessions. */
export interface UserProfile {
  deviceIdx: number;
  geoIdx: number;
  /** Consent denied: no pseudo id, no session ids (consent mode's cookieless pings). */
  denied: boolean;
  pseudo: string | null;
  /** How much this user likes the shop: a multiplier on the funnel's pass rates. */
  affinity: number;
  currency: string;
  fx: number;
  deviceConversion: number;
}

/** A user's state carried from session to session. */
export interface UserJourney {
  uid: number;
  profile: UserProfile;
  /** The session being drawn, 1-based. */
  sessions: number;
  ltvUsd: number;
  /** Signed up or bought: the user_id is set from then on. */
  known: boolean;
  firstTouch: number;
  pendingRefund: { txn: string; value: number; items: string } | null;
  orders: number;
  /** The last batch number used (batch_ordering_id). */
  ordering: number;
}
