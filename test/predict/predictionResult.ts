import type { PredictResult } from '../../src/analyses/predict/runPredict.js';
import type { Scores } from '../../src/analyses/predict/scores.js';

const scores = (logLoss: number, auc: number | null): Scores => ({
  users: 2,
  goals: 1,
  logLoss,
  brier: 0.2,
  auc,
  movers: 2,
  top1: 0.5,
  top3: 1,
  calibration: [],
  topDecileLift: 2,
});

export const PREDICTED_AT = new Date('2026-11-01T06:30:00.000Z');

/** A prediction written by hand: two users, one with a full context, one on the overall rate. */
export const RESULT: PredictResult = {
  goal: 'purchase',
  nodeType: 'event',
  cutoff: '2026-11-01T00:00:00.000Z',
  trainFrom: '2026-10-04T00:00:00.000Z',
  activeFrom: '2026-10-25T00:00:00.000Z',
  horizonDays: 7,
  maxOrder: 3,
  minSupport: 20,
  trainingPositions: 1234,
  users: [
    {
      user: 'u1',
      stage: 'Consideration',
      node: 'add_to_cart',
      context: ['view_item', 'page_view'],
      lastSeen: '2026-10-30T12:00:00.000Z',
      order: 3,
      support: 41,
      next: [
        { node: 'begin_checkout', probability: 0.5 },
        { node: 'view_item', probability: 0.25 },
        { node: 'purchase', probability: 0.125 },
      ],
      goalProbability: 0.375,
    },
    {
      user: "o'brien",
      stage: null,
      node: 'page_view',
      context: [],
      lastSeen: '2026-10-26T08:15:00.000Z',
      order: 0,
      support: 1234,
      next: [{ node: 'view_item', probability: 0.6 }],
      goalProbability: 0.03125,
    },
  ],
  backtest: {
    cutoff: '2026-10-25T00:00:00.000Z',
    trainFrom: '2026-09-27T00:00:00.000Z',
    horizonEnd: '2026-11-01T00:00:00.000Z',
    trainingPositions: 1000,
    model: scores(0.25, 0.75),
    overall: scores(0.5, null),
    firstOrder: scores(0.375, 0.625),
    beatsOverall: { logLoss: true, brier: false },
    verdict: 'The model beats the overall rate on log loss only, not on Brier score.',
  },
  sql: { contexts: '', users: '' },
};

const common = {
  goal: 'purchase',
  horizon_days: 7,
  model: 'variable-order Markov, orders up to 3, min support 20, event nodes',
  trained_from: '2026-10-04T00:00:00.000Z',
  cutoff: '2026-11-01T00:00:00.000Z',
  active_from: '2026-10-25T00:00:00.000Z',
  predicted_at: '2026-11-01T06:30:00.000Z',
};

export type ExpectedRow = Record<string, string | number | null>;

/** The rows the table must hold for RESULT, written out column by column. */
export const EXPECTED_ROWS: ExpectedRow[] = [
  {
    user_pseudo_id: 'u1',
    stage: 'Consideration',
    node: 'add_to_cart',
    previous_nodes: 'page_view → view_item',
    last_seen: '2026-10-30T12:00:00.000Z',
    next_1: 'begin_checkout',
    p_next_1: 0.5,
    next_2: 'view_item',
    p_next_2: 0.25,
    next_3: 'purchase',
    p_next_3: 0.125,
    ...common,
    p_goal: 0.375,
    context_order: 3,
    context_support: 41,
  },
  {
    user_pseudo_id: "o'brien",
    stage: null,
    node: 'page_view',
    previous_nodes: null,
    last_seen: '2026-10-26T08:15:00.000Z',
    next_1: 'view_item',
    p_next_1: 0.6,
    next_2: null,
    p_next_2: null,
    next_3: null,
    p_next_3: null,
    ...common,
    p_goal: 0.03125,
    context_order: 0,
    context_support: 1234,
  },
];

export const EXPECTED_DESCRIPTION = [
  'Pathlight predictions: P(purchase within 7 days) and the likeliest next steps for 2 users active from 2026-10-25T00:00:00.000Z to 2026-11-01T00:00:00.000Z.',
  'Model: variable-order Markov, orders up to 3, min support 20, event nodes; fitted on 2026-10-04T00:00:00.000Z to 2026-11-01T00:00:00.000Z (1234 training positions). Written 2026-11-01T06:30:00.000Z.',
  'Backtest at 2026-10-25T00:00:00.000Z (scored to 2026-11-01T00:00:00.000Z), log loss model 0.2500 vs overall rate 0.5000 vs first-order 0.3750; AUC 0.750. The model beats the overall rate on log loss only, not on Brier score.',
].join('\n');

export const EXPECTED_LABELS = {
  app: 'pathlight',
  content: 'predictions',
  goal: 'purchase',
  horizon_days: '7',
  trained_from: '2026-10-04',
  cutoff: '2026-11-01',
};
