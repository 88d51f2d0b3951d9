import { describe, expect, it } from 'vitest';
import { backtestFromRows } from '../../src/analyses/predict/runPredict.js';
import { predictWindow } from '../../src/analyses/predict/predictQuery.js';
import { parsePredictSpec } from '../../src/analyses/predict/predictSpec.js';
import {
  auc,
  brier,
  calibration,
  logLoss,
  score,
  topDecileLift,
  type Scored,
} from '../../src/analyses/predict/scores.js';

const s = (
  p: number,
  goal: boolean,
  ranked: string[] = [],
  actual: string | null = null,
): Scored => ({
  p,
  goal,
  ranked,
  actual,
});
// Four users: 0.8 converted, 0.4 not, 0.4 converted, 0.1 not.
const FOUR = [
  s(0.8, true, ['a', 'b', 'c'], 'a'),
  s(0.4, false, ['a', 'b', 'c'], 'c'),
  s(0.4, true, ['b', 'a', 'c'], 'd'),
  s(0.1, false, ['a'], null),
];

describe('scores, worked by hand', () => {
  it('log loss: −(ln 0.8 + ln 0.6 + ln 0.4 + ln 0.9) / 4', () => {
    expect(logLoss(FOUR)).toBeCloseTo(0.4389051056530454, 12);
  });

  it('Brier: (0.2² + 0.4² + 0.6² + 0.1²) / 4 = 0.1425', () => {
    expect(brier(FOUR)).toBeCloseTo(0.1425, 12);
  });

  it('AUC: 4 converter/non-converter pairs, 3 won and 1 tied: 3.5 / 4', () => {
    expect(auc(FOUR)).toBe(0.875);
    expect(auc([s(0.3, true), s(0.3, true)])).toBeNull();
  });

  it('top-1 and top-3 among the users who took a next step', () => {
    const r = score(FOUR);
    // Movers: a (top-1 hit), c (third), d (missed).
    expect([r.movers, r.top1, r.top3]).toEqual([3, 1 / 3, 2 / 3]);
  });

  it('calibration in tenths by predicted P(goal), and the top tenth lift', () => {
    // 20 users with P = k/20; converters at k = 3, 10, 17, 18, 19 (overall 5 of 20).
    const items = Array.from({ length: 20 }, (_, k) => s(k / 20, [3, 10, 17, 18, 19].includes(k)));
    const table = score(items).calibration;
    expect(table.map((r) => r.users)).toEqual(Array(10).fill(2));
    expect(table.map((r) => r.predicted)).toEqual(
      [0.025, 0.125, 0.225, 0.325, 0.425, 0.525, 0.625, 0.725, 0.825, 0.925].map((x) =>
        expect.closeTo(x, 12),
      ),
    );
    expect(table.map((r) => r.observed)).toEqual([0, 0.5, 0, 0, 0, 0.5, 0, 0, 0.5, 1]);
    // Top tenth: both converted (rate 1) over the overall 0.25.
    expect(score(items).topDecileLift).toBe(4);
  });

  it('twelve users fall into tenths ⌊10·i / 12⌋: sizes 2,1,1,1,1,2,1,1,1,1', () => {
    const items = Array.from({ length: 12 }, (_, k) => s(k / 12, false));
    expect(calibration(items).map((r) => r.users)).toEqual([2, 1, 1, 1, 1, 2, 1, 1, 1, 1]);
    expect(score(items).topDecileLift).toBeNull();
  });

  it('lift over a top tenth of 1.2 users: the highest whole, a fifth of the next', () => {
    // P = k/12, converters at k = 10 and 11: the top 1.2 users hold 1.2 conversions (rate 1);
    // everyone's rate is 2/12, so the lift is 6.
    const items = Array.from({ length: 12 }, (_, k) => s(k / 12, k >= 10));
    expect(topDecileLift(items)).toBeCloseTo(6, 12);
    // Only k = 11 converting: 1 of 1.2 over 1/12 is 10.
    expect(topDecileLift(items.map((x, k) => ({ ...x, goal: k === 11 })))).toBeCloseTo(10, 12);
  });

  it('a model that gives everyone the same P has a lift of exactly 1, whatever the order', () => {
    const items = Array.from({ length: 20 }, (_, k) => s(0.3, k % 4 === 0));
    expect(topDecileLift(items)).toBeCloseTo(1, 12);
    expect(topDecileLift([...items].reverse())).toBeCloseTo(1, 12);
  });
});

describe('the backtest verdict', () => {
  const spec = parsePredictSpec({
    goal: 'purchase',
    asOf: '2020-11-10',
    minSupport: 1,
    maxOrder: 1,
  });
  const window = predictWindow(spec, '2020-11-10');
  // Training: after A, 1 of 2 positions converted; after B, 1 of 2: every context is the overall rate.
  const flat = [
    { context_order: 1, c1: 'A', c2: null, c3: null, next_node: null, positions: 2, goals: 1 },
    { context_order: 1, c1: 'B', c2: null, c3: null, next_node: null, positions: 2, goals: 1 },
  ];
  const users = [
    { user_pseudo_id: 'x', c1: 'A', c2: null, c3: null, next_node: null, goal: true },
    { user_pseudo_id: 'y', c1: 'B', c2: null, c3: null, next_node: null, goal: false },
  ];

  it('says so when the model does not beat the overall rate', () => {
    const r = backtestFromRows(spec, window, flat, users);
    // Model: A → (1 + 1/2)/3 = 1/2, B → 1/2: the same as the overall 1/2, so no better.
    expect(r.model.brier).toBe(0.25);
    expect(r.overall.brier).toBe(0.25);
    expect(r.beatsOverall).toEqual({ logLoss: false, brier: false });
    expect(r.verdict).toBe(
      'The model does not beat the overall rate: its P(goal) is no better than giving everyone the same rate. Only 1 scored user reached the goal, too few for these scores to settle it either way.',
    );
  });

  it('with ten converters the scores stand without the caveat', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({
      user_pseudo_id: `u${i}`,
      c1: i % 2 ? 'B' : 'A',
      c2: null,
      c3: null,
      next_node: null,
      goal: i % 2 === 0,
    }));
    const telling = [
      { ...flat[0], goals: 2 },
      { ...flat[1], goals: 0 },
    ];
    expect(backtestFromRows(spec, window, telling, many).verdict).toBe(
      'The model beats the overall rate on log loss and Brier score.',
    );
  });

  it('and when it does', () => {
    const telling = [
      { ...flat[0], goals: 2 },
      { ...flat[1], goals: 0 },
    ];
    const r = backtestFromRows(spec, window, telling, users);
    // Overall 2/4 = 1/2; A → (2 + 1/2)/3 = 5/6, B → (0 + 1/2)/3 = 1/6.
    expect(r.model.brier).toBeCloseTo((1 / 6) ** 2, 12);
    expect(r.overall.brier).toBe(0.25);
    expect(r.verdict).toBe(
      'The model beats the overall rate on log loss and Brier score. Only 1 scored user reached the goal, too few for these scores to settle it either way.',
    );
    expect(r.trainingPositions).toBe(4);
  });
});
