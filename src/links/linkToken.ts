import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { dateRangeSchema } from '../sql/vocabulary/dateRange.js';
import { PathlightError } from '../errors/errors.js';
import { RELATIVE_RANGES } from '../reports/relativeDateRange.js';
import type { LinkKeys } from './linkSecrets.js';

export const LINK_FORMATS = ['html', 'pdf'] as const;
export type LinkFormat = (typeof LINK_FORMATS)[number];

/** What a link grants. `params` are fixed by the signer; the viewer may only change a granted date range. */
export const linkClaimsSchema = z
  .object({
    v: z.literal(1),
    kid: z.string(),
    report: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    params: z
      .object({
        dateRange: z.union([z.enum(RELATIVE_RANGES), dateRangeSchema]).optional(),
      })
      .strict(),
    formats: z.array(z.enum(LINK_FORMATS)).min(1),
    exp: z.number().int(),
    allowDateRange: z.boolean().optional(),
  })
  .strict();
export type LinkClaims = z.infer<typeof linkClaimsSchema>;

/** A link that fails verification: tampered, unknown key, malformed, refused parameter or format. */
export class LinkInvalidError extends PathlightError {
  override readonly code = 'link_invalid';
  override readonly status = 403;
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
  readonly report: string;
  readonly params?: LinkClaims['params'];
  readonly formats?: LinkFormat[];
  /** Lifetime in seconds from `now`. */
  readonly ttlSeconds: number;
  readonly allowDateRange?: boolean;
}

/** `<payload>.<signature>`, both base64url; the payload names the key id that signed it. */
export function signLink(keys: LinkKeys, input: SignLinkInput, now = new Date()): string {
  const key = keys.keys.get(keys.current);
  if (!key) throw new Error('current link key missing');
  const claims: LinkClaims = linkClaimsSchema.parse({
    v: 1,
    kid: keys.current,
    report: input.report,
    params: input.params ?? {},
    formats: input.formats ?? ['html', 'pdf'],
    exp: Math.floor(now.getTime() / 1000) + input.ttlSeconds,
    ...(input.allowDateRange ? { allowDateRange: true } : {}),
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

/**
 * The viewer's query string against what the link grants: only `dateRange` is known, and only when
 * granted; anything else is refused rather than ignored.
 */
export function viewerParams(
  claims: LinkClaims,
  query: Record<string, unknown>,
): { dateRange?: LinkClaims['params']['dateRange'] } {
  const unknown = Object.keys(query).filter(
    (k) => k !== 'dateRange' && k !== 'start' && k !== 'end',
  );
  if (unknown.length) throw new LinkInvalidError(`parameter not allowed: ${unknown.join(', ')}`);
  const wants =
    query.dateRange !== undefined || query.start !== undefined || query.end !== undefined;
  if (!wants) return claims.params.dateRange ? { dateRange: claims.params.dateRange } : {};
  if (!claims.allowDateRange)
    throw new LinkInvalidError('this link does not allow changing the date range');
  const value =
    query.dateRange !== undefined ? query.dateRange : { start: query.start, end: query.end };
  const parsed = z.union([z.enum(RELATIVE_RANGES), dateRangeSchema]).safeParse(value);
  if (!parsed.success)
    throw new LinkInvalidError('dateRange: expected a relative range or start and end dates');
  return { dateRange: parsed.data };
}
