import type { Persona } from '../../analyses/personas/personaSpec.js';
import { PROPERTY_OPS } from './personaForm.js';

const or = (values: readonly string[]) => values.join(' or ');

/** A persona's conditions in one line a marketer reads, joined by "and" (they all must hold). */
export function personaSummary(p: Persona): string {
  const parts: string[] = [];
  const lists: [string, readonly string[] | undefined][] = [
    ['first touch channel', p.firstTouch?.channel],
    ['first touch source', p.firstTouch?.source],
    ['first touch medium', p.firstTouch?.medium],
    ['first touch campaign', p.firstTouch?.campaign],
    ['device', p.device?.category],
    ['operating system', p.device?.operatingSystem],
    ['browser', p.device?.browser],
    ['country', p.geo?.country],
    ['region', p.geo?.region],
    ['city', p.geo?.city],
  ];
  for (const [label, values] of lists) if (values?.length) parts.push(`${label} ${or(values)}`);
  for (const c of p.userProperties ?? []) {
    const op = PROPERTY_OPS.find((o) => o.value === c.op)?.label ?? c.op;
    parts.push(`${c.key} ${op} ${c.op === 'in' ? or(c.values ?? []) : String(c.value)}`);
  }
  for (const d of p.behaviour?.did ?? []) parts.push(`did ${d.event} at least ${d.atLeast}×`);
  if (p.behaviour?.reachedStage) parts.push(`reached ${p.behaviour.reachedStage}`);
  if (p.behaviour?.converted) parts.push(`converted on ${p.behaviour.converted}`);
  if (p.behaviour?.valueOver)
    parts.push(`${p.behaviour.valueOver.event} value over ${p.behaviour.valueOver.value}`);
  return parts.join(' and ');
}
