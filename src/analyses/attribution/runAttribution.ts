import type { Engine } from '../../engines/engine.js';
import { withIdentity } from '../../sql/eventScope.js';
import { runQuery } from '../../sql/runQuery.js';
import type { Row } from '../../engines/normalize.js';
import { QueryError } from '../../errors/errors.js';
import { AD_COSTS_TABLE } from '../../schema/adCostsTable.js';
import { touchpointValue, type TouchpointValue } from './touchpointValue.js';
import { durationMicros } from '../../sql/vocabulary/duration.js';
import { attributionQuery } from './attributionQuery.js';
import {
  DIRECT_TOUCH,
  valueSourceOf,
  type AttributionSpec,
  type Touchpoint,
} from './attributionSpec.js';
import {
  attribute,
  markov,
  MODELS,
  type ChannelAttribution,
  type ModelName,
} from './models/index.js';
import type { PathRow } from './pathTable.js';
import { pathTableFromRows } from './pathTableFromRows.js';

/** One conversion path (touchpoints in order, repeats kept) with its outcomes. */
export interface ConversionPath {
  path: string[];
  conversions: number;
  nonConversions: number;
  revenue: number;
  /** Mean days from the path's first touch to the conversion; null when nothing converted. */
  meanDaysToConversion: number | null;
  touchpoints: number;
}

export interface AttributionResult {
  dateRange: AttributionSpec['dateRange'];
  goal: { event: string; where: NonNullable<AttributionSpec['goal']['where']>; value: string };
  touchpoint: Touchpoint;
  lookback: string;
  halfLife: string;
  /** Each model's allocation rule, in words, so every number can say where it came from. */
  models: Record<ModelName, string>;
  /** Conversions with a path: what every model credits in full. */
  conversions: number;
  revenue: number;
  /** Conversions in the range the models cannot credit: no user_pseudo_id, or no session in reach. */
  unattributed: { conversions: number; revenue: number; withoutUser: number };
  /** P(conversion) of the first-order Markov chain over all paths. */
  conversionProbability: number;
  channels: ChannelAttribution[];
  paths: ConversionPath[];
  /** Converting paths by their number of touchpoints. */
  pathLengths: { touchpoints: number; conversions: number; share: number }[];
  nonConvertingPaths: number;
  /** Cost, CPA and ROAS per touchpoint and model; null when no ad costs were imported. */
  value: TouchpointValue | null;
  sql: string;
}

/** The allocation rule of each model, as the report and the CLI state it. */
export function modelRules(halfLife: string, lookback: string): Record<ModelName, string> {
  return {
    first_touch: `100% to the first touchpoint within the ${lookback} lookback`,
    last_touch: '100% to the last touchpoint before the conversion',
    last_non_direct: '100% to the last touchpoint that is not direct (direct when all are)',
    linear: 'equal shares to every touchpoint',
    position_based:
      '40% first, 40% last, 20% spread over the middle (1 touch 100%, 2 touches 50/50)',
    time_decay: `weight 0.5^(age / ${halfLife}) per touchpoint, normalized per path`,
    markov:
      'first-order Markov chain, repeats collapsed, exact absorbing-chain probabilities; credit = conversions x RE / sum RE',
  };
}

/** Rounds away float noise (2.4000000000000004) without changing any meaningful digit. */
const clean = (x: number) => Math.round(x * 1e9) / 1e9;

function topPaths(rows: readonly PathRow[], limit: number): ConversionPath[] {
  const byPath = new Map<string, ConversionPath & { days: number }>();
  for (const r of rows) {
    const path = r.touches.map((t) => t.channel);
    const key = JSON.stringify(path);
    const entry = byPath.get(key) ?? {
      path,
      conversions: 0,
      nonConversions: 0,
      revenue: 0,
      meanDaysToConversion: null,
      touchpoints: path.length,
      days: 0,
    };
    entry.conversions += r.conversions;
    entry.nonConversions += r.nonConversions;
    entry.revenue += r.revenue;
    entry.days +=
      (r.conversions * Math.max(0, ...r.touches.map((t) => t.secondsBeforeEnd))) / 86400;
    byPath.set(key, entry);
  }
  return [...byPath.values()]
    .filter((p) => p.conversions > 0)
    .sort(
      (a, b) =>
        b.conversions - a.conversions ||
        b.revenue - a.revenue ||
        b.nonConversions - a.nonConversions ||
        (a.path.join('\u0000') < b.path.join('\u0000') ? -1 : 1),
    )
    .slice(0, limit)
    .map(({ days, ...p }) => ({
      ...p,
      revenue: clean(p.revenue),
      meanDaysToConversion: clean(days / p.conversions),
    }));
}

