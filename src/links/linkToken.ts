import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { dateRangeSchema } from '../sql/vocabulary/dateRange.js';
import { PathlightError } from '../errors/errors.js';
import { RELATIVE_RANGES } from '../reports/relativeDateRange.js';
import type { LinkKeys } from './linkSecrets.js';

export const LINK_FORMATS = ['html', 'pdf'] as const;
export type LinkFormat = (typeof LINK_FORMATS)[number];

/** The longest span a link may open up to the viewer: a year and a day covers any calendar year. */
export const MAX_SPAN_DAYS = 366;

/**
 * Which ranges a viewer may switch to: a list of relative ranges, or any fixed range up to a span.
 * Absent, the link shows its own range only.
 */
export const rangeGrantSchema = z.union([
  z.object({ list: z.array(z.enum(RELATIVE_RANGES)).min(1).max(RELATIVE_RANGES.length) }).strict(),
  z.object({ maxDays: z.number().int().min(1).max(MAX_SPAN_DAYS) }).strict(),
]);
export type RangeGrant = z.infer<typeof rangeGrantSchema>;

/** What a link grants. `params` are fixed by the signer; the viewer may only change a granted date range. */
export const linkClaimsSchema = z
  .object({
    v: z.literal(1),
    kid: z.string(),
    /** The stored link this token stands for (revocation, opens); links from before had none. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,32}$/)
      .optional(),
    report: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    params: z
      .object({
        dateRange: z.union([z.enum(RELATIVE_RANGES), dateRangeSchema]).optional(),
      })
      .strict(),
    formats: z.array(z.enum(LINK_FORMATS)).min(1),
    exp: z.number().int(),
    /** Any range: the older, unrecorded email links' grant. */
    allowDateRange: z.boolean().optional(),
    ranges: rangeGrantSchema.optional(),
  })
  .strict();
export type LinkClaims = z.infer<typeof linkClaimsSchema>;

/**
 * A link that fails verification: tampered, unknown key, malformed, unknown to the store. The
 * message is for logs; the viewer is only told the link is not valid, never which part failed.
 */
export class LinkInvalidError extends PathlightError {
  override readonly code = 'link_invalid';
  override readonly status = 403;
}

/** A genuine link asked for something it does not grant (a range, a format, a parameter). */
export class LinkRefusedError extends PathlightError {
  override readonly code = 'link_refused';
  override readonly status = 403;
}

/** A genuine link its owner revoked: 410, in words of its own. */
export class LinkRevokedError extends PathlightError {
  override readonly code = 'link_revoked';
  override readonly status = 410;
  constructor(readonly revokedAt: Date) {
    super(`this link was revoked on ${revokedAt.toISOString()}`);
  }
}

/** A genuine link past its expiry: the HTTP layer answers 410 with a friendly page. */
export class LinkExpiredError extends PathlightError {
  override readonly code = 'link_expired';
  override readonly status = 410;
  constructor(readonly expiredAt: Date) {
    super(`this link expired on ${expiredAt.toISOString()}`);
  }
}

const b64 = (buf: Buffer) => buf.toString('base64url');
const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

export interface SignLinkInput {
  /** The stored link's id; every link made now has one. */
  readonly id?: string;
  readonly report: string;
  readonly params?: LinkClaims['params'];
  readonly formats?: LinkFormat[];
  /** Lifetime in seconds from `now`. */
  readonly ttlSeconds: number;
  readonly allowDateRange?: boolean;
  readonly ranges?: RangeGrant;
}

/** `<payload>.<signature>`, both base64url; the payload names the key id that signed it. */
export function signLink(keys: LinkKeys, input: SignLinkInput, now = new Date()): string {
  const key = keys.keys.get(keys.current);
  if (!key) throw new Error('current link key missing');
  const claims: LinkClaims = linkClaimsSchema.parse({
    v: 1,
    kid: keys.current,
    ...(input.id ? { id: input.id } : {}),
    report: input.report,
    params: input.params ?? {},
    formats: input.formats ?? ['html', 'pdf'],
    exp: Math.floor(now.getTime() / 1000) + input.ttlSeconds,
    ...(input.allowDateRange ? { allowDateRange: true } : {}),
    ...(input.ranges ? { ranges: input.ranges } : {}),
  });
  const payload = b64(Buffer.from(JSON.stringify(claims)));
  return `${payload}.${b64(mac(key, payload))}`;
}

/** Checks signature (constant time), key id, shape and expiry, in that order. */
export function verifyLink(keys: LinkKeys, token: string, now = new Date()): LinkClaims {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new LinkInvalidError('malformed link');
  const [payload, signature] = parts as [string, string];
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new LinkInvalidError('malformed link');
  }
  const kid =
    typeof header === 'object' && header !== null ? (header as { kid?: unknown }).kid : undefined;
  const key = typeof kid === 'string' ? keys.keys.get(kid) : undefined;
  if (!key) throw new LinkInvalidError('link signed with an unknown key');
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new LinkInvalidError('link signature does not match');
  }
  const claims = linkClaimsSchema.safeParse(header);
  if (!claims.success) throw new LinkInvalidError('link carries unknown or malformed fields');
  if (claims.data.exp * 1000 <= now.getTime())
    throw new LinkExpiredError(new Date(claims.data.exp * 1000));
  return claims.data;
}

/** Inclusive days in a fixed range. */
const spanDays = (range: { start: string; end: string }) =>
  Math.round((Date.parse(range.end) - Date.parse(range.start)) / 86_400_000) + 1;

const sameRange = (a: LinkClaims['params']['dateRange'], b: LinkClaims['params']['dateRange']) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * The viewer's query string against what the link grants: only `dateRange` (a relative range) or
 * `start` and `end` are known, and only a range the link grants passes; anything else is refused
 * rather than ignored. What passes is a parsed value from the allowed set, never the raw text.
 */
export function viewerParams(
  claims: LinkClaims,
  query: Record<string, unknown>,
): { dateRange?: LinkClaims['params']['dateRange'] } {
  const unknown = Object.keys(query).filter(
    (k) => k !== 'dateRange' && k !== 'start' && k !== 'end',
  );
  if (unknown.length) throw new LinkRefusedError(`parameter not allowed: ${unknown.join(', ')}`);
  const wants =
    query.dateRange !== undefined || query.start !== undefined || query.end !== undefined;
  const fallback = claims.params.dateRange ? { dateRange: claims.params.dateRange } : {};
  if (!wants) return fallback;
  const value =
    query.dateRange !== undefined ? query.dateRange : { start: query.start, end: query.end };
  const parsed = z.union([z.enum(RELATIVE_RANGES), dateRangeSchema]).safeParse(value);
  if (!parsed.success)
    throw new LinkRefusedError('dateRange: expected a relative range or start and end dates');
  const asked = parsed.data;
  // The link's own range is always allowed: the picker offers it first.
  if (sameRange(asked, claims.params.dateRange)) return { dateRange: asked };
  if (claims.allowDateRange) return { dateRange: asked };
  const grant = claims.ranges;
  if (!grant) throw new LinkRefusedError('this link shows its own date range only');
  if ('list' in grant) {
    if (typeof asked === 'string' && grant.list.includes(asked)) return { dateRange: asked };
    throw new LinkRefusedError(`this link allows these ranges only: ${grant.list.join(', ')}`);
  }
  if (typeof asked === 'string' || spanDays(asked) > grant.maxDays)
    throw new LinkRefusedError(
      `this link allows a range of start and end dates up to ${grant.maxDays} days long`,
    );
  return { dateRange: asked };
}
