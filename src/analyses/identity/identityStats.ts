import type { Engine } from '../../engines/engine.js';
import { runQuery } from '../../sql/runQuery.js';
import type { DateRange } from '../../sql/vocabulary/dateRange.js';

/** What identity resolution and offline imports do to a range (sql/identity_stats.sql). */
export interface IdentityStats {
  /** Devices seen with a user_id: under the blended identity they join that user's journey. */
  stitchedDevices: number;
  signedInUsers: number;
  offlineEvents: number;
  /** Offline events whose client_id and user_id appear on no web event in the range. */
  offlineUnmatched: number;
}

export async function runIdentityStats(
  engine: Engine,
  range: DateRange,
  includeIntraday: boolean,
): Promise<IdentityStats> {
  const run = await runQuery(engine, 'identity_stats', {
    start_date: range.start,
    end_date: range.end,
    include_intraday: includeIntraday,
  });
  const row = run.rows[0] ?? {};
  return {
    stitchedDevices: Number(row.stitched_devices ?? 0),
    signedInUsers: Number(row.signed_in_users ?? 0),
    offlineEvents: Number(row.offline_events ?? 0),
    offlineUnmatched: Number(row.offline_unmatched ?? 0),
  };
}
