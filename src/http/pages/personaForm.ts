import {
  MAX_DID_CONDITIONS,
  MAX_PROPERTY_CONDITIONS,
  type Persona,
} from '../../analyses/personas/personaSpec.js';
import { InputError } from '../../errors/errors.js';
import { CHANNEL_GROUPS } from '../../sql/vocabulary/channelRules.js';
import { field, fields } from './pageDeps.js';

/** GA4's device categories, offered as boxes; others can still come through the API. */
export const DEVICE_CATEGORIES = ['desktop', 'mobile', 'tablet', 'smart tv'] as const;
export const PROPERTY_OPS: readonly { value: string; label: string }[] = [
  { value: 'eq', label: 'is' },
  { value: 'neq', label: 'is not' },
  { value: 'in', label: 'is one of' },
  { value: 'contains', label: 'contains' },
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
];
const NUMERIC_OPS = ['gt', 'gte', 'lt', 'lte'];

/** The text lists of the form: `group.field` names, as the persona's paths spell them. */
export const LIST_FIELDS = [
  'firstTouch.source',
  'firstTouch.medium',
  'firstTouch.campaign',
  'device.operatingSystem',
  'device.browser',
  'geo.country',
  'geo.region',
  'geo.city',
] as const;

/** A list typed as "a, b; c" (commas, semicolons or new lines), empty entries dropped. */
export const listOf = (text: string): string[] =>
  text
    .split(/[,;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The form's values as typed: what the page shows back, whatever happens. */
export type PersonaFormValues = Record<string, string | string[]>;

export function formValuesOf(body: unknown): PersonaFormValues {
  const out: PersonaFormValues = {
    name: field(body, 'name'),
    description: field(body, 'description'),
    'firstTouch.channel': fields(body, 'firstTouch.channel'),
    'device.category': fields(body, 'device.category'),
    'behaviour.reachedStage': field(body, 'behaviour.reachedStage'),
    'behaviour.converted': field(body, 'behaviour.converted'),
    'behaviour.valueOver.value': field(body, 'behaviour.valueOver.value'),
    'behaviour.valueOver.event': field(body, 'behaviour.valueOver.event'),
  };
  for (const name of LIST_FIELDS) out[name] = field(body, name);
  for (let j = 0; j < MAX_PROPERTY_CONDITIONS; j++)
    for (const part of ['key', 'op', 'value'])
      out[`userProperties.${j}.${part}`] = field(body, `userProperties.${j}.${part}`);
  for (let j = 0; j < MAX_DID_CONDITIONS; j++)
    for (const part of ['event', 'atLeast'])
      out[`behaviour.did.${j}.${part}`] = field(body, `behaviour.did.${j}.${part}`);
  return out;
}

const text = (v: PersonaFormValues, name: string) => {
  const x = v[name];
  return typeof x === 'string' ? x : '';
};
const list = (v: PersonaFormValues, name: string) => {
  const x = v[name];
  return Array.isArray(x) ? x.filter(Boolean) : [];
};

/** Only the groups with something in them, so an empty group is not sent as a condition. */
const group = (entries: [string, unknown][]) => {
  const kept = entries.filter(([, x]) => x !== undefined);
  return kept.length ? Object.fromEntries(kept) : undefined;
};

/**
 * A persona's raw input from the form (the schema checks it). Numbers that are not numbers fail
 * here, on their own field, in plain words; a value of a ">" condition is sent as a number.
 */
export function personaInputOf(v: PersonaFormValues): Record<string, unknown> {
  const typedList = (name: string) => {
    const values = listOf(text(v, name));
    return values.length ? values : undefined;
  };
  const boxes = (name: string) => (list(v, name).length ? list(v, name) : undefined);
  const properties = [...Array(MAX_PROPERTY_CONDITIONS).keys()].flatMap((j) => {
    const at = `userProperties.${j}`;
    const key = text(v, `${at}.key`);
    const value = text(v, `${at}.value`);
    if (!key && !value) return [];
    const op = text(v, `${at}.op`) || 'eq';
    if (op === 'in') return [{ key, op, values: listOf(value) }];
    if (value === '') return [{ key, op }];
    const n = Number(value);
    const numeric = NUMERIC_OPS.includes(op) && value.trim() !== '' && Number.isFinite(n);
    return [{ key, op, value: numeric ? n : value }];
  });
  const did = [...Array(MAX_DID_CONDITIONS).keys()].flatMap((j) => {
    const at = `behaviour.did.${j}`;
    const event = text(v, `${at}.event`);
    const atLeast = text(v, `${at}.atLeast`);
    if (!event && !atLeast) return [];
    if (atLeast && !/^\d+$/.test(atLeast))
      throw new InputError(
        `behaviour.did[${j}].atLeast: must be a whole number, like 2`,
        `behaviour.did[${j}].atLeast`,
      );
    return [{ event, ...(atLeast ? { atLeast: Number(atLeast) } : {}) }];
  });
  const over = text(v, 'behaviour.valueOver.value');
  const overEvent = text(v, 'behaviour.valueOver.event');
  if (over && !Number.isFinite(Number(over)))
    throw new InputError(
      'behaviour.valueOver.value: must be a number, like 100',
      'behaviour.valueOver.value',
    );
  if (!over && overEvent)
    throw new InputError(
      'behaviour.valueOver.value: give the value to be over, or clear the event',
      'behaviour.valueOver.value',
    );
  const input: Record<string, unknown> = {
    name: text(v, 'name'),
    description: text(v, 'description'),
    firstTouch: group([
      ['channel', boxes('firstTouch.channel')],
      ['source', typedList('firstTouch.source')],
      ['medium', typedList('firstTouch.medium')],
      ['campaign', typedList('firstTouch.campaign')],
    ]),
    device: group([
      ['category', boxes('device.category')],
      ['operatingSystem', typedList('device.operatingSystem')],
      ['browser', typedList('device.browser')],
    ]),
    geo: group([
      ['country', typedList('geo.country')],
      ['region', typedList('geo.region')],
      ['city', typedList('geo.city')],
    ]),
    userProperties: properties.length ? properties : undefined,
    behaviour: group([
      ['did', did.length ? did : undefined],
      ['reachedStage', text(v, 'behaviour.reachedStage') || undefined],
      ['converted', text(v, 'behaviour.converted') || undefined],
      [
        'valueOver',
        over ? { value: Number(over), ...(overEvent ? { event: overEvent } : {}) } : undefined,
      ],
    ]),
  };
  return Object.fromEntries(Object.entries(input).filter(([, x]) => x !== undefined));
}

/** A saved persona as the form's values, to edit it. */
export function formValuesFromPersona(p: Persona): PersonaFormValues {
  const joined = (values: readonly string[] | undefined) => (values ?? []).join(', ');
  const out: PersonaFormValues = formValuesOf({});
  out.name = p.name;
  out.description = p.description;
  out['firstTouch.channel'] = [...(p.firstTouch?.channel ?? [])];
  out['device.category'] = [...(p.device?.category ?? [])];
  for (const name of LIST_FIELDS) {
    const [g, f] = name.split('.') as [string, string];
    const groupValues = (p as unknown as Record<string, Record<string, string[]> | undefined>)[g];
    out[name] = joined(groupValues?.[f]);
  }
  (p.userProperties ?? []).forEach((c, j) => {
    out[`userProperties.${j}.key`] = c.key;
    out[`userProperties.${j}.op`] = c.op;
    out[`userProperties.${j}.value`] =
      c.op === 'in' ? joined(c.values) : c.value === undefined ? '' : String(c.value);
  });
  (p.behaviour?.did ?? []).forEach((d, j) => {
    out[`behaviour.did.${j}.event`] = d.event;
    out[`behaviour.did.${j}.atLeast`] = String(d.atLeast);
  });
  out['behaviour.reachedStage'] = p.behaviour?.reachedStage ?? '';
  out['behaviour.converted'] = p.behaviour?.converted ?? '';
  out['behaviour.valueOver.value'] =
    p.behaviour?.valueOver === undefined ? '' : String(p.behaviour.valueOver.value);
  out['behaviour.valueOver.event'] = p.behaviour?.valueOver?.event ?? '';
  return out;
}

/**
 * The form field holding a path of the persona: `userProperties[1].value` → `userProperties.1.value`.
 * A path inside a list (`geo.country[2]`) is that list's field; the whole persona has none.
 */
export function personaFieldOf(path: string): string | undefined {
  if (path === '') return undefined;
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  const listItem = /^(firstTouch\.\w+|device\.\w+|geo\.\w+)(\.\d+)?$/.exec(dotted);
  if (listItem) return listItem[1];
  if (/^userProperties\.\d+\.(key|op|value)$/.test(dotted)) return dotted;
  if (/^userProperties\.\d+\.values(\.\d+)?$/.test(dotted))
    return dotted.replace(/\.values(\.\d+)?$/, '.value');
  if (/^userProperties\.\d+$/.test(dotted)) return `${dotted}.key`;
  if (/^behaviour\.did\.\d+\.(event|atLeast)$/.test(dotted)) return dotted;
  if (/^behaviour\.valueOver\.(value|event)$/.test(dotted)) return dotted;
  if (dotted === 'behaviour.valueOver') return 'behaviour.valueOver.value';
  if (['name', 'description', 'behaviour.reachedStage', 'behaviour.converted'].includes(dotted))
    return dotted;
  return undefined;
}

/** The channel boxes and device boxes with what is ticked. */
export const channelChoices = (v: PersonaFormValues) =>
  CHANNEL_GROUPS.map((c) => ({ value: c, checked: list(v, 'firstTouch.channel').includes(c) }));
export const deviceChoices = (v: PersonaFormValues) =>
  DEVICE_CATEGORIES.map((c) => ({ value: c, checked: list(v, 'device.category').includes(c) }));
