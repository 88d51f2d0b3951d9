import type { Engine } from '../../engines/engine.js';
import { withIdentity } from '../../sql/eventScope.js';
import type { Row } from '../../engines/normalize.js';
import { runQuery } from '../../sql/runQuery.js';
import { dateRangeParams } from '../../sql/vocabulary/dateRange.js';
import type { Goal } from '../goals/goal.js';
import { conditionSlots } from '../../sql/vocabulary/conditionSlots.js';
import {
  MAX_ANCHOR_CONDITIONS,
  cleanValue,
  resolveAnchor,
  type AnchorSpec,
  type PathsSpec,
} from './pathsSpec.js';

export type NodeKind = 'node' | 'other' | 'exit';

export interface PathNode {
  readonly node: string;
  readonly kind: NodeKind;
  readonly count: number;
}

export interface PathStep {
  readonly index: number;
  /** Journeys that reached this step: the sum of the node counts, (other) and (exit) included. */
  readonly journeys: number;
  readonly nodes: PathNode[];
}

export interface PathEdge {
  readonly step: number;
  readonly from: string;
  readonly fromKind: NodeKind;
  readonly to: string;
  readonly toKind: NodeKind;
  readonly count: number;
}

export interface PathsResult {
  readonly unit: 'sessions' | 'users';
  /** Forward from the start (and, with an end too, up to the first end after it) or backward from the end. */
  readonly direction: 'forward' | 'backward';
  readonly journeys: number;
  readonly eventsWithoutUser: number;
  readonly steps: PathStep[];
  readonly edges: PathEdge[];
  readonly sql: string;
}

/** Conditions on start and end together, the query's bound slots @c1_* .. @c20_*. */
export const MAX_PATH_CONDITIONS = 2 * MAX_ANCHOR_CONDITIONS;

/** The query's shape and bound values for a spec (cleaning map given separately). */
export function pathsQuery(spec: PathsSpec, goals: ReadonlyMap<string, Goal> = new Map()) {
  const direction =
    spec.start !== null && spec.end !== null
      ? 'between'
      : spec.start !== null
        ? 'start'
        : spec.end !== null
          ? 'end'
          : 'none';
  const slots = conditionSlots(MAX_PATH_CONDITIONS, 'paths spec');
  const anchor = (a: AnchorSpec | null, path: string) => {
    const resolved = a === null ? { event: '', where: [] } : resolveAnchor(a, path, goals);
    const where = resolved.where.map((c, i) => slots.add(c, `${path}.where[${i}]`));
    return { event: resolved.event, where };
  };
  const start = anchor(spec.start, 'start');
  const end = anchor(spec.end, 'end');
  return {
    context: {
      nodeType: spec.nodeType,
      scope: spec.scope,
      direction,
      collapse: spec.collapseRepeats,
      clean: spec.clean.length > 0,
      startWhere: start.where,
      endWhere: end.where,
    },
    params: {
      ...dateRangeParams(spec.dateRange, spec.includeIntraday),
      start_event: start.event,
      end_event: end.event,
      exclude: spec.exclude,
      steps: spec.steps,
      top_k: spec.topK,
      ...slots.params,
    },
  };
}

/** A separator found in none of the strings (the map is bound as `raw<sep>clean` strings). */
function separatorFor(values: readonly string[]): string {
  for (let code = 1; code < 0xd800; code += 1) {
    const sep = String.fromCharCode(code);
    if (values.every((v) => !v.includes(sep))) return sep;
  }
  throw new Error('paths: no free separator for the cleaning map');
}

/**
 * The cleaning map: the rules applied in order to each distinct raw node value. Cleaning happens
 * in SQL before repeats collapse and before the top K, so two raw values that clean to the same
 * node merge exactly; only the string rewriting runs here, once per distinct value.
 */
export async function cleaningMap(
  engine: Engine,
  spec: Pick<PathsSpec, 'dateRange' | 'includeIntraday' | 'exclude' | 'clean' | 'nodeType'>,
  timeoutMs?: number,
): Promise<{ clean_map: string[]; clean_sep: string }> {
  if (spec.clean.length === 0) return { clean_map: [], clean_sep: '|' };
  const run = await runQuery(
    engine,
    'paths_nodes',
    {
      ...dateRangeParams(spec.dateRange, spec.includeIntraday),
      exclude: spec.exclude,
    },
    { context: { nodeType: spec.nodeType }, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
  );
  const pairs = run.rows
    .map((r) => String(r.raw_node))
    .map((raw) => [raw, cleanValue(raw, spec.clean)] as const)
    .filter(([raw, clean]) => raw !== clean);
  const sep = separatorFor(pairs.flat());
  return { clean_map: pairs.map(([raw, clean]) => `${raw}${sep}${clean}`), clean_sep: sep };
}

const kindOf = (x: unknown): NodeKind => (x === 'other' || x === 'exit' ? x : 'node');

/** The paths contract from the query's rows. */
export function pathsFromRows(spec: PathsSpec, rows: readonly Row[], sql: string): PathsResult {
  const nodeRows = rows.filter((r) => r.row_type === 'node');
  const steps: PathStep[] = [];
  for (let index = 1; index <= spec.steps; index += 1) {
    const kindOrder = { node: 0, other: 1, exit: 2 };
    const nodes = nodeRows
      .filter((r) => Number(r.step) === index)
      .map((r) => ({ node: String(r.label), kind: kindOf(r.kind), count: Number(r.journeys) }))
      .sort(
        (a, b) =>
          kindOrder[a.kind] - kindOrder[b.kind] ||
          b.count - a.count ||
          (a.node < b.node ? -1 : a.node > b.node ? 1 : 0),
      );
    if (nodes.length === 0) break;
    steps.push({ index, journeys: nodes.reduce((s, n) => s + n.count, 0), nodes });
  }
  const edges = rows
    .filter((r) => r.row_type === 'edge')
    .map((r) => ({
      step: Number(r.step),
      from: String(r.label),
      fromKind: kindOf(r.kind),
      to: String(r.to_label),
      toKind: kindOf(r.to_kind),
      count: Number(r.journeys),
    }));
  const single = (type: string) => Number(rows.find((r) => r.row_type === type)?.journeys ?? 0);
  return {
    unit: spec.scope === 'session' ? 'sessions' : 'users',
    direction: spec.end !== null && spec.start === null ? 'backward' : 'forward',
    journeys: single('journeys'),
    eventsWithoutUser: single('events_without_user'),
    steps,
    edges,
    sql,
  };
}

/** Runs a paths spec (journeys.md §1 "Paths"): nodes and edges per step, with (other) and (exit). */
export async function runPaths(
  baseEngine: Engine,
  spec: PathsSpec,
  options: { goals?: ReadonlyMap<string, Goal>; timeoutMs?: number } = {},
): Promise<PathsResult> {
  const engine = withIdentity(baseEngine, spec.identity);
  const query = pathsQuery(spec, options.goals);
  const clean = await cleaningMap(engine, spec, options.timeoutMs);
  const run = await runQuery(
    engine,
    'paths',
    { ...query.params, ...clean },
    {
      context: query.context,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    },
  );
  return pathsFromRows(spec, run.rows, run.sql);
}
