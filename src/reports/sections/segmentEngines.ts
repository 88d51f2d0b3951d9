import type { Engine } from '../../engines/engine.js';
import { scopeEngine } from '../../sql/eventScope.js';
import type { SectionInput } from './sectionInput.js';

/**
 * One engine per report segment, reading the events of the segment's users (or sessions) within the
 * report's filters: a segment's figures are the same analysis on fewer events, so every section
 * that splits by segment agrees on who is in it.
 */
export function segmentEngines(
  input: Pick<SectionInput, 'engine' | 'definition'>,
): { name: string; engine: Engine }[] {
  return input.definition.segments.map((segment) => ({
    name: segment.name,
    engine: scopeEngine(input.engine, { filters: input.definition.filters, segment }),
  }));
}
