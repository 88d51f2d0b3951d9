import type { Credit, PathRow } from '../pathTable.js';
import { creditByWeights } from './weights.js';
export const DEFAULT_HALF_LIFE_SECONDS = 7 * 86400;
/** Weight 0.5^(age/half-life) per touch, normalized per path (exact: rows keep their own ages). */
export const timeDecay = (
  paths: readonly PathRow[],
  halfLifeSeconds = DEFAULT_HALF_LIFE_SECONDS,
): Credit =>
  creditByWeights(paths, (t) => {
    const w = t.map((x) => Math.pow(0.5, Math.max(0, x.secondsBeforeEnd) / halfLifeSeconds));
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / s);
  });
