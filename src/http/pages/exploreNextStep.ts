import { bigquerySql } from './bigquerySql.js';
import { parseNextStepSpec } from '../../analyses/nextStep/nextStepSpec.js';
import { nextStepQuery, runNextStep } from '../../analyses/nextStep/runNextStep.js';
import { probabilityBarChart } from '../../render/charts.js';
import { readPicked, type Picked } from './exploreForm.js';
import {
  countOf,
  pct,
  rangeWords,
  type ExploreInput,
  type ExploreResult,
} from './exploreResult.js';

/** The most travelled nodes the chart and the table list. */
const NODES = 20;

/**
 * From each event: the share of journeys through it that reached the goal afterwards (counted,
 * drawn by the report's own chart builder) beside the chain's estimate, and where people go next.
 */
export async function exploreNextStep({
  deps,
  form,
  goals,
  run,
}: ExploreInput): Promise<ExploreResult> {
  const picked = readPicked(form.nextGoal) as Picked;
  const nextStep = {
    ...(form.identity === 'blended' ? {} : { identity: form.identity }),
    scope: form.nextScope,
    nodeType: 'event',
    minSupport: 1,
  };
  const spec = parseNextStepSpec({
    dateRange: { start: form.from, end: form.to },
    ...nextStep,
    goal: picked.kind === 'goal' ? { goal: picked.name } : picked.name,
  });
  const result = await runNextStep(deps.engine, spec, { goals, ...run });
  const query = nextStepQuery(spec, goals);
  const goalName = picked.kind === 'goal' ? `goal ${picked.name}` : picked.name;
  const shown = result.nodes.filter((n) => n.conversionProbability !== null).slice(0, NODES);
  return {
    summary: `${countOf(result.journeys, result.unit)}, ${result.conversions} converted to ${goalName} ${rangeWords(form)}; overall ${pct(result.conversionProbability)}.`,
    ...(result.journeys === 0
      ? { empty: `No ${result.unit} ${rangeWords(form)}: there are no next steps to count.` }
      : {}),
    charts: {},
    sql: bigquerySql(
      deps,
      'next_step',
      { context: query.context, params: { ...query.params, clean_map: [], clean_sep: '|' } },
      spec.identity,
    ),
    nextStep: {
      unit: result.unit,
      goal: goalName,
      // The counted share: it means what it says, where the chain's figure is a model's.
      chartSvg: shown.length
        ? probabilityBarChart(
            shown.map((n) => ({
              label: n.node,
              value: n.reached?.probability ?? (n.conversionProbability as number),
            })),
            `Reached ${goalName} afterwards`,
          )
        : '',
      nodes: shown.map((n) => ({
        node: n.node,
        journeys: n.journeys,
        reached: n.reached ? pct(n.reached.probability) : '–',
        support: n.reached
          ? `${n.reached.converted} of ${n.reached.journeys}, 95% ${pct(n.reached.low)}–${pct(n.reached.high)}`
          : '',
        estimate: pct(n.conversionProbability),
        next: n.next
          .slice(0, 3)
          .map((x) => `${x.node} ${pct(x.probability)}`)
          .join(', '),
      })),
    },
    report: {
      title: 'Next step',
      goal: picked,
      section: {
        type: 'next_step',
        nodes: String(NODES),
        // The editor's JSON box: its controls show these values and keep what they do not edit.
        more: JSON.stringify({ nextStep }),
      },
    },
  };
}
