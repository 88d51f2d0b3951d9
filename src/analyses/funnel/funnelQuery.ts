import { channelGroupSql } from '../../sql/channelGroupSql.js';
import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import { conditionSlots, type CondContext } from '../../sql/vocabulary/conditionSlots.js';
import { durationMicros } from '../../sql/vocabulary/duration.js';
import { type Breakdown, type FunnelSpec } from './funnelSpec.js';

export const MAX_CONDITIONS = 30;
export const MAX_STEPS = 20;
export const MAX_EXCLUSIONS = 5;

/** Breakdown dimensions as SQL over one events row (allow-list; landing_page uses the param helper). */
const BREAKDOWN_SQL: Record<Breakdown, string> = {
  device_category: 'device.category',
  country: 'geo.country',
  platform: 'platform',
  channel: channelGroupSql(
    'collected_traffic_source.manual_source',
    'collected_traffic_source.manual_medium',
    'collected_traffic_source.manual_campaign_name',
  ),
  source_medium:
    "CONCAT(COALESCE(collected_traffic_source.manual_source, '(direct)'), ' / ', COALESCE(collected_traffic_source.manual_medium, '(none)'))",
  campaign: "COALESCE(collected_traffic_source.manual_campaign_name, '(direct)')",
  landing_page: '',
  first_user_channel: channelGroupSql(
    'traffic_source.source',
    'traffic_source.medium',
    'traffic_source.name',
  ),
};

export interface FunnelQuery {
  readonly context: Record<string, unknown>;
  readonly params: Record<string, unknown>;
}

/**
 * The funnel spec as the `sql/funnel.sql` template context (structure only: how many steps, which
 * clauses exist) and its bound parameters (every value: event names, keys, condition values, durations).
 */
export interface FunnelQueryOptions {
  /** How step k-1 events are found for step k events: `join` (default) or `window`. */
  readonly form?: 'join' | 'window';
  /** Carry each event's event_date through the chain (the trended funnel's periods). */
  readonly withDate?: boolean;
  /** Restrict the units to spec.segments[segment] (0-based). */
  readonly segment?: number;
  /**
   * Allow sql/funnel.sql's first-match form (DuckDB only: it uses DuckDB's list functions) when
   * the spec permits it; a result row with `exact_keys = false` means it must be run without.
   */
  readonly firstMatch?: boolean;
}

/** Days before the range's start from which the first-match form counts its packed timestamps. */
const KEY_BASE_DAYS = 7;

export function funnelQuery(spec: FunnelSpec, options: FunnelQueryOptions = {}): FunnelQuery {
  const params: Record<string, unknown> = {
    ...dateRangeParams(spec.dateRange, spec.includeIntraday ?? false),
    window_us: spec.window ? durationMicros(spec.window) : null,
    top_n: spec.breakdownLimit,
  };
  for (let n = 1; n <= MAX_STEPS; n++) {
    params[`step${n}_event`] = null;
    params[`step${n}_within_us`] = null;
  }
  for (let n = 1; n <= MAX_EXCLUSIONS; n++) params[`x${n}_event`] = null;
  const slots = conditionSlots(MAX_CONDITIONS, 'funnel');
  const condition = slots.add;

  const exclusions = (spec.exclusions ?? []).map((x, i) => {
    params[`x${i + 1}_event`] = x.event;
    return {
      n: i + 1,
      between: x.between,
      where: (x.where ?? []).map((c, j) => condition(c, `exclusions[${i}].where[${j}]`)),
    };
  });
  const steps = spec.steps.map((step, i) => {
    const n = i + 1;
    params[`step${n}_event`] = step.event as string;
    if (step.within && n > 1) params[`step${n}_within_us`] = durationMicros(step.within);
    // Exclusions that apply to the gap between step n-1 and step n.
    const excl = exclusions
      .filter((x) => x.between[0] <= n - 1 && x.between[1] >= n)
      .map((x) => x.n);
    return {
      n,
      prev: n - 1,
      first: n === 1,
      directly: n > 1 && step.directly === true,
      hasWithin: n > 1 && step.within !== undefined,
      hasExcl: n > 1 && excl.length > 0,
      excl,
      where: (step.where ?? []).map((c, j) => condition(c, `steps[${i}].where[${j}]`)),
    };
  });
  params.seg_event = null;
  const segmentSpec = options.segment === undefined ? undefined : spec.segments?.[options.segment];
  let segment: false | { session: boolean; hasEvent: boolean; where: CondContext[] } = false;
  if (segmentSpec) {
    params.seg_event = segmentSpec.event ?? null;
    segment = {
      // A session segment restricts sessions only when the funnel counts sessions; for users it
      // is the same as "users with such an event".
      session: segmentSpec.scope === 'session' && spec.scope === 'session',
      hasEvent: segmentSpec.event !== undefined,
      where: (segmentSpec.where ?? []).map((c, j) =>
        condition(c, `segments[${options.segment}].where[${j}]`),
      ),
    };
  }
  const eventNames = new Set<string>([
    ...spec.steps.map((s) => s.event as string),
    ...(spec.exclusions ?? []).map((x) => x.event),
  ]);
  params.event_names = [...eventNames];
  // One event could serve two steps that are not neighbours (A, B, A on one order key): chains
  // then carry which events of their order key they used. Open funnels never need it: an event
  // can always start the chain itself, which uses nothing else of its order key.
  const masked =
    spec.type !== 'open' &&
    spec.steps.some((s, i) => spec.steps.some((t, j) => j >= i + 2 && t.event === s.event));
  const ranked =
    masked ||
    steps.some((s) => s.directly || s.hasExcl) ||
    spec.steps.some((s, i) => i > 0 && s.event === spec.steps[i - 1]?.event);
  // The greedy chain is exact when nothing but order constrains it and no event can serve two steps.
  const firstMatch =
    options.firstMatch === true &&
    spec.type !== 'open' &&
    spec.window === undefined &&
    !ranked &&
    steps.every((s) => !s.hasWithin);
  params.key_base_us = firstMatch
    ? (Date.parse(`${spec.dateRange.start}T00:00:00Z`) - KEY_BASE_DAYS * 86_400_000) * 1000
    : null;
  const context = {
    firstMatch,
    session: spec.scope === 'session',
    open: spec.type === 'open',
    hasWindow: spec.window !== undefined,
    directly: steps.some((s) => s.directly),
    // Events need ids (and the window computing them) only when one event could serve two
    // consecutive steps, or for `directly` / exclusions; else the order key identifies them enough.
    // Step k-1 -> k predecessors by a join on the unit (faster on DuckDB, pairs grow with the
    // product of a unit's step events) or by a window over each unit's step events (linear, but
    // DuckDB's partitioned window frames are slow): `form: 'window'` for units with huge streams.
    joinPrev: options.form !== 'window' || masked,
    masked,
    ranked,
    breakdown: spec.breakdown !== undefined,
    landingPage: spec.breakdown === 'landing_page',
    breakdownSql: spec.breakdown ? BREAKDOWN_SQL[spec.breakdown] : '',
    steps,
    exclusions: exclusions.map(({ n, where }) => ({ n, where })),
    // For sql/funnel_trend.sql (the entry event's date) and sql/funnel_time_to_convert.sql.
    withDate: options.withDate === true,
    segment,
    period: spec.trend?.interval ?? 'day',
    toStep: spec.timeToConvert?.toStep ?? spec.steps.length,
  };
  return { context, params: { ...params, ...slots.params } };
}
