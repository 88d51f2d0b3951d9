import {
  parseAttributionSpec,
  type Touchpoint,
} from '../../analyses/attribution/attributionSpec.js';
import {
  runAttribution,
  type AttributionResult,
} from '../../analyses/attribution/runAttribution.js';
import type { Identity } from '../../sql/vocabulary/identity.js';
import type { SectionInput } from './sectionInput.js';

// The attribution sections of one report read the same run: one query per (touchpoint, lookback,
// identity).
const runs = new WeakMap<SectionInput, Map<string, Promise<AttributionResult>>>();

/** The report goal's attribution over the report's range, shared by the sections of one run. */
export function attributionRun(
  input: SectionInput,
  options: {
    touchpoint: Touchpoint;
    lookback: string;
    topPaths?: number | undefined;
    identity?: Identity | undefined;
  },
): Promise<AttributionResult> {
  const { touchpoint, lookback, topPaths = 10, identity = 'blended' } = options;
  const byKey = runs.get(input) ?? new Map<string, Promise<AttributionResult>>();
  runs.set(input, byKey);
  const key = `${touchpoint}|${lookback}|${topPaths}|${identity}`;
  let run = byKey.get(key);
  if (!run) {
    const spec = parseAttributionSpec({
      dateRange: input.range,
      includeIntraday: input.definition.includeIntraday,
      goal: {
        event: input.goal.event,
        ...(input.goal.where.length ? { where: input.goal.where } : {}),
        ...(input.goal.value === undefined ? {} : { value: input.goal.value }),
      },
      lookback,
      touchpoint,
      topPaths,
      identity,
    });
    run = runAttribution(input.engine, spec);
    byKey.set(key, run);
  }
  return run;
}

export const TOUCHPOINT_LABEL: Record<Touchpoint, string> = {
  channel: 'channel (GA4 default channel group)',
  source_medium: 'source / medium',
  campaign: 'campaign',
};
