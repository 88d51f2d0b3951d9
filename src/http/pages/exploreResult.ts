import type { Goal } from '../../analyses/goals/goal.js';
import type { ExploreForm, Picked } from './exploreForm.js';
import type { PageDeps } from './pageDeps.js';

/** What "Open in report" puts into a new report draft: its goal and one section's fields. */
export interface ReportSeed {
  readonly title: string;
  readonly goal: Picked;
  /** The section's form fields by key (`type`, `paths`, ...), as the report editor names them. */
  readonly section: Record<string, string>;
}

/** One analysis's answer as the Explore page shows it: chart first, table below, its SQL. */
export interface ExploreResult {
  readonly summary: string;
  /** Said instead of a chart when the range holds nothing to count. */
  readonly empty?: string;
  /** ECharts options by chart box, drawn in the browser. */
  readonly charts: Record<string, unknown>;
  /** The query's BigQuery rendering with its values written in, ready to paste. */
  readonly sql: string;
  readonly report: ReportSeed;
  readonly [analysis: string]: unknown;
}

export interface ExploreInput {
  readonly deps: PageDeps;
  readonly form: ExploreForm;
  readonly goals: ReadonlyMap<string, Goal>;
  /** Options every analysis run takes: the service's query timeout. */
  readonly run: { timeoutMs?: number };
}

export const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** The range in words, for summaries and empty states. */
export const rangeWords = (form: ExploreForm): string => `from ${form.from} to ${form.to}`;

/** The page's URL for this form with some fields changed (a Sankey node's "start here"). */
export function exploreHref(form: ExploreForm, change: Partial<ExploreForm>): string {
  const query = new URLSearchParams({ ...form, ...change, run: '1' } as Record<string, string>);
  return `/explore?${query.toString()}`;
}

/** `1 user`, `2 users`: a count with its unit (`users`, `sessions`) in the right number. */
export const countOf = (n: number, unit: string): string =>
  `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
