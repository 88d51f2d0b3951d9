import type { PredictResult } from './runPredict.js';

export type PredictionColumnType = 'STRING' | 'FLOAT64' | 'INT64' | 'TIMESTAMP';

export interface PredictionColumn {
  readonly name: string;
  readonly type: PredictionColumnType;
  readonly description: string;
}

export type PredictionRow = Record<string, string | number | null>;

/**
 * One row per user, the same columns on every engine. The goal and horizon are columns (not in
 * the column names) so an audience query reads `p_goal` whatever the spec; the model and the data
 * range it was fitted on ride on every row, so no row can be read apart from them.
 */
export const PREDICTION_COLUMNS: readonly PredictionColumn[] = [
  { name: 'user_pseudo_id', type: 'STRING', description: 'the GA4 device or browser id' },
  { name: 'stage', type: 'STRING', description: 'latest stage reached before the cutoff' },
  { name: 'node', type: 'STRING', description: "the user's latest step" },
  {
    name: 'previous_nodes',
    type: 'STRING',
    description: 'up to two steps before it, oldest first',
  },
  { name: 'last_seen', type: 'TIMESTAMP', description: "the latest step's time" },
  ...[1, 2, 3].flatMap((i): PredictionColumn[] => [
    { name: `next_${i}`, type: 'STRING', description: `likeliest next step number ${i}` },
    { name: `p_next_${i}`, type: 'FLOAT64', description: `its probability` },
  ]),
  { name: 'goal', type: 'STRING', description: 'the goal event predicted' },
  { name: 'horizon_days', type: 'INT64', description: 'H: the goal is predicted within H days' },
  { name: 'p_goal', type: 'FLOAT64', description: 'P(goal within H days of the cutoff)' },
  { name: 'context_order', type: 'INT64', description: 'steps of context used (0: overall rate)' },
  { name: 'context_support', type: 'INT64', description: 'training positions behind the guess' },
  { name: 'model', type: 'STRING', description: 'the model and its settings' },
  { name: 'trained_from', type: 'TIMESTAMP', description: 'the model was fitted on events from' },
  { name: 'cutoff', type: 'TIMESTAMP', description: '...to this moment, where users are placed' },
  { name: 'active_from', type: 'TIMESTAMP', description: 'users seen since this are predicted' },
  { name: 'predicted_at', type: 'TIMESTAMP', description: 'when this table was written' },
];

/** The model in words, as the CSV and the table name it. */
export const modelText = (r: PredictResult): string =>
  `variable-order Markov, orders up to ${r.maxOrder}, min support ${r.minSupport}, ${r.nodeType} nodes`;

export function predictionRows(result: PredictResult, predictedAt: Date): PredictionRow[] {
  const model = modelText(result);
  return result.users.map((u) => ({
    user_pseudo_id: u.user,
    stage: u.stage,
    node: u.node,
    previous_nodes: [...u.context].reverse().join(' → ') || null,
    last_seen: u.lastSeen,
    ...Object.fromEntries(
      [0, 1, 2].flatMap((i) => [
        [`next_${i + 1}`, u.next[i]?.node ?? null],
        [`p_next_${i + 1}`, u.next[i]?.probability ?? null],
      ]),
    ),
    goal: result.goal,
    horizon_days: result.horizonDays,
    p_goal: u.goalProbability,
    context_order: u.order,
    context_support: u.support,
    model,
    trained_from: result.trainFrom,
    cutoff: result.cutoff,
    active_from: result.activeFrom,
    predicted_at: predictedAt.toISOString(),
  }));
}

const fixed = (x: number | null, digits: number) => (x === null ? 'n/a' : x.toFixed(digits));

/** The table's description: what it holds, the model, the data range and how the backtest scored. */
export function predictionTableDescription(result: PredictResult, predictedAt: Date): string {
  const b = result.backtest;
  return [
    `Pathlight predictions: P(${result.goal} within ${result.horizonDays} days) and the likeliest next steps for ${result.users.length} users active from ${result.activeFrom} to ${result.cutoff}.`,
    `Model: ${modelText(result)}; fitted on ${result.trainFrom} to ${result.cutoff} (${result.trainingPositions} training positions). Written ${predictedAt.toISOString()}.`,
    `Backtest at ${b.cutoff} (scored to ${b.horizonEnd}), log loss model ${fixed(b.model.logLoss, 4)} vs overall rate ${fixed(b.overall.logLoss, 4)} vs first-order ${fixed(b.firstOrder.logLoss, 4)}; AUC ${fixed(b.model.auc, 3)}. ${b.verdict}`,
  ].join('\n');
}

/** Label values: lowercase letters, digits, `_` and `-`, at most 63 characters. */
const labelValue = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);

/** Labels to find and filter prediction tables by: what wrote them, the goal, the data range. */
export function predictionTableLabels(result: PredictResult): Record<string, string> {
  return {
    app: 'pathlight',
    content: 'predictions',
    goal: labelValue(result.goal),
    horizon_days: String(result.horizonDays),
    trained_from: result.trainFrom.slice(0, 10),
    cutoff: result.cutoff.slice(0, 10),
  };
}
