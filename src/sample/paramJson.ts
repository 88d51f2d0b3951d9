/**
 * JSON fragments of GA4 event parameters, written into the staging rows as text; the loader parses
 * them with the export's own structure, so a parameter is spelled once, here.
 */
const j = JSON.stringify;

export const sParam = (key: string, v: string): string =>
  `{"key":${j(key)},"value":{"string_value":${j(v)}}}`;

export const iParam = (key: string, v: number): string =>
  `{"key":${j(key)},"value":{"int_value":${Math.round(v)}}}`;

export const dParam = (key: string, v: number): string =>
  `{"key":${j(key)},"value":{"double_value":${v}}}`;

/** Money rounded to cents, as the export stores it. */
export const r2 = (x: number): number => Math.round(x * 100) / 100;
