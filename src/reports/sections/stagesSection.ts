import { runStages } from '../../analyses/stages/runStages.js';
import { parseStagesSpec } from '../../analyses/stages/stagesSpec.js';
import { funnelBarChart } from '../../render/charts.js';
import type { SectionBuilder } from './sectionInput.js';

export interface StagesSectionContext {
  readonly users: string;
  readonly chartSvg: string;
  readonly progression: { from: string; to: string; users: string; rate: string }[];
  readonly largestDrop: string;
  readonly exitPages: { page: string; sessions: string; share: string }[];
}

/** Users per journey stage (the default stage map), progression between stages and where sessions end. */
export const buildStagesSection: SectionBuilder<'stages', StagesSectionContext> = async (
  input,
  section,
) => {
  const { fmt, range, definition } = input;
  const spec = parseStagesSpec({
    dateRange: range,
    includeIntraday: definition.includeIntraday,
    goal: input.goal.event,
    ...(input.goal.where.length ? { goalWhere: input.goal.where } : {}),
    topPages: 5,
    ...(section.identity ? { identity: section.identity } : {}),
  });
  const result = await runStages(input.engine, spec);
  const drop = result.painPoints.largestDrop;
  return {
    type: 'stages',
    partial: 'stages',
    title: section.title ?? 'Journey stages',
    context: {
      users: fmt.integer(result.users),
      chartSvg: funnelBarChart(
        result.stages.map((s) => ({ name: s.name, count: s.users })),
        undefined,
        false,
      ),
      progression: result.progression.map((p) => ({
        from: p.from,
        to: p.to,
        users: fmt.integer(p.users),
        rate: fmt.percent(p.rate),
      })),
      largestDrop: drop
        ? `The largest loss is from ${drop.from} to ${drop.to}: ${fmt.integer(drop.lost)} users (${fmt.percent(drop.rate)}).`
        : '',
      exitPages: result.painPoints.exitPages.map((e) => ({
        page: e.page,
        sessions: fmt.integer(e.sessions),
        share: fmt.percent(e.share),
      })),
    },
  };
};
