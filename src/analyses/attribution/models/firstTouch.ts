import type { Credit, PathRow } from '../pathTable.js';
import { creditByWeights } from './weights.js';
export const firstTouch = (paths: readonly PathRow[]): Credit =>
  creditByWeights(paths, (t) => t.map((_, i) => (i === 0 ? 1 : 0)));