function pathLengths(rows: readonly PathRow[], total: number) {
  const counts = new Map<number, number>();
  for (const r of rows) {
    if (r.conversions > 0)
      counts.set(r.touches.length, (counts.get(r.touches.length) ?? 0) + r.conversions);
  }
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([touchpoints, conversions]) => ({
      touchpoints,
      conversions,
      share: total > 0 ? clean(conversions / total) : 0,
    }));
}

/** The attribution answer (every model, paths, data quality) from the decoded path table. */
export function attributionFromPaths(
  spec: AttributionSpec,
  table: ReturnType<typeof pathTableFromRows>,
  sql: string,
): AttributionResult {
  const { paths } = table;
  const result = attribute(paths, {
    halfLifeSeconds: durationMicros(spec.halfLife) / 1e6,
    directChannel: DIRECT_TOUCH[spec.touchpoint],
  });
  const perModel = (x: Record<ModelName, number>) =>
    Object.fromEntries(MODELS.map((m) => [m, clean(x[m])])) as Record<ModelName, number>;
  const channels = result.channels.map((c) => ({
    channel: c.channel,
    conversions: perModel(c.conversions),
    revenue: perModel(c.revenue),
    removalEffect: clean(c.removalEffect),
    changeVsLastTouch: perModel(c.changeVsLastTouch),
  }));
  return {
    dateRange: spec.dateRange,
    goal: { event: spec.goal.event, where: spec.goal.where ?? [], value: valueSourceOf(spec.goal) },
    touchpoint: spec.touchpoint,
    lookback: spec.lookback,
    halfLife: spec.halfLife,
    models: modelRules(spec.halfLife, spec.lookback),
    conversions: result.conversions,
    revenue: clean(result.revenue),
    unattributed: {
      conversions: table.total.conversions - result.conversions,
      revenue: clean(table.total.revenue - result.revenue),
      withoutUser: table.withoutUser.conversions,
    },
    conversionProbability: clean(markov(paths).probability),
    channels,
    paths: topPaths(paths, spec.topPaths),
    pathLengths: pathLengths(paths, result.conversions),
    nonConvertingPaths: paths.reduce((s, p) => s + p.nonConversions, 0),
    value: null,
    sql,
  };
}

/** Runs an attribution spec (journeys.md §1 "Channel paths and attribution"). */
export async function runAttribution(
  baseEngine: Engine,
  spec: AttributionSpec,
  options: { timeoutMs?: number } = {},
): Promise<AttributionResult> {
  const engine = withIdentity(baseEngine, spec.identity);
  const query = attributionQuery(spec);
  const run = await runQuery(engine, 'attribution_paths', query.params, {
    context: query.context,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const result = attributionFromPaths(spec, pathTableFromRows(run.rows), run.sql);
  const costs = await touchpointCosts(engine, spec, options.timeoutMs);
  return costs === null
    ? result
    : {
        ...result,
        value: touchpointValue(result.channels, result.conversions, costs, spec.touchpoint),
      };
}

/**
 * The imported ad costs in the range, or null where none can be: BigQuery without a costs table
 * configured, or an embedded file no cost import has created the table in.
 */
async function touchpointCosts(
  engine: Engine,
  spec: AttributionSpec,
  timeoutMs: number | undefined,
): Promise<Row[] | null> {
  if (engine.target.kind === 'bigquery' && !engine.target.costsTable) return null;
  try {
    const run = await runQuery(
      engine,
      'touchpoint_costs',
      { start_date: spec.dateRange.start, end_date: spec.dateRange.end },
      timeoutMs === undefined ? {} : { timeoutMs },
    );
    return run.rows;
  } catch (error) {
    if (
      engine.target.kind === 'duckdb' &&
      error instanceof QueryError &&
      new RegExp(`${AD_COSTS_TABLE}\\b.*does not exist`).test(error.message)
    ) {
      return null;
    }
    throw error;
  }
}
