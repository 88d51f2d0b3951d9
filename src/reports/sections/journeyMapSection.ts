import type { PainPoint } from '../../analyses/map/journeyMap.js';
import { parseMapSpec } from '../../analyses/map/mapSpec.js';
import { resolvePersonas } from '../../analyses/map/resolvePersonas.js';
import { runMap } from '../../analyses/map/runMap.js';
import { InputError } from '../../errors/errors.js';
import { journeyMapChart } from '../../render/journeyMapChart.js';
import type { SectionBuilder } from './sectionInput.js';

interface LaneContext {
  readonly name: string;
  readonly description: string;
  readonly users: string;
  readonly share: string;
  readonly empty: boolean;
  readonly overlap: string;
  readonly stages: {
    stage: string;
    users: string;
    share: string;
    conversion: string;
    median: string;
    moments: { text: string; positive: boolean }[];
    pains: string[];
  }[];
  readonly opportunities: string[];
}

export interface JourneyMapSectionContext {
  readonly mapSvg: string;
  readonly overlap: string;
  readonly stages: string[];
  readonly lanes: LaneContext[];
}

const duration = (s: number | null): string => {
  if (s === null) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
};

/** The journey map (the default stage map) for all users and the section's personas, with the table under it. */
export const buildJourneyMapSection: SectionBuilder<
  'journey_map',
  JourneyMapSectionContext
> = async (input, section) => {
  const { fmt, range, definition } = input;
  const spec = parseMapSpec({
    dateRange: range,
    includeIntraday: definition.includeIntraday,
    goal: input.goal.event,
    ...(input.goal.where.length ? { goalWhere: input.goal.where } : {}),
    personas: section.personas,
    ...(section.identity ? { identity: section.identity } : {}),
    ...(section.minSupport === undefined ? {} : { minSupport: section.minSupport }),
  });
  let personas;
  try {
    personas = await resolvePersonas(spec, async (name) => input.personas.get(name));
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(`journey_map section: ${error.message}`, error.field);
    throw error;
  }
  const result = await runMap(input.engine, spec, personas);
  const pain = (p: PainPoint) =>
    `${p.label}: ${fmt.integer(p.users)} users, ${p.conversionsAtStake.toFixed(1)} conversions at stake`;
  return {
    type: 'journey_map',
    partial: 'journeyMap',
    title: section.title ?? 'Customer journey map',
    context: {
      mapSvg: journeyMapChart(result, { width: 960 }),
      overlap: result.overlap
        ? `${fmt.integer(result.overlap.users)} users (${fmt.percent(result.overlap.share)}) are in more than one persona.`
        : '',
      stages: result.stages,
      lanes: result.personas.map((p) => ({
        name: p.name,
        description: p.description,
        users: fmt.integer(p.users),
        share: fmt.percent(p.shareOfAll),
        empty: p.empty,
        overlap: p.overlapUsers > 0 ? `${fmt.integer(p.overlapUsers)} also in another persona` : '',
        stages: p.stages.map((s) => ({
          stage: s.stage,
          users: fmt.integer(s.users),
          share: fmt.percent(s.shareOfPersona),
          conversion: fmt.percent(s.conversionRate),
          median: duration(s.medianSecondsSincePrevious),
          moments: s.moments.map((m) => ({
            positive: m.difference > 0,
            text: `${m.kind} ${m.label}: ${fmt.percent(m.did.rate)} of ${fmt.integer(m.did.users)} vs ${fmt.percent(m.didNot.rate)} of ${fmt.integer(m.didNot.users)} (95% ${fmt.percent(m.interval[0])} to ${fmt.percent(m.interval[1])})`,
          })),
          pains: s.painPoints.slice(0, 3).map(pain),
        })),
        opportunities: p.opportunities.map((o) => `${o.stage}: ${pain(o)}`),
      })),
    },
  };
};
