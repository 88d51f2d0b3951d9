import { IDENTITIES } from '../../sql/vocabulary/identity.js';
import { CHOICE_WORDS } from './sectionWords.js';

/**
 * The "Whose journey" picker's options, as the report editor words them. A value the list does
 * not hold stays what was sent (the spec then names it in its error), so nothing is reset.
 */
export function identityChoices(chosen: string) {
  const value = chosen || 'blended';
  return IDENTITIES.map((id) => ({
    value: id,
    label: CHOICE_WORDS[id] ?? id,
    selected: id === value,
  }));
}
