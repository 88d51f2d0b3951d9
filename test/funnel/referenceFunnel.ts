/**
 * Test-only reference for funnels, written from journeys.md §1 by enumerating every chain of
 * events per unit (exponential; fine for the small streams of the property tests). It shares
 * nothing with sql/funnel.sql but these definitions (documented in both places):
 * - order: (event_timestamp, batch_ordering_id, batch_event_index), missing keys as 0; a later step
 *   may use an event with an equal key (tie rule), but one event never serves two steps of a chain;
 * - `directly`: no event of the unit's stream has a key strictly between the two step events;
 * - exclusion [i, j]: no exclusion event with a key strictly between two consecutive chain events
 *   from step i to step j;
 * - window: last step's time minus the entry step's time; `within`: this step minus previous, both inclusive;
 * - time from previous step of a unit at step k: min over step-k events b ending a valid chain from
 *   step k-1 of (ts_b - the latest step k-1 event that may precede b and ends a valid chain without b);
 * - breakdown value: at the unit's first entry-candidate event (ties: smallest value);
 * - time to convert (closed funnels): per unit, the shortest chain from a step 1 event to a
 *   `toStep` event (last step by default), its last event's time minus its first's;
 * - trended funnel: a unit's period is the day or Monday-based week of the event_date of its first
 *   entry-candidate event (ties: smallest date); it counts there with everything it reached;
 * - next action after step k: the unit's first step-k event S that ends a valid chain (smallest
 *   key), then the first event of its stream strictly after S in (key, event name) order, events
 *   equal to S in all four not counting as after it; by page, the first such page_view, its path
 *   (page_location without scheme, host, query, fragment; empty as '/'; missing as '(not set)'),
 *   equal page_views giving the smallest path; nothing after: '(none)'. Per step the top N values
 *   by units (then value), the rest as '(other)', then '(none)'; reachedNext counts via[k + 1].
 */
import type { FunnelTrend } from '../../src/analyses/funnel/funnelTrend.js';
import type { NextAction } from '../../src/analyses/funnel/nextActions.js';
import type { TimeToConvert } from '../../src/analyses/funnel/timeToConvert.js';
import { FIELD_SQL } from '../../src/sql/vocabulary/fieldMap.js';
import { durationMicros } from '../../src/sql/vocabulary/duration.js';
import { type Condition } from '../../src/sql/vocabulary/condition.js';
import { type FunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';

export interface RefEvent {
  user: string | null;
  session: number | null;
  name: string;
  ts: number;
  bo: number | null;
  bi: number | null;
  params: Record<string, string | number>;
  fields: Record<string, string | null>;
  items?: Record<string, string | number>[];
  breakdown?: string | null;
  /** event_date, YYYYMMDD (trended funnel periods). */
  date?: string;
}

/** One unit's outcome: reached / via per step (0-based), gaps, breakdown value, ... */
export interface UnitResult {
  reached: boolean[];
  via: boolean[];
  gap: (number | null)[];
  value: string;
  /** Shortest complete chain from step 1 to the time-to-convert step, microseconds. */
  toConvert: number | null;
  /** event_date of the first entry-candidate event. */
  entryDate: string;
  /** Per step (0-based): the next action's value after the unit's first valid event; null if not reached. */
  next: (string | null)[];
}

export interface RefRow {
  total: boolean;
  grp: string;
  step: number;
  units: number;
  via_previous: number;
  mean_s: number | null;
  median_s: number | null;
}

type Key = [number, number, number];
const keyOf = (e: RefEvent): Key => [e.ts, e.bo ?? 0, e.bi ?? 0];
const cmp = (a: Key, b: Key) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** page_location as a path: no scheme and host (`scheme://host`), no query or fragment. */
export function pagePath(location: string | number | undefined): string {
  if (location === undefined) return '(not set)';
  let rest = String(location);
  const sep = rest.indexOf('://');
  const scheme = sep > 0 ? rest.slice(0, sep) : '';
  if (sep > 0 && /^[A-Za-z]/.test(scheme) && [...scheme].every((ch) => /[-A-Za-z0-9+.]/.test(ch))) {
    rest = rest.slice(sep + 3);
    let end = 0;
    while (end < rest.length && !'/?#'.includes(rest[end] as string)) end += 1;
    rest = rest.slice(end);
  }
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '?' || rest[i] === '#') {
      rest = rest.slice(0, i);
      break;
    }
  }
  return rest === '' ? '/' : rest;
}

const strCmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function stringForm(v: string | number | undefined): string | null {
  if (v === undefined) return null;
  return String(v);
}

function test(c: Condition, s: string | null, n: number | null): boolean {
  const values = c.values ?? (c.value === undefined ? [] : [c.value]);
  const numeric =
    ['gt', 'gte', 'lt', 'lte', 'between'].includes(c.op) ||
    (['eq', 'neq', 'in'].includes(c.op) && values.every((v) => typeof v === 'number'));
  const v0 = values[0];
  switch (c.op) {
    case 'eq':
      return numeric ? n !== null && n === v0 : s !== null && s === v0;
    case 'neq':
      return !(numeric ? n !== null && n === v0 : s !== null && s === v0);
    case 'contains':
      return s !== null && s.includes(String(v0));
    case 'starts_with':
      return s !== null && s.startsWith(String(v0));
    case 'regex':
      return s !== null && new RegExp(String(v0)).test(s);
    case 'in':
      return numeric
        ? n !== null && values.includes(n)
        : s !== null && values.map(String).includes(s);
    case 'gt':
      return n !== null && n > Number(v0);
    case 'gte':
      return n !== null && n >= Number(v0);
    case 'lt':
      return n !== null && n < Number(v0);
    case 'lte':
      return n !== null && n <= Number(v0);
    case 'between':
      return n !== null && n >= Number(values[0]) && n <= Number(values[1]);
  }
}

function valueTest(c: Condition, raw: string | number | null | undefined): boolean {
  const s = raw === null ? null : stringForm(raw);
  const n =
    raw === null || raw === undefined
      ? null
      : typeof raw === 'number'
        ? raw
        : Number.isNaN(Number(raw)) || raw.trim() === ''
          ? null
          : Number(raw);
  return test(c, s, n);
}

export function matches(e: RefEvent, event: string, where: readonly Condition[] = []): boolean {
  if (e.name !== event) return false;
  return where.every((c) => {
    if (c.param !== undefined) {
      const raw = e.params[c.param];
      return valueTest(c, raw);
    }
    if (c.field !== undefined) {
      if (!(c.field in FIELD_SQL)) return false;
      return valueTest(c, e.fields[c.field] ?? null);
    }
    return (e.items ?? []).some((item) => valueTest(c, item[c.item as string]));
  });
}

