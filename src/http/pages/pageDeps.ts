import type { UploadImports } from '../../app/importUploads.js';
import type { ApiDeps } from '../api/apiDeps.js';
import type { Views } from './views.js';

export interface PageDeps extends ApiDeps {
  readonly views: Views;
  /** The upload page's imports; absent, the page says imports are not available. */
  readonly imports?: UploadImports;
  /** The largest upload taken, in bytes. */
  readonly uploadLimitBytes?: number;
}

/** The last 28 full days (UTC), the default range of the pages. */
export function defaultRange(now = new Date()): { from: string; to: string } {
  const day = 86_400_000;
  const to = new Date(Math.floor(now.getTime() / day) * day - day);
  const from = new Date(to.getTime() - 27 * day);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/**
 * Form text as stored: without NUL characters, which no one types and the store refuses in
 * text (a pasted or forged one would otherwise fail the whole request).
 */
const clean = (text: string): string => text.replaceAll('\u0000', '').trim();

/** A form's text field: a string, trimmed; repeated fields give the first. */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? clean(first) : '';
}

/** A form's repeated field as a list (one value or many). */
export function fields(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string').map(clean);
}
