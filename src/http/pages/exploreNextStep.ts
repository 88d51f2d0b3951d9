import { parseNextStepSpec } from '../../analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../analyses/nextStep/runNextStep.js';
import { renderSectionHtml } from '../../render/renderHtml.js';
import { buildReportModel } from '../../reports/buildReportModel.js';
import { parseReportDefinition } from '../../reports/reportDefinition.js';
import { readPicked, type Picked } from './exploreForm.js';
import { pct, rangeWords, type ExploreInput, type ExploreResult } from './exploreResult.js';

/**
 * Next step: the report's own section (its chart of the counted share beside the chain's
 * estimate, and its table), so the page and the emailed report say the same in the same words.
 */
export async function exploreNextStep({
  deps,
  form,
  goals,
  run,
}: ExploreInput): Promise<ExploreResult> {
  const picked = readPicked(form.nextGoal) as Picked;
  const dateRange = { start: form.from, end: form.to };
  const nextStep = { scope: form.nextScope, nodeType: 'event', minSupport: 1 };
  const spec = parseNextStepSpec({
    dateRange,
    ...nextStep,
    goal: picked.kind === 'goal' ? { goal: picked.name } : picked.name,
  });
  const result = await runNextStep(deps.engine, spec, { goals, ...run });
  const goalName = picked.kind === 'goal' ? `goal ${picked.name}` : picked.name;
  const section = { type: 'next_step', nodes: 20, nextStep };
  let html: string[] = [];
  if (result.journeys > 0) {
    // The section counts the report's goal: a saved goal by its name, or the event.
    const definition = parseReportDefinition({
      id: 'explore',
      title: 'Next step',
      goal: picked.kind === 'goal' ? picked.name : { event: picked.name },
      dateRange,
      comparison: 'none',
      sections: [section],
    });
    const model = await buildReportModel(deps.engine, definition, new Date(), { goals });
    html = model.sections.map(renderSectionHtml);
  }
  return {
    summary: `${result.journeys} ${result.unit}, ${result.conversions} converted to ${goalName} ${rangeWords(form)}; overall ${pct(result.conversionProbability)}.`,
    ...(result.journeys === 0
      ? { empty: `No ${result.unit} ${rangeWords(form)}: there are no next steps to count.` }
      : {}),
    charts: {},
    sql: result.sql,
    html,
    report: {
      title: 'Next step',
      goal: picked,
      section: { type: 'next_step', nodes: '20', nextStep: JSON.stringify(nextStep) },
    },
  };
}
