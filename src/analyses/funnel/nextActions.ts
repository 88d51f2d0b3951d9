import type { Row } from '../../engines/normalize.js';
import { funnelQuery, type FunnelQuery, type FunnelQueryOptions } from './funnelQuery.js';
import type { FunnelSpec } from './funnelSpec.js';

export interface NextAction {
  /** An event name or page path, `(other)` (beyond the top values) or `(none)` (nothing later). */
  readonly value: string;
  readonly units: number;
  /** units / units that reached the step, a fraction of 1. */
  readonly share: number;
  /** Of these units, how many reached the next step from this one; null on the last step. */
  readonly reachedNext: number | null;
}

export const NEXT_ACTION_TOP = 5;

/** sql/funnel_next_action.sql's context and parameters: the funnel's, plus what to count and how many. */
export function nextActionQuery(
  spec: FunnelSpec,
  options: Pick<FunnelQueryOptions, 'form'> = {},
): FunnelQuery {
  const q = funnelQuery(spec, options);
  return {
    context: { ...q.context, byPage: spec.nextAction?.by === 'page' },
    params: { ...q.params, next_top_n: spec.nextAction?.top ?? NEXT_ACTION_TOP },
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** The query's rows (already in order: top values, (other), (none)) as each step's next actions. */
export function nextActionsResult(stepCount: number, rows: readonly Row[]): NextAction[][] {
  return Array.from({ length: stepCount }, (_v, i) => {
    const mine = rows.filter((r) => Number(r.step) === i + 1);
    const total = mine.reduce((sum, r) => sum + Number(r.units), 0);
    return mine.map((r) => ({
      value: String(r.label),
      units: Number(r.units),
      share: total > 0 ? round(Number(r.units) / total) : 0,
      reachedNext: i + 1 < stepCount ? Number(r.reached_next) : null,
    }));
  });
}
