import type { FunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { resolveGoalSteps } from '../../analyses/goals/goal.js';
import { InputError } from '../../errors/errors.js';
import { parseReportDefinition, type ReportDefinition } from '../../reports/reportDefinition.js';
import { goalsByName } from '../api/goals.js';
import type { PageDeps } from './pageDeps.js';
import type { ReportDraft } from './reportForm.js';

/**
 * A draft as a report definition: the schema's check, and every goal a funnel step names must be
 * saved; the steps keep the goal's name, so a change to the goal reaches the report.
 */
export async function reportDefinitionOf(
  deps: PageDeps,
  draft: ReportDraft,
): Promise<ReportDefinition> {
  const definition = parseReportDefinition(draft);
  const goals = await goalsByName(deps);
  definition.sections.forEach((section, i) => {
    if (section.type !== 'funnel' && section.type !== 'trended_funnel') return;
    try {
      resolveGoalSteps(section.funnel as unknown as FunnelSpec, goals);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const at = `sections[${i}].funnel.${error.field ?? ''}`;
      throw new InputError(`${at}: ${error.message.replace(/^[^:]*: /, '')}`, at);
    }
  });
  return definition;
}
