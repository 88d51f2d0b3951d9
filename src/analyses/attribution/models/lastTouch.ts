import type { Credit, PathRow } from '../pathTable.js';
import { creditByWeights } from './weights.js';
export const lastTouch = (paths: readonly PathRow[]): Credit =>
  creditByWeights(paths, (t) => t.map((_, i) => (i === t.length - 1 ? 1 : 0)));
