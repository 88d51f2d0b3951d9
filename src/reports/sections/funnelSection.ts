import { parseWith } from '../../errors/parseWith.js';
import { funnelSpecSchema } from '../../analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../analyses/funnel/runFunnel.js';
import { funnelBarChart } from '../../render/charts.js';
import { segmentEngines } from './segmentEngines.js';
import type { SectionBuilder } from './sectionInput.js';

export interface FunnelSectionContext {
  readonly unit: string;
  readonly overall: string;
  readonly chartSvg: string;
  readonly steps: {
    number: number;
    name: string;
    count: string;
    ofFirst: string;
    fromPrevious: string;
    abandonments: string;
    median: string;
  }[];
  readonly breakdown: { value: string; entered: string; completed: string; rate: string }[];
  readonly breakdownLabel: string;
  /** All users, then each report segment: the same funnel on the segment's events. */
  readonly segments: {
    name: string;
    steps: { count: string; ofFirst: string }[];
    overall: string;
  }[];
  readonly stepNames: string[];
}

const duration = (s: number | null) =>
  s === null
    ? '–'
    : s < 120
      ? `${Math.round(s)} s`
      : s < 7200
        ? `${(s / 60).toFixed(1)} min`
        : `${(s / 3600).toFixed(1)} h`;

export const buildFunnelSection: SectionBuilder<'funnel', FunnelSectionContext> = async (
  input,
  section,
) => {
  const { fmt, range, definition } = input;
  const spec = parseWith(
    funnelSpecSchema,
    { includeIntraday: definition.includeIntraday, ...section.funnel, dateRange: range },
    'funnel',
  );
  // A segment's funnel is the section's funnel on the segment's events, without its own segments.
  const unsegmented = { ...spec, segments: undefined };
  const [result, ...bySegment] = await Promise.all([
    runFunnel(input.engine, spec, { goals: input.goals }),
    ...segmentEngines(input).map((s) => runFunnel(s.engine, unsegmented, { goals: input.goals })),
  ]);
  for (const r of [result, ...bySegment]) input.countBytes(r.bytesProcessed);
  const last = result.steps[result.steps.length - 1];
  const row = (name: string, steps: typeof result.steps) => ({
    name,
    steps: steps.map((s) => ({
      count: fmt.integer(s.count),
      ofFirst: fmt.percent(s.conversionRate),
    })),
    overall: fmt.percent(steps[steps.length - 1]?.conversionRate ?? 0),
  });
  return {
    type: 'funnel',
    partial: 'funnel',
    title: section.title ?? 'Funnel',
    context: {
      unit: result.unit,
      overall: fmt.percent(last?.conversionRate ?? 0),
      chartSvg: funnelBarChart(result.steps),
      steps: result.steps.map((s, i) => ({
        number: i + 1,
        name: s.name,
        count: fmt.integer(s.count),
        ofFirst: fmt.percent(s.conversionRate),
        fromPrevious: fmt.percent(s.fromPrevious),
        abandonments: fmt.integer(s.abandonments),
        median: duration(s.medianSecondsFromPrevious),
      })),
      breakdownLabel: (spec.breakdown ?? '').replaceAll('_', ' '),
      breakdown: result.breakdown.map((g) => ({
        value: g.value,
        entered: fmt.integer(g.steps[0]?.count ?? 0),
        completed: fmt.integer(g.steps[g.steps.length - 1]?.count ?? 0),
        rate: fmt.percent(g.steps[g.steps.length - 1]?.conversionRate ?? 0),
      })),
      stepNames: result.steps.map((s) => s.name),
      segments: bySegment.length
        ? [
            row('All users', result.steps),
            ...bySegment.map((r, i) => row(definition.segments[i]?.name ?? '', r.steps)),
          ]
        : [],
    },
  };
};
