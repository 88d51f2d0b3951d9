import { bigquerySql } from './bigquerySql.js';
import { runStages, stagesQuery } from '../../analyses/stages/runStages.js';
import { DEFAULT_STAGE_MAP, parseStageMap } from '../../analyses/stages/stageMap.js';
import { parseStagesSpec } from '../../analyses/stages/stagesSpec.js';
import { funnelBarOption } from '../../render/charts.js';
import { readPicked, type Picked } from './exploreForm.js';
import { pct, rangeWords, type ExploreInput, type ExploreResult } from './exploreResult.js';

/** Users per journey stage as the report's bars (no drop-off stack), progression and exit pages below. */
export async function exploreStages({
  deps,
  form,
  goals,
  run,
}: ExploreInput): Promise<ExploreResult> {
  const picked = readPicked(form.stagesGoal) as Picked;
  const saved = picked.kind === 'goal' ? goals.get(picked.name) : undefined;
  const spec = parseStagesSpec({
    dateRange: { start: form.from, end: form.to },
    identity: form.identity,
    goal: saved ? saved.event : picked.name,
    ...(saved?.where?.length ? { goalWhere: saved.where } : {}),
  });
  const result = await runStages(deps.engine, spec, run);
  return {
    summary: `${result.users} users ${rangeWords(form)}.`,
    ...(result.users === 0
      ? { empty: `No users ${rangeWords(form)}: there are no stages to show.` }
      : {}),
    charts: {
      stages: funnelBarOption(
        result.stages.map((s) => ({ name: s.name, count: s.users })),
        false,
      ),
    },
    sql: bigquerySql(
      deps,
      'stages',
      stagesQuery(spec, parseStageMap(DEFAULT_STAGE_MAP)),
      spec.identity,
    ),
    stages: {
      stages: result.stages.map((s) => ({ ...s, share: pct(s.shareOfUsers) })),
      progression: result.progression.map((p) => ({ ...p, rate: pct(p.rate) })),
      exitPages: result.painPoints.exitPages.map((e) => ({ ...e, share: pct(e.share) })),
    },
    report: {
      title: 'Journey stages',
      goal: picked,
      section: {
        type: 'stages',
        ...(spec.identity === 'blended' ? {} : { identity: spec.identity }),
      },
    },
  };
}
