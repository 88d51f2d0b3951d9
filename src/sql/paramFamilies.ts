import type { ParamType } from '../engines/engine.js';

/** One parameter of a slot family: its suffix, type and the example `pathlight sql` shows. */
interface Member {
  readonly suffix: string;
  readonly type: ParamType;
  readonly example: string;
}

/**
 * Parameters that come in numbered slots, declared once here rather than line by line in every
 * query: a query says `-- @params condition c1..c30` and gets c1_key, c1_s, ... c30_nums.
 * The members follow what the partials bind: a condition (`partials/condition.sql`) has a key, a
 * string, two numbers and two lists; a funnel step an event and a `within` bound; an exclusion an
 * event; a stage rule an event and the occurrence it counts.
 */
export const PARAM_FAMILIES: Readonly<Record<string, readonly Member[]>> = {
  condition: [
    { suffix: 'key', type: 'STRING', example: 'currency' },
    { suffix: 's', type: 'STRING', example: 'USD' },
    { suffix: 'n', type: 'FLOAT64', example: '0' },
    { suffix: 'n2', type: 'FLOAT64', example: '0' },
    { suffix: 'list', type: 'ARRAY<STRING>', example: 'USD' },
    { suffix: 'nums', type: 'ARRAY<FLOAT64>', example: '1' },
  ],
  step: [
    { suffix: 'event', type: 'STRING', example: 'view_item' },
    { suffix: 'within_us', type: 'INT64', example: '3600000000' },
  ],
  exclusion: [{ suffix: 'event', type: 'STRING', example: 'refund' }],
  rule: [
    { suffix: 'event', type: 'STRING', example: 'page_view' },
    { suffix: 'occurrence', type: 'INT64', example: '1' },
  ],
};

const DIRECTIVE =
  /^@params\s+([a-z]+)\s+([a-z]+)(\d+)\.\.([a-z]+)(\d+)((?:\s+[a-z0-9_]+=\S+)*)\s*$/;

/**
 * Expands `@params <family> <prefix><first>..<prefix><last> [suffix=example ...]` into one
 * declaration per slot and member, in slot order; `suffix=example` replaces a member's example
 * (`key=page_location` where the query's conditions are about pages). Null when the line is not
 * such a directive; an error naming the file when it is one but malformed.
 */
export function expandParamFamily(
  file: string,
  body: string,
): { name: string; type: ParamType; example: string }[] | null {
  if (!body.startsWith('@params')) return null;
  const match = DIRECTIVE.exec(body);
  const family = match && PARAM_FAMILIES[match[1] as string];
  if (!match || !family || match[2] !== match[4])
    throw new Error(
      `${file}: expected "@params <${Object.keys(PARAM_FAMILIES).join('|')}> <prefix><first>..<prefix><last>", got "${body}"`,
    );
  const prefix = match[2] as string;
  const first = Number(match[3]);
  const last = Number(match[5]);
  const overrides = new Map(
    (match[6] ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => pair.split('=', 2) as [string, string]),
  );
  for (const suffix of overrides.keys())
    if (!family.some((m) => m.suffix === suffix))
      throw new Error(`${file}: the ${match[1]} family has no member "${suffix}"`);
  if (last < first) throw new Error(`${file}: empty slot range in "${body}"`);
  const out = [];
  for (let slot = first; slot <= last; slot += 1)
    for (const member of family)
      out.push({
        name: `${prefix}${slot}_${member.suffix}`,
        type: member.type,
        example: overrides.get(member.suffix) ?? member.example,
      });
  return out;
}
