import { InputError } from '../../errors/errors.js';
import type { StageMap } from '../stages/stageMap.js';
import {
  MAX_DID_CONDITIONS,
  MAX_PERSONAS,
  MAX_PROPERTY_CONDITIONS,
  type Persona,
} from './personaSpec.js';

/** The first-touch, device and geo lists, as sql/journey_map.sql's first_touch columns and slots. */
const LISTS = [
  ['firstTouch', 'channel', 'channel', 'channel'],
  ['firstTouch', 'source', 'source', 'source'],
  ['firstTouch', 'medium', 'medium', 'medium'],
  ['firstTouch', 'campaign', 'campaign', 'campaign'],
  ['device', 'category', 'device_category', 'device'],
  ['device', 'operatingSystem', 'device_os', 'os'],
  ['device', 'browser', 'device_browser', 'browser'],
  ['geo', 'country', 'country', 'country'],
  ['geo', 'region', 'region', 'region'],
  ['geo', 'city', 'city', 'city'],
] as const;

export interface PersonaContext {
  k: number;
  lists: { column: string; slot: string }[];
  props: { id: string; keyRef: string; op: string; numeric: boolean }[];
  did: { id: string }[];
  stage: boolean;
  goal: boolean;
  value: boolean;
}

/**
 * Every persona slot of the map query bound (unused ones inert) and the template context of the
 * personas given, in order (persona k fills `@pk_*`). A `reachedStage` must name a stage of `map`.
 */
export function personaSlots(personas: readonly Persona[], map: StageMap, path = 'personas') {
  if (personas.length > MAX_PERSONAS) {
    throw new InputError(`${path}: at most ${MAX_PERSONAS} personas, got ${personas.length}`, path);
  }
  const params: Record<string, unknown> = {};
  for (let k = 1; k <= MAX_PERSONAS; k++) {
    for (const [, , , slot] of LISTS) params[`p${k}_${slot}`] = [];
    for (let j = 1; j <= MAX_PROPERTY_CONDITIONS; j++) {
      params[`p${k}_u${j}_key`] = null;
      params[`p${k}_u${j}_s`] = null;
      params[`p${k}_u${j}_n`] = null;
      params[`p${k}_u${j}_list`] = [];
    }
    for (let j = 1; j <= MAX_DID_CONDITIONS; j++) {
      params[`p${k}_d${j}_event`] = null;
      params[`p${k}_d${j}_n`] = null;
    }
    params[`p${k}_stage`] = null;
    params[`p${k}_goal`] = null;
    params[`p${k}_value`] = null;
    params[`p${k}_value_event`] = null;
  }
  const context: PersonaContext[] = personas.map((p, i) => {
    const k = i + 1;
    const lists = LISTS.flatMap(([group, field, column, slot]) => {
      const values = (p[group] as Record<string, string[] | undefined> | undefined)?.[field];
      if (!values) return [];
      params[`p${k}_${slot}`] = values;
      return [{ column, slot: `p${k}_${slot}` }];
    });
    const props = (p.userProperties ?? []).map((c, j) => {
      const id = `p${k}_u${j + 1}`;
      const numeric = ['gt', 'gte', 'lt', 'lte'].includes(c.op) || typeof c.value === 'number';
      params[`${id}_key`] = c.key;
      if (c.op === 'in') params[`${id}_list`] = c.values;
      else if (numeric) params[`${id}_n`] = Number(c.value);
      else params[`${id}_s`] = String(c.value);
      return { id, keyRef: `@${id}_key`, op: c.op, numeric };
    });
    const did = (p.behaviour?.did ?? []).map((d, j) => {
      const id = `p${k}_d${j + 1}`;
      params[`${id}_event`] = d.event;
      params[`${id}_n`] = d.atLeast;
      return { id };
    });
    const reached = p.behaviour?.reachedStage;
    if (reached !== undefined) {
      const s = map.stages.findIndex((x) => x.name === reached);
      if (s < 0) {
        const at = `${path}[${i}].behaviour.reachedStage`;
        throw new InputError(
          `${at}: no stage "${reached}" in the stage map (stages: ${map.stages.map((x) => x.name).join(', ')})`,
          at,
        );
      }
      params[`p${k}_stage`] = s + 1;
    }
    const converted = p.behaviour?.converted;
    if (converted !== undefined) params[`p${k}_goal`] = converted;
    const valueOver = p.behaviour?.valueOver;
    if (valueOver !== undefined) {
      params[`p${k}_value`] = valueOver.value;
      params[`p${k}_value_event`] = valueOver.event;
    }
    return {
      k,
      lists,
      props,
      did,
      stage: reached !== undefined,
      goal: converted !== undefined,
      value: valueOver !== undefined,
    };
  });
  return { params, context };
}
