import { parseWith } from '../../errors/parseWith.js';
import { nextStepSpecSchema } from '../../analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../analyses/nextStep/runNextStep.js';
import { probabilityBarChart } from '../../render/charts.js';
import type { SectionBuilder } from './sectionInput.js';

export interface NextStepContext {
  readonly unit: string;
  readonly goal: string;
  readonly nodeNoun: string;
  readonly overall: string;
  readonly journeys: string;
  readonly conversions: string;
  readonly minSupport: string;
  readonly hidden: string;
  readonly chartSvg: string;
  readonly nodes: {
    node: string;
    journeys: string;
    probability: string;
    reached: string;
    reachedSupport: string;
    interval: string;
    next: { node: string; probability: string }[];
  }[];
}

const NODE_NOUNS = {
  event: 'event',
  page_path: 'page',
  page_title: 'page',
  channel: 'channel',
  stage: 'stage',
} as const;

/**
 * From each of the most travelled nodes: the likeliest next nodes, the share of journeys through it
 * that went on to the goal (counted) and the chain's chance of reaching it (modelled). Nodes below
 * the minimum support get no estimate.
 */
export const buildNextStepSection: SectionBuilder<'next_step', NextStepContext> = async (
  input,
  section,
) => {
  const { fmt, range, definition } = input;
  const spec = parseWith(
    nextStepSpecSchema,
    {
      goal: input.goal.where.length
        ? { event: input.goal.event, where: input.goal.where }
        : input.goal.event,
      ...section.nextStep,
      dateRange: range,
      includeIntraday: definition.includeIntraday,
    },
    'nextStep',
  );
  const result = await runNextStep(input.engine, spec);
  const estimated = result.nodes.filter((n) => n.conversionProbability !== null);
  const shown = estimated.slice(0, section.nodes);
  const hidden = result.nodes.length - estimated.length;
  // The report's goal by its name, unless the section counts another.
  const goal = section.nextStep.goal === undefined ? input.goal.name : result.goal;
  return {
    type: 'next_step',
    partial: 'nextStep',
    title: section.title ?? 'Next step',
    context: {
      unit: result.unit,
      goal,
      nodeNoun: NODE_NOUNS[spec.nodeType],
      overall:
        result.conversionProbability === null ? '–' : fmt.percent(result.conversionProbability),
      journeys: fmt.integer(result.journeys),
      conversions: fmt.integer(result.conversions),
      minSupport: fmt.integer(result.minSupport),
      hidden: hidden > 0 ? fmt.integer(hidden) : '',
      chartSvg: shown.length
        ? probabilityBarChart(
            // The counted share: it means what it says, where the chain's figure is a model's.
            shown.map((n) => ({
              label: n.node,
              value: n.reached?.probability ?? (n.conversionProbability as number),
            })),
            `Reached ${goal} afterwards`,
          )
        : '',
      nodes: shown.map((n) => ({
        node: n.node,
        journeys: fmt.integer(n.journeys),
        probability: fmt.percent(n.conversionProbability as number),
        reached: n.reached ? fmt.percent(n.reached.probability) : '–',
        reachedSupport: n.reached
          ? `${fmt.integer(n.reached.converted)} of ${fmt.integer(n.reached.journeys)}`
          : '',
        interval: n.reached ? `${fmt.percent(n.reached.low)}–${fmt.percent(n.reached.high)}` : '',
        next: n.next
          .slice(0, 3)
          .map((x) => ({ node: x.node, probability: fmt.percent(x.probability) })),
      })),
    },
  };
};
