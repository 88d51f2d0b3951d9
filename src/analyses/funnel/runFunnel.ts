import type { Engine } from '../../engines/engine.js';
import { withIdentity } from '../../sql/eventScope.js';
import type { Row } from '../../engines/normalize.js';
import { InputError } from '../../errors/errors.js';
import { runQuery } from '../../sql/runQuery.js';
import { resolveGoalSteps, type Goal } from '../goals/goal.js';
import { funnelQuery, type FunnelQueryOptions } from './funnelQuery.js';
import type { FunnelSpec } from './funnelSpec.js';
import { runFunnelQuery } from './runFunnelQuery.js';
import { funnelTrendResult, type FunnelTrend } from './funnelTrend.js';
import { nextActionQuery, nextActionsResult, type NextAction } from './nextActions.js';
import { timeToConvertResult, type TimeToConvert } from './timeToConvert.js';

export interface FunnelStepResult {
  readonly name: string;
  readonly count: number;
  readonly conversionRate: number;
  readonly fromPrevious: number;
  readonly abandonments: number;
  readonly abandonmentRate: number;
  readonly medianSecondsFromPrevious: number | null;
  readonly meanSecondsFromPrevious: number | null;
  /** When the spec asks for `nextAction` (top-level steps only): what units did right after the step. */
  readonly nextActions?: NextAction[];
}

export interface FunnelResult {
  readonly unit: 'users' | 'sessions';
  readonly steps: FunnelStepResult[];
  readonly breakdown: { value: string; steps: FunnelStepResult[] }[];
  /** The funnel within each of spec.segments, in their order ([] without segments). */
  readonly segments: { name: string; steps: FunnelStepResult[] }[];
  /** When the spec asks for `timeToConvert`, else null. */
  readonly timeToConvert: TimeToConvert | null;
  /** When the spec asks for `trend`, else null. */
  readonly trend: FunnelTrend | null;
  /** Summed over the queries run (null when the engine does not say). */
  readonly bytesProcessed: number | null;
  readonly sql: string;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);
const seconds = (x: unknown) => (x === null || x === undefined ? null : round(Number(x), 3));

/** One group's rows (one per reached step) as the contract's per-step figures. */
export function stepResults(spec: FunnelSpec, rows: readonly Row[]): FunnelStepResult[] {
  const byStep = new Map<number, Row>(rows.map((r) => [Number(r.step), r]));
  const count = (k: number) => Number(byStep.get(k)?.units ?? 0);
  const via = (k: number) => Number(byStep.get(k)?.via_previous ?? 0);
  const first = count(1);
  return spec.steps.map((step, i) => {
    const k = i + 1;
    const n = count(k);
    const continued = k < spec.steps.length ? via(k + 1) : n;
    const abandonments = k < spec.steps.length ? Math.max(0, n - continued) : 0;
    const row = byStep.get(k);
    return {
      name: step.name ?? step.event ?? step.goal ?? `Step ${k}`,
      count: n,
      conversionRate: ratio(n, first),
      fromPrevious: k === 1 ? (n > 0 ? 1 : 0) : ratio(via(k), count(k - 1)),
      abandonments,
      abandonmentRate: ratio(abandonments, n),
      medianSecondsFromPrevious: k === 1 ? null : seconds(row?.median_s),
      meanSecondsFromPrevious: k === 1 ? null : seconds(row?.mean_s),
    };
  });
}

/** Runs a funnel (goal steps resolved from `goals`): steps, segments, trend, time to convert. */
export async function runFunnel(
  baseEngine: Engine,
  spec: FunnelSpec,
  options: {
    goals?: ReadonlyMap<string, Goal>;
    timeoutMs?: number;
    form?: FunnelQueryOptions['form'];
  } = {},
): Promise<FunnelResult> {
  const engine = withIdentity(baseEngine, spec.identity);
  const resolved = resolveGoalSteps(spec, options.goals ?? new Map());
  let query;
  try {
    query = funnelQuery(resolved, options.form ? { form: options.form } : {});
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error), 'steps');
  }
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const bytes: (number | null)[] = [];
  // The main query (whole funnel or one segment), in the fastest form the engine allows.
  const runMain = async (segment?: number) => {
    const main = await runFunnelQuery(engine, resolved, {
      ...(options.form ? { form: options.form } : {}),
      ...(segment === undefined ? {} : { segment }),
      ...timeout,
    });
    bytes.push(...main.bytes);
    return main.run;
  };
  const run = await runMain();
  const segments: FunnelResult['segments'] = [];
  for (const [i, segment] of (resolved.segments ?? []).entries()) {
    const seg = await runMain(i);
    const rows = seg.rows.filter((r) => r.total === true);
    segments.push({ name: segment.name, steps: stepResults(resolved, rows) });
  }
  let timeToConvert: TimeToConvert | null = null;
  if (resolved.timeToConvert) {
    const toStep = resolved.timeToConvert.toStep ?? resolved.steps.length;
    const ttc = await runQuery(engine, 'funnel_time_to_convert', query.params, {
      context: query.context,
      ...timeout,
    });
    bytes.push(ttc.bytesProcessed);
    timeToConvert = timeToConvertResult(toStep, ttc.rows);
  }
  let trend: FunnelTrend | null = null;
  if (resolved.trend) {
    const dated = funnelQuery(resolved, {
      ...(options.form ? { form: options.form } : {}),
      withDate: true,
    });
    const tr = await runQuery(engine, 'funnel_trend', dated.params, {
      context: dated.context,
      ...timeout,
    });
    bytes.push(tr.bytesProcessed);
    const names = stepResults(resolved, []).map((s) => s.name);
    trend = funnelTrendResult(names, resolved.dateRange, resolved.trend.interval, tr.rows);
  }
  let nextActions: NextAction[][] | null = null;
  if (resolved.nextAction) {
    const q = nextActionQuery(resolved, options.form ? { form: options.form } : {});
    const next = await runQuery(engine, 'funnel_next_action', q.params, {
      context: q.context,
      ...timeout,
    });
    bytes.push(next.bytesProcessed);
    nextActions = nextActionsResult(resolved.steps.length, next.rows);
  }
  const totals = run.rows.filter((r) => r.total === true);
  const groups = new Map<string, Row[]>();
  for (const row of run.rows) {
    if (row.total === true) continue;
    const value = String(row.grp);
    groups.set(value, [...(groups.get(value) ?? []), row]);
  }
  const breakdown = [...groups.entries()]
    .map(([value, rows]) => ({ value, steps: stepResults(resolved, rows) }))
    .sort(
      (a, b) =>
        Number(a.value === '(other)') - Number(b.value === '(other)') ||
        (b.steps[0]?.count ?? 0) - (a.steps[0]?.count ?? 0) ||
        a.value.localeCompare(b.value),
    );
  return {
    unit: resolved.scope === 'session' ? 'sessions' : 'users',
    steps: stepResults(resolved, totals).map((step, i) =>
      nextActions ? { ...step, nextActions: nextActions[i] ?? [] } : step,
    ),
    breakdown,
    segments,
    timeToConvert,
    trend,
    bytesProcessed: bytes.some((b) => b === null)
      ? null
      : bytes.reduce((a, b) => (a ?? 0) + (b ?? 0), 0),
    sql: run.sql,
  };
}
