import type { Row } from '../../engines/normalize.js';

export interface TimeToConvertBin {
  /** Inclusive lower bound, seconds from entry. */
  readonly fromSeconds: number;
  /** Exclusive upper bound, but the last bin includes it. */
  readonly toSeconds: number;
  readonly count: number;
}

export interface TimeToConvert {
  readonly toStep: number;
  /** Units that completed the chain from step 1 to `toStep`. */
  readonly count: number;
  readonly meanSeconds: number | null;
  readonly medianSeconds: number | null;
  readonly percentiles: {
    readonly p25: number | null;
    readonly p75: number | null;
    readonly p90: number | null;
    readonly p95: number | null;
    readonly p99: number | null;
  };
  readonly bins: TimeToConvertBin[];
}

const secs = (x: unknown) =>
  x === null || x === undefined ? null : Math.round(Number(x) * 1000) / 1000;

/** sql/funnel_time_to_convert.sql's rows (one per non-empty bin) as the answer, empty bins filled. */
export function timeToConvertResult(toStep: number, rows: readonly Row[]): TimeToConvert {
  const first = rows[0];
  if (!first) {
    const none = { p25: null, p75: null, p90: null, p95: null, p99: null };
    return {
      toStep,
      count: 0,
      meanSeconds: null,
      medianSeconds: null,
      percentiles: none,
      bins: [],
    };
  }
  const counts = new Map(rows.map((r) => [Number(r.bin), Number(r.units)]));
  const lo = Number(first.min_us);
  const width = Number(first.width_us);
  const bins = Array.from({ length: Number(first.bins) }, (_v, i) => ({
    fromSeconds: (lo + i * width) / 1e6,
    toSeconds: (lo + (i + 1) * width) / 1e6,
    count: counts.get(i) ?? 0,
  }));
  return {
    toStep,
    count: Number(first.total_units),
    meanSeconds: secs(first.mean_s),
    medianSeconds: secs(first.median_s),
    percentiles: {
      p25: secs(first.p25_s),
      p75: secs(first.p75_s),
      p90: secs(first.p90_s),
      p95: secs(first.p95_s),
      p99: secs(first.p99_s),
    },
    bins,
  };
}
