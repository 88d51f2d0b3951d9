import { modelText } from './predictionTable.js';
import type { PredictResult } from './runPredict.js';

const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  // Quote what a spreadsheet would split or read as a formula.
  return /[",\n\r]|^[=+\-@]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One row per user: where they are, the top 3 next steps and P(goal within H), with the model's window. */
export function predictionsCsv(result: PredictResult): string {
  const header = [
    'user_pseudo_id',
    'stage',
    'node',
    'previous_nodes',
    'last_seen',
    'next_1',
    'p_next_1',
    'next_2',
    'p_next_2',
    'next_3',
    'p_next_3',
    `p_${result.goal}_within_${result.horizonDays}d`,
    'context_order',
    'context_support',
    'model',
    'trained_from',
    'cutoff',
  ];
  const model = modelText(result);
  const lines = result.users.map((u) =>
    [
      u.user,
      u.stage,
      u.node,
      [...u.context].reverse().join(' → '),
      u.lastSeen,
      ...[0, 1, 2].flatMap((i) => {
        const n = u.next[i];
        return n ? [n.node, n.probability.toFixed(6)] : [null, null];
      }),
      u.goalProbability.toFixed(6),
      u.order,
      u.support,
      model,
      result.trainFrom,
      result.cutoff,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
