import type { Credit, PathRow } from '../pathTable.js';
import { creditByWeights } from './weights.js';
/** The last touch that is not 'Direct'; an all-direct path credits its last (Direct) touch. */
export const lastNonDirect = (paths: readonly PathRow[], direct = 'Direct'): Credit =>
  creditByWeights(paths, (t) => {
    let k = t.length - 1;
    for (let i = t.length - 1; i >= 0; i--) {
      if (t[i]?.channel !== direct) {
        k = i;
        break;
      }
    }
    return t.map((_, i) => (i === k ? 1 : 0));
  });
