import type { DateRange } from '../sql/vocabulary/dateRange.js';
import type { Persona } from '../analyses/personas/personaSpec.js';
import type { Goal } from '../analyses/goals/goal.js';
import type { Engine } from '../engines/engine.js';
import type { Ga4DataApi } from '../ga4/ga4DataApi.js';
import { dailyTotals, type DailyTotals } from './dailyTotals.js';
import { formatter } from './format.js';
import { rangeTotals, type RangeTotals } from './rangeTotals.js';
import { resolveReportGoal } from './reportGoal.js';
import { scopeEngine } from '../sql/eventScope.js';
import { comparisonRange, resolveRelativeRange } from './relativeDateRange.js';
import type { ReportDateRange, ReportDefinition } from './reportDefinition.js';
import { buildSection } from './sections/sectionBuilders.js';
import type { BuiltSection, SectionInput } from './sections/sectionInput.js';

export interface ReportModel {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  readonly locale: string;
  readonly timeZone: string;
  readonly range: DateRange;
  readonly comparison: DateRange | null;
  readonly rangeLabel: string;
  readonly comparisonLabel: string;
  readonly generatedAt: string;
  readonly generatedLabel: string;
  readonly sections: BuiltSection[];
  /** Bytes the engine processed for every section (null on DuckDB), for the run log. */
  readonly bytesProcessed: number | null;
}

export interface BuildOptions {
  /** Replaces the definition's date range (a CLI flag, a granted link override). */
  readonly dateRange?: ReportDateRange;
  /** GA4's own totals (GA4_PROPERTY_ID set): the data-quality box sets them beside the export's. */
  readonly ga4?: Pick<Ga4DataApi, 'totals'>;
  /** Saved goals, by name: a definition's `goal` may name one. */
  readonly goals?: ReadonlyMap<string, Goal>;
  /** Saved personas, by name: a journey map section may name them. */
  readonly personas?: ReadonlyMap<string, Persona>;
}

/** Sections that draw each segment beside all users; the others say they do not. */
const SPLIT_BY_SEGMENT = new Set(['kpi_summary', 'funnel', 'trended_funnel']);

/** Resolves a definition's date range on the report zone's calendar at `now`. */
export function resolveReportRange(
  definition: ReportDefinition,
  now: Date,
  override?: ReportDateRange,
): { range: DateRange; comparison: DateRange | null } {
  const spec = override ?? definition.dateRange;
  const range =
    typeof spec === 'string' ? resolveRelativeRange(spec, definition.timeZone, now) : spec;
  return { range, comparison: comparisonRange(range, definition.comparison) };
}

/** Runs every section's analysis and builds its context: everything a template needs, nothing to compute. */
export async function buildReportModel(
  engine: Engine,
  definition: ReportDefinition,
  now: Date,
  options: BuildOptions = {},
): Promise<ReportModel> {
  const { range, comparison } = resolveReportRange(definition, now, options.dateRange);
  const fmt = formatter(definition.locale, definition.currency);
  const goal = resolveReportGoal(definition.goal, options.goals ?? new Map());
  const moreGoals = definition.goals.map((g, i) =>
    resolveReportGoal(g, options.goals ?? new Map(), `goals[${i}]`),
  );
  // Filters narrow what every query reads, so no section can miss them.
  const scoped = definition.filters.length
    ? scopeEngine(engine, { filters: definition.filters })
    : engine;
  const cache = new Map<string, Promise<DailyTotals>>();
  const rangeCache = new Map<string, Promise<RangeTotals>>();
  let bytes: number | null = null;
  const input: SectionInput = {
    engine: scoped,
    definition,
    goal,
    moreGoals,
    goals: options.goals ?? new Map(),
    personas: options.personas ?? new Map(),
    range,
    comparison,
    now,
    fmt,
    ga4: options.ga4 ?? null,
    totals(r) {
      const key = `${r.start}/${r.end}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = dailyTotals(scoped, r, goal, definition.includeIntraday, definition.id);
        pending.then((t) => input.countBytes(t.bytesProcessed)).catch(() => undefined);
        cache.set(key, pending);
      }
      return pending;
    },
    rangeTotals(r) {
      const key = `${r.start}/${r.end}`;
      let pending = rangeCache.get(key);
      if (!pending) {
        pending = rangeTotals(scoped, r, goal, definition.includeIntraday, definition.id);
        pending.then((t) => input.countBytes(t.bytesProcessed)).catch(() => undefined);
        rangeCache.set(key, pending);
      }
      return pending;
    },
    countBytes(n) {
      if (n !== null) bytes = (bytes ?? 0) + n;
    },
    bytesProcessed: () => bytes,
  };
  const withNote = (section: BuiltSection): BuiltSection => {
    const notes: string[] = [];
    if (definition.segments.length && !SPLIT_BY_SEGMENT.has(section.type)) {
      notes.push('All users (segments not applied).');
    }
    return { ...section, note: [section.note ?? '', ...notes].filter(Boolean).join(' ') };
  };
  // Data quality reports the bytes of every other section, so it is built last.
  const order = definition.sections.map((s, i) => ({ s, i }));
  const built: BuiltSection[] = new Array<BuiltSection>(order.length);
  await Promise.all(
    order
      .filter(({ s }) => s.type !== 'data_quality')
      .map(async ({ s, i }) => {
        built[i] = withNote(await buildSection(input, s));
      }),
  );
  for (const { s, i } of order.filter(({ s }) => s.type === 'data_quality')) {
    built[i] = withNote(await buildSection(input, s));
  }
  const generated = new Intl.DateTimeFormat(definition.locale, {
    timeZone: definition.timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(now);
  return {
    id: definition.id,
    title: definition.title,
    owner: definition.owner ?? '',
    locale: definition.locale,
    timeZone: definition.timeZone,
    range,
    comparison,
    rangeLabel: fmt.range(range.start, range.end),
    comparisonLabel: comparison ? fmt.range(comparison.start, comparison.end) : '',
    generatedAt: now.toISOString(),
    generatedLabel: generated,
    sections: built,
    bytesProcessed: bytes,
  };
}
