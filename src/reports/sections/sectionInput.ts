import type { Persona } from '../../analyses/personas/personaSpec.js';
import type { DateRange } from '../../sql/vocabulary/dateRange.js';
import type { Goal } from '../../analyses/goals/goal.js';
import type { Engine } from '../../engines/engine.js';
import type { Ga4DataApi } from '../../ga4/ga4DataApi.js';
import type { DailyTotals } from '../dailyTotals.js';
import type { Formatter } from '../format.js';
import type { RangeTotals } from '../rangeTotals.js';
import type { SectionView } from '../../render/reportView.js';
import type { ReportDefinition, SectionDefinition } from '../reportDefinition.js';
import type { ReportGoal } from '../reportGoal.js';

/** What every section's context builder receives: the resolved run, shared query results, formatting. */
export interface SectionInput {
  /** The engine scoped to the report's filters: every query a section runs reads only those events. */
  readonly engine: Engine;
  readonly definition: ReportDefinition;
  /** The definition's goal, resolved (a saved goal by name, or its own). */
  readonly goal: ReportGoal;
  /** The definition's further goals, resolved, in its order. */
  readonly moreGoals: readonly ReportGoal[];
  /** Saved goals by name, for funnel steps that name one. */
  readonly goals: ReadonlyMap<string, Goal>;
  /** Saved personas by name, for journey map sections that name one. */
  readonly personas: ReadonlyMap<string, Persona>;
  readonly range: DateRange;
  readonly comparison: DateRange | null;
  readonly now: Date;
  readonly fmt: Formatter;
  /** GA4's Data API when a property is configured, else null. */
  readonly ga4: Pick<Ga4DataApi, 'totals'> | null;
  /** Daily totals, run once per range and shared by the sections that need them. */
  totals(range: DateRange): Promise<DailyTotals>;
  /** Totals over a whole range (distinct users and sessions), run once per range. */
  rangeTotals(range: DateRange): Promise<RangeTotals>;
  /** Adds a query's processed bytes (null on DuckDB) to the data-quality box. */
  countBytes(bytes: number | null): void;
  /** Processed bytes so far; null while no engine reported any. */
  bytesProcessed(): number | null;
}

/** A built section: render's section view, with its type and context typed. */
export interface BuiltSection<C = unknown> extends SectionView {
  readonly type: SectionDefinition['type'];
  readonly context: C;
}

export type SectionBuilder<T extends SectionDefinition['type'], C> = (
  input: SectionInput,
  section: Extract<SectionDefinition, { type: T }>,
) => Promise<BuiltSection<C>>;
