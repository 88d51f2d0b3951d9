import type { Credit, PathRow } from '../pathTable.js';
import { creditByWeights } from './weights.js';
/** 40/20/40: one touch 100%, two touches 50/50, 3+ touches 40% first, 40% last, 20% over the middle. */
export const positionBased = (paths: readonly PathRow[]): Credit =>
  creditByWeights(paths, (t) => {
    const n = t.length;
    if (n === 1) return [1];
    if (n === 2) return [0.5, 0.5];
    return t.map((_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2)));
  });
