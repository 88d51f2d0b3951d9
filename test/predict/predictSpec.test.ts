import { describe, expect, it } from 'vitest';
import { parsePredictSpec } from '../../src/analyses/predict/predictSpec.js';

describe('the predict spec', () => {
  it('defaults: event steps with noise excluded, orders up to 3, 7-day horizon', () => {
    expect(parsePredictSpec({ goal: 'purchase' })).toEqual({
      goal: 'purchase',
      nodeType: 'event',
      exclude: ['user_engagement', 'scroll', 'session_start', 'first_visit'],
      collapseRepeats: true,
      maxOrder: 3,
      minSupport: 30,
      horizonDays: 7,
      trainDays: 28,
      activeDays: 7,
      includeIntraday: true,
    });
  });

  it.each([
    [{ goal: 'purchase', maxOrder: 4 }, 'maxOrder: expected 1, 2 or 3'],
    [{ goal: 'purchase', horizonDays: 0 }, 'horizonDays: expected 1 to 90 days'],
    [{ goal: 'purchase', trainDays: 1.5 }, 'trainDays: expected a whole number of days, 1 to 365'],
    [{ goal: 'purchase', minSupport: 0 }, 'minSupport: expected at least 1'],
    [{ goal: 'purchase', nodeType: 'page' }, 'nodeType: '],
    [{ goal: 'purchase', asOf: '2026-02-30' }, 'asOf: expected a real calendar date'],
    [{ goal: 'purchase', exclude: ['bad name!'] }, 'exclude[0]: expected an event name'],
    [
      { goal: { event: 'purchase', where: [{ param: 'value', op: 'about', value: 1 }] } },
      'goal.where[0].op: ',
    ],
    [{ goal: 'purchase', horizon: 7 }, 'horizon'],
    [{}, 'goal: '],
  ])('%j is refused, naming the field', (input, message) => {
    expect(() => parsePredictSpec(input)).toThrow(message);
  });
});
