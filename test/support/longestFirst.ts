import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that took longest in CI (30-140 s each on a loaded 2-core machine), longest first. With
 * two forks, a long file that starts last stretches the whole run by its length. Vitest orders by
 * the durations it cached on an earlier run, but CI starts without that cache and falls back to
 * source size, which puts several of these short sources near the end.
 */
const LONGEST = [
  'test/sql/differential.zetasql.test.ts',
  'test/funnel/funnel.property.test.ts',
  'test/pages/formFuzz.browser.test.ts',
  'test/scheduler/chaosDst.test.ts',
  'test/pages/allPages.browser.test.ts',
  'test/pages/reportEditorLists.browser.test.ts',
];

/** Kinds that start a browser, ZetaSQL or many random cases: long, so early, after LONGEST. */
const SLOW_KIND = /\.(browser|zetasql|property)\.test\.ts$/;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const known = LONGEST.findIndex((path) => spec.moduleId.endsWith(path));
      if (known >= 0) return known;
      return SLOW_KIND.test(spec.moduleId) ? LONGEST.length : LONGEST.length + 1;
    };
    // A stable sort: within a rank, vitest's own order (cached durations, else size) stays.
    return ordered
      .map((spec, index) => ({ spec, index, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
