import type { Credit, PathRow } from '../pathTable.js';
import { firstTouch } from './firstTouch.js';
import { lastNonDirect } from './lastNonDirect.js';
import { lastTouch } from './lastTouch.js';
import { linear } from './linear.js';
import { markov } from './markov.js';
import { positionBased } from './positionBased.js';
import { DEFAULT_HALF_LIFE_SECONDS, timeDecay } from './timeDecay.js';

export {
  firstTouch,
  lastTouch,
  lastNonDirect,
  linear,
  positionBased,
  timeDecay,
  markov,
  DEFAULT_HALF_LIFE_SECONDS,
};
export { collapseRepeats, solveLinear, conversionProbability, transitionCounts } from './markov.js';

export const MODELS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'position_based',
  'time_decay',
  'markov',
] as const;
export type ModelName = (typeof MODELS)[number];
export type PerModel = Record<ModelName, number>;

export interface AttributeOptions {
  halfLifeSeconds?: number;
  directChannel?: string;
}
export interface ChannelAttribution {
  channel: string;
  conversions: PerModel;
  revenue: PerModel;
  /** Markov removal effect; 0 when nothing converts (P = 0). */
  removalEffect: number;
  /** Credited conversions of each model minus last-touch credited conversions (absolute delta). */
  changeVsLastTouch: PerModel;
}
export interface Attribution {
  conversions: number;
  revenue: number;
  channels: ChannelAttribution[];
}

export function attribute(paths: readonly PathRow[], options: AttributeOptions = {}): Attribution {
  const mk = markov(paths);
  const credits: Record<ModelName, Credit> = {
    first_touch: firstTouch(paths),
    last_touch: lastTouch(paths),
    last_non_direct: lastNonDirect(paths, options.directChannel),
    linear: linear(paths),
    position_based: positionBased(paths),
    time_decay: timeDecay(paths, options.halfLifeSeconds),
    markov: mk,
  };
  const names = [...new Set(paths.flatMap((p) => p.touches.map((t) => t.channel)))].sort();
  const pick = (f: (m: ModelName) => number): PerModel =>
    Object.fromEntries(MODELS.map((m) => [m, f(m)])) as PerModel;
  const channels = names.map((channel) => {
    const conversions = pick((m) => credits[m].conversions.get(channel) ?? 0);
    return {
      channel,
      conversions,
      revenue: pick((m) => credits[m].revenue.get(channel) ?? 0),
      removalEffect: mk.removalEffect.get(channel) ?? 0,
      changeVsLastTouch: pick((m) => conversions[m] - conversions.last_touch),
    };
  });
  channels.sort(
    (a, b) =>
      b.conversions.last_touch - a.conversions.last_touch || a.channel.localeCompare(b.channel),
  );
  return {
    conversions: paths.reduce((s, p) => s + p.conversions, 0),
    revenue: paths.reduce((s, p) => s + p.revenue, 0),
    channels,
  };
}
