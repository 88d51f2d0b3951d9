import { CHANNEL_RULES, type ChannelCondition } from './vocabulary/channelRules.js';

/**
 * GA4's default channel group as one CASE expression over three SQL expressions, rendered from
 * the rules table so SQL and TypeScript can never disagree. Inputs are lower-cased once.
 */
export function channelGroupSql(source: string, medium: string, campaign: string): string {
  const inputs = {
    source: `LOWER(COALESCE(${source}, ''))`,
    medium: `LOWER(COALESCE(${medium}, ''))`,
    campaign: `LOWER(COALESCE(${campaign}, ''))`,
  };
  // Rule texts hold no quotes or backslashes, so one literal spelling suits both dialects.
  const literal = (text: string) => {
    if (/['\\]/.test(text)) throw new Error(`channel rule text must not hold quotes: ${text}`);
    return `'${text}'`;
  };
  const condition = (c: ChannelCondition): string =>
    c.op === 'in'
      ? `${inputs[c.field]} IN (${c.values.map(literal).join(', ')})`
      : `REGEXP_CONTAINS(${inputs[c.field]}, ${literal(c.pattern)})`;
  const whens = CHANNEL_RULES.map(
    (rule) =>
      `WHEN ${rule.anyOf.map((group) => `(${group.map(condition).join(' AND ')})`).join(' OR ')} THEN '${rule.channel}'`,
  );
  return `CASE\n      ${whens.join('\n      ')}\n      ELSE 'Unassigned'\n    END`;
}
