import { bigquerySql } from './bigquerySql.js';
import { parseAttributionSpec } from '../../analyses/attribution/attributionSpec.js';
import { MODELS } from '../../analyses/attribution/models/index.js';
import { attributionQuery } from '../../analyses/attribution/attributionQuery.js';
import { runAttribution } from '../../analyses/attribution/runAttribution.js';
import { attributionModelsOption } from '../../render/attributionModelsChart.js';
import { MODEL_LABEL } from '../../reports/sections/attributionTableSection.js';
import { readPicked, type Picked } from './exploreForm.js';
import { rangeWords, type ExploreInput, type ExploreResult } from './exploreResult.js';

/** Credited conversions per touchpoint under every model: grouped bars, the numbers below. */
export async function exploreAttribution({
  deps,
  form,
  goals,
  run,
}: ExploreInput): Promise<ExploreResult> {
  const picked = readPicked(form.attrGoal) as Picked;
  const saved = picked.kind === 'goal' ? goals.get(picked.name) : undefined;
  const goal = saved
    ? {
        event: saved.event,
        ...(saved.where?.length ? { where: saved.where } : {}),
        ...(saved.value !== 'none' ? { value: saved.value } : {}),
      }
    : { event: picked.name };
  const spec = parseAttributionSpec({
    dateRange: { start: form.from, end: form.to },
    identity: form.identity,
    goal,
    touchpoint: form.attrTouchpoint,
    lookback: form.attrLookback,
  });
  const result = await runAttribution(deps.engine, spec, run);
  const models = MODELS.map((m) => ({ key: m, label: MODEL_LABEL[m] }));
  const rows = result.channels.map((c) => ({ touchpoint: c.channel, credits: c.conversions }));
  const goalName = picked.kind === 'goal' ? `goal ${picked.name}` : picked.name;
  return {
    summary: `${result.conversions} conversions (${goalName}) with a path, ${rangeWords(form)}; lookback ${spec.lookback}, by ${spec.touchpoint.replace('_', ' / ')}.`,
    ...(result.conversions === 0
      ? { empty: `No conversions (${goalName}) ${rangeWords(form)}: there is nothing to credit.` }
      : {}),
    charts: { models: attributionModelsOption(models, rows) },
    sql: bigquerySql(deps, 'attribution_paths', attributionQuery(spec), spec.identity),
    attribution: {
      models: models.map((m) => m.label),
      rows: result.channels.map((c) => ({
        touchpoint: c.channel,
        credits: MODELS.map((m) => ({ model: m, value: c.conversions[m].toFixed(1) })),
      })),
      unattributed: result.unattributed.conversions,
      rules: models.map((m) => ({ label: m.label, rule: result.models[m.key] })),
    },
    report: {
      title: 'Attribution',
      goal: picked,
      section: {
        type: 'attribution_table',
        touchpoint: spec.touchpoint,
        lookback: spec.lookback,
        ...(spec.identity === 'blended' ? {} : { identity: spec.identity }),
      },
    },
  };
}
