import type { Credit, PathRow } from '../pathTable.js';
import { creditByWeights } from './weights.js';
export const linear = (paths: readonly PathRow[]): Credit =>
  creditByWeights(paths, (t) => t.map(() => 1 / t.length));
