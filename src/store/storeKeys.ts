import { InputError } from '../errors/errors.js';

/** The store's own limits on keys (its CHECK constraints), checked before a write reaches them. */
export const GOAL_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;
export const REPORT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A goal's name as the store keeps it, or an InputError on `name` a marketer can act on. */
export function checkGoalName(name: string): string {
  if (!GOAL_NAME.test(name))
    throw new InputError(
      'name: use letters, digits, spaces and _ . - only, starting with a letter or digit (at most 100)',
      'name',
    );
  return name;
}
