import { InputError } from '../../errors/errors.js';
import type { Persona } from '../personas/personaSpec.js';
import type { MapSpec } from './mapSpec.js';

/** Finds a saved persona by name (the store's, passed in so analyses stay below it). */
export type PersonaLookup = (name: string) => Promise<Persona | undefined>;

/** The spec's personas, names replaced by the saved definitions; an unknown name fails at its path. */
export async function resolvePersonas(spec: MapSpec, lookup?: PersonaLookup): Promise<Persona[]> {
  const out: Persona[] = [];
  for (const [i, ref] of spec.personas.entries()) {
    if (typeof ref !== 'string') {
      out.push(ref);
      continue;
    }
    const found = lookup ? await lookup(ref) : undefined;
    if (!found) {
      throw new InputError(`personas[${i}]: no saved persona named "${ref}"`, `personas[${i}]`);
    }
    out.push(found);
  }
  return out;
}