/** Every unit's outcome under the spec (units that reached no step are left out). */
export function referenceUnits(spec: FunnelSpec, events: readonly RefEvent[]): UnitResult[] {
  const units = new Map<string, RefEvent[]>();
  for (const e of events) {
    if (e.user === null) continue;
    if (spec.scope === 'session' && e.session === null) continue;
    const unit = spec.scope === 'session' ? `${e.user}\u0000${e.session}` : e.user;
    units.set(unit, [...(units.get(unit) ?? []), e]);
  }
  const K = spec.steps.length;
  const window = spec.window ? durationMicros(spec.window) : Infinity;
  const within = spec.steps.map((s) => (s.within ? durationMicros(s.within) : Infinity));
  const open = spec.type === 'open';
  const toStep = (spec.timeToConvert?.toStep ?? K) - 1;
  const results: UnitResult[] = [];

  for (const stream of units.values()) {
    const matchesStep = (e: RefEvent, k: number) =>
      matches(e, spec.steps[k]?.event as string, spec.steps[k]?.where ?? []);
    const isExcl = (e: RefEvent, k: number) =>
      (spec.exclusions ?? []).some(
        (x) => x.between[0] <= k && x.between[1] >= k + 1 && matches(e, x.event, x.where ?? []),
      );
    /** b may be step k's event right after a as step k-1's (0-based k). */
    const canFollow = (a: RefEvent, b: RefEvent, k: number): boolean => {
      if (a === b) return false;
      const ka = keyOf(a);
      const kb = keyOf(b);
      if (cmp(ka, kb) > 0) return false;
      if (b.ts - a.ts > (within[k] ?? Infinity)) return false;
      const strictlyBetween = (c: RefEvent) => cmp(ka, keyOf(c)) < 0 && cmp(keyOf(c), kb) < 0;
      if (spec.steps[k]?.directly && stream.some(strictlyBetween)) return false;
      if (stream.some((c) => strictlyBetween(c) && isExcl(c, k))) return false;
      return true;
    };
    const reached = new Array<boolean>(K).fill(false);
    const via = new Array<boolean>(K).fill(false);
    // validEnds[k]: events ending some valid chain at step k, with the events each such chain
    // used (for the gap definition: a step k-1 event may precede b through a chain without b).
    const validEnds: Map<RefEvent, Set<RefEvent>[]>[] = Array.from({ length: K }, () => new Map());
    const viaEnds: Set<RefEvent>[] = Array.from({ length: K }, () => new Set());
    let toConvert: number | null = null;
    const extend = (
      k: number,
      last: RefEvent,
      entryTs: number,
      started: number,
      used: Set<RefEvent>,
    ) => {
      reached[k] = true;
      if (started === 0 && k === toStep && (toConvert === null || last.ts - entryTs < toConvert)) {
        toConvert = last.ts - entryTs;
      }
      const ends = validEnds[k] as Map<RefEvent, Set<RefEvent>[]>;
      ends.set(last, [...(ends.get(last) ?? []), used]);
      if (k > started) {
        via[k] = true;
        viaEnds[k]?.add(last);
      }
      if (k + 1 >= K) return;
      for (const b of stream) {
        if (!matchesStep(b, k + 1) || !canFollow(last, b, k + 1) || used.has(b)) continue;
        if (b.ts - entryTs > window) continue;
        extend(k + 1, b, entryTs, started, new Set([...used, b]));
      }
    };
    for (let s = 0; s < (open ? K : 1); s++) {
      for (const e of stream) if (matchesStep(e, s)) extend(s, e, e.ts, s, new Set([e]));
    }
    if (!reached.some(Boolean)) continue;
    const gap = reached.map((_r, k) => {
      if (k === 0 || !via[k]) return null;
      let best: number | null = null;
      for (const b of viaEnds[k] ?? []) {
        let latest: number | null = null;
        for (const [a, chains] of validEnds[k - 1] ?? []) {
          if (!canFollow(a, b, k) || !chains.some((used) => !used.has(b))) continue;
          if (latest === null || a.ts > latest) latest = a.ts;
        }
        if (latest !== null && (best === null || b.ts - latest < best)) best = b.ts - latest;
      }
      return best;
    });
    const entries = stream
      .filter((e) => (open ? spec.steps.some((_s, k) => matchesStep(e, k)) : matchesStep(e, 0)))
      .map((e) => ({ key: keyOf(e), value: e.breakdown ?? '(not set)' }))
      .sort((a, b) => cmp(a.key, b.key) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    const dates = stream
      .filter((e) => (open ? spec.steps.some((_s, k) => matchesStep(e, k)) : matchesStep(e, 0)))
      .map((e) => ({ key: keyOf(e), date: e.date ?? '' }))
      .sort((a, b) => cmp(a.key, b.key) || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const byPage = spec.nextAction?.by === 'page';
    const labelOf = (e: RefEvent) => (byPage ? pagePath(e.params.page_location) : e.name);
    const next = reached.map((r, k) => {
      if (!r) return null;
      const first = [...(validEnds[k]?.keys() ?? [])].sort((a, b) => cmp(keyOf(a), keyOf(b)))[0];
      if (!first) return null;
      const after = stream
        .filter((c) => (cmp(keyOf(c), keyOf(first)) || strCmp(c.name, first.name)) > 0)
        .filter((c) => !byPage || c.name === 'page_view')
        .sort(
          (a, b) =>
            cmp(keyOf(a), keyOf(b)) || strCmp(a.name, b.name) || strCmp(labelOf(a), labelOf(b)),
        );
      return after[0] ? labelOf(after[0]) : '(none)';
    });
    results.push({
      reached,
      via,
      gap,
      value: entries[0]?.value ?? '(not set)',
      toConvert,
      entryDate: dates[0]?.date ?? '',
      next,
    });
  }
  return results;
}

/** The reference answer: rows like sql/funnel.sql's (total first, then breakdown groups). */
export function referenceFunnel(spec: FunnelSpec, events: readonly RefEvent[]): RefRow[] {
  const K = spec.steps.length;
  const results = referenceUnits(spec, events);

  const rowsFor = (total: boolean, grp: string, list: UnitResult[]): RefRow[] => {
    const rows: RefRow[] = [];
    for (let k = 0; k < K; k++) {
      const at = list.filter((u) => u.reached[k]);
      if (at.length === 0) continue;
      const gaps = at
        .map((u) => u.gap[k])
        .filter((g): g is number => g !== null && g !== undefined)
        .sort((a, b) => a - b);
      const mid = gaps.length / 2;
      rows.push({
        total,
        grp,
        step: k + 1,
        units: at.length,
        via_previous: at.filter((u) => u.via[k]).length,
        mean_s: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length / 1e6 : null,
        median_s: gaps.length
          ? (gaps.length % 2
              ? (gaps[Math.floor(mid)] as number)
              : ((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2) / 1e6
          : null,
      });
    }
    return rows;
  };
  const rows = rowsFor(true, '', results);
  if (spec.breakdown) {
    const counts = new Map<string, number>();
    for (const u of results) counts.set(u.value, (counts.get(u.value) ?? 0) + 1);
    const ranked = [...counts.entries()].sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
    const top = new Set(ranked.slice(0, spec.breakdownLimit).map(([v]) => v));
    const groups = new Map<string, UnitResult[]>();
    for (const u of results) {
      const g = top.has(u.value) ? u.value : '(other)';
      groups.set(g, [...(groups.get(g) ?? []), u]);
    }
    for (const g of [...groups.keys()].sort()) rows.push(...rowsFor(false, g, groups.get(g) ?? []));
  }
  return rows;
}

const ms = (us: number) => Math.round(us / 1000) / 1000;

/**
 * Time to convert from the units' shortest chains: PostHog's bin count clamp(ceil(cbrt(n)), 1, 60),
 * equal bins of ceil((max - min) / bins) microseconds (at least 1) from the minimum, the maximum in
 * the last; median the mean of the two middle values; percentile p the value of rank ceil(p n).
 */
export function referenceTimeToConvert(
  spec: FunnelSpec,
  events: readonly RefEvent[],
): TimeToConvert {
  const toStep = spec.timeToConvert?.toStep ?? spec.steps.length;
  const d = referenceUnits(spec, events)
    .map((u) => u.toConvert)
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  const n = d.length;
  if (n === 0) {
    const percentiles = { p25: null, p75: null, p90: null, p95: null, p99: null };
    return { toStep, count: 0, meanSeconds: null, medianSeconds: null, percentiles, bins: [] };
  }
  let bins = 1;
  while (bins ** 3 < n) bins += 1;
  bins = Math.min(60, bins);
  const lo = d[0] as number;
  const hi = d[n - 1] as number;
  const width = Math.max(1, Math.ceil((hi - lo) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const x of d) {
    const i = Math.min(bins - 1, Math.floor((x - lo) / width));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const rank = (p: number) => ms(d[Math.ceil((p * n) / 100) - 1] as number);
  const median =
    n % 2 ? (d[(n - 1) / 2] as number) : ((d[n / 2 - 1] as number) + (d[n / 2] as number)) / 2;
  return {
    toStep,
    count: n,
    meanSeconds: ms(d.reduce((a, b) => a + b, 0) / n),
    medianSeconds: ms(median),
    percentiles: { p25: rank(25), p75: rank(75), p90: rank(90), p95: rank(95), p99: rank(99) },
    bins: counts.map((count, i) => ({
      fromSeconds: (lo + i * width) / 1e6,
      toSeconds: (lo + (i + 1) * width) / 1e6,
      count,
    })),
  };
}

/** The trended funnel: each day (or Monday-based week) of the range with its entering units' funnel. */
export function referenceTrend(spec: FunnelSpec, events: readonly RefEvent[]): FunnelTrend {
  const interval = spec.trend?.interval ?? 'day';
  const dayMs = 86_400_000;
  const startOf = (date: string): string => {
    const t = Date.parse(`${date}T00:00:00Z`);
    const back = interval === 'week' ? (new Date(t).getUTCDay() + 6) % 7 : 0;
    return new Date(t - back * dayMs).toISOString().slice(0, 10);
  };
  const starts: string[] = [];
  for (
    let t = Date.parse(`${spec.dateRange.start}T00:00:00Z`);
    t <= Date.parse(`${spec.dateRange.end}T00:00:00Z`);
    t += dayMs
  ) {
    const s = startOf(new Date(t).toISOString().slice(0, 10));
    if (!starts.includes(s)) starts.push(s);
  }
  const units = referenceUnits(spec, events);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);
  return {
    interval,
    periods: starts.map((start) => {
      const cohort = units.filter((u) => {
        const date = `${u.entryDate.slice(0, 4)}-${u.entryDate.slice(4, 6)}-${u.entryDate.slice(6, 8)}`;
        return startOf(date) === start;
      });
      const count = (k: number) => cohort.filter((u) => u.reached[k]).length;
      const via = (k: number) => cohort.filter((u) => u.via[k]).length;
      return {
        start,
        steps: spec.steps.map((step, k) => ({
          name: step.name ?? step.event ?? step.goal ?? `Step ${k + 1}`,
          count: count(k),
          conversionRate: ratio(count(k), count(0)),
          fromPrevious: k === 0 ? (count(0) > 0 ? 1 : 0) : ratio(via(k), count(k - 1)),
        })),
      };
    }),
  };
}

/** Next actions after each step: top N values by units (then value), (other), then (none). */
export function referenceNextActions(
  spec: FunnelSpec,
  events: readonly RefEvent[],
): NextAction[][] {
  const top = spec.nextAction?.top ?? 5;
  const units = referenceUnits(spec, events);
  const K = spec.steps.length;
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return spec.steps.map((_s, k) => {
    const at = units.filter((u) => u.reached[k]);
    const groups = new Map<string, UnitResult[]>();
    for (const u of at) {
      const v = u.next[k] as string;
      groups.set(v, [...(groups.get(v) ?? []), u]);
    }
    const none = groups.get('(none)') ?? [];
    groups.delete('(none)');
    const ranked = [...groups.entries()].sort(
      (a, b) => b[1].length - a[1].length || strCmp(a[0], b[0]),
    );
    const out: [string, UnitResult[]][] = ranked.slice(0, top);
    const rest = ranked.slice(top).flatMap(([, list]) => list);
    if (rest.length > 0) out.push(['(other)', rest]);
    if (none.length > 0) out.push(['(none)', none]);
    return out.map(([value, list]) => ({
      value,
      units: list.length,
      share: round(list.length / at.length),
      reachedNext: k + 1 < K ? list.filter((u) => u.via[k + 1]).length : null,
    }));
  });
}

/**
 * The events of the units in spec.segments[i]: users (sessions, when both the segment and the
 * funnel count sessions) with at least one event meeting the segment's event and conditions.
 */
export function segmentEvents(
  spec: FunnelSpec,
  i: number,
  events: readonly RefEvent[],
): RefEvent[] {
  const segment = spec.segments?.[i];
  if (!segment) throw new Error(`no segment ${i}`);
  const bySession = segment.scope === 'session' && spec.scope === 'session';
  const unitOf = (e: RefEvent) => (bySession ? `${e.user}\u0000${e.session}` : String(e.user));
  const members = new Set(
    events
      .filter((e) => e.user !== null && (!bySession || e.session !== null))
      .filter((e) => matches(e, segment.event ?? e.name, segment.where ?? []))
      .map(unitOf),
  );
  return events.filter((e) => e.user !== null && members.has(unitOf(e)));
}
