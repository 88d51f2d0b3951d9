import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/errors.js';
import { fieldMessage, pathLabel, plainWords } from '../../src/http/pages/pageError.js';

describe('an error in the words a page shows', () => {
  it('says what a condition needs, not the validator', () => {
    expect(plainWords('gt: expected a number')).toBe(
      '“more than” compares numbers: write a number',
    );
    expect(plainWords('lte: expected a number')).toBe('“at most” compares numbers: write a number');
    expect(plainWords('eq: expected a value')).toBe('needs a value to compare with');
    expect(plainWords('in: expected values')).toBe('needs the values to match, one or more');
  });

  it('takes the path off a message shown under its field', () => {
    const error = new InputError(
      'userProperties[0].value: gt: expected a number',
      'userProperties[0].value',
    );
    expect(fieldMessage(error)).toBe('“more than” compares numbers: write a number');
  });

  it('leaves words that are already plain as they are', () => {
    expect(plainWords('must be on or after the start date (2024-03-01)')).toBe(
      'must be on or after the start date (2024-03-01)',
    );
  });

  it('counts positions from 1 as the page does', () => {
    expect(pathLabel('sections[4].lookback')).toBe('Section 5 · lookback');
    expect(pathLabel('funnel.steps[0].within')).toBe('funnel · Step 1 · within');
    expect(pathLabel('sections[1].funnel.steps[1].where[0].value')).toBe(
      'Section 2 · funnel · Step 2 · condition 1 · value',
    );
  });
});
