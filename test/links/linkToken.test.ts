import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkSecretsSchema, loadLinkKeys } from '../../src/links/linkSecrets.js';
import {
  LinkExpiredError,
  LinkInvalidError,
  LinkRefusedError,
  signLink,
  verifyLink,
  viewerParams,
} from '../../src/links/linkToken.js';
import { ResultCache } from '../../src/links/resultCache.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const keys = (value: string) => linkSecretsSchema.parse(value);
const now = new Date('2026-11-01T12:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('signed report links', () => {
  const k1 = keys(`k1:${A}`);
  const token = signLink(
    k1,
    { report: 'weekly', params: { dateRange: 'last_week' }, formats: ['html'], ttlSeconds: 3600 },
    now,
  );

  it('verifies a valid link and returns what it grants', () => {
    expect(verifyLink(k1, token, later(10))).toMatchObject({
      kid: 'k1',
      report: 'weekly',
      params: { dateRange: 'last_week' },
      formats: ['html'],
    });
  });

  it('an expired link is a distinct error', () => {
    expect(() => verifyLink(k1, token, later(3600))).toThrow(LinkExpiredError);
  });

  it('refuses a tampered payload or signature', () => {
    const [payload, sig] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const altered = Buffer.from(JSON.stringify({ ...claims, report: 'finance' })).toString(
      'base64url',
    );
    expect(() => verifyLink(k1, `${altered}.${sig}`, now)).toThrow(LinkInvalidError);
    const flipped = `${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => verifyLink(k1, flipped, now)).toThrow(/signature/);
    expect(() => verifyLink(k1, 'garbage', now)).toThrow(LinkInvalidError);
  });

  it('refuses an unknown key id', () => {
    const other = signLink(keys(`k9:${A}`), { report: 'weekly', ttlSeconds: 60 }, now);
    expect(() => verifyLink(k1, other, now)).toThrow(/unknown key/);
  });

  it('refuses a well-signed payload with unknown fields', () => {
    const payload = Buffer.from(
      JSON.stringify({
        v: 1,
        kid: 'k1',
        report: 'weekly',
        params: { segment: 'vip' },
        formats: ['html'],
        exp: 2e9,
      }),
    ).toString('base64url');
    const sig = createHmac('sha256', A).update(payload).digest('base64url');
    expect(() => verifyLink(k1, `${payload}.${sig}`, now)).toThrow(/unknown or malformed/);
  });

  it('rotation: the old kid verifies while configured, new links use the first key', () => {
    const rotated = keys(`k2:${B},k1:${A}`);
    expect(verifyLink(rotated, token, now).kid).toBe('k1');
    const fresh = signLink(rotated, { report: 'weekly', ttlSeconds: 60 }, now);
    expect(verifyLink(rotated, fresh, now).kid).toBe('k2');
    expect(() => verifyLink(keys(`k2:${B}`), token, now)).toThrow(/unknown key/);
  });

  it('a date-range override only when granted; unknown query parameters refused', () => {
    const claims = verifyLink(k1, token, now);
    expect(viewerParams(claims, {})).toEqual({ dateRange: 'last_week' });
    expect(() => viewerParams(claims, { dateRange: 'last_month' })).toThrow(
      /its own date range only/,
    );
    expect(() => viewerParams(claims, { report: 'finance' })).toThrow(/not allowed: report/);
    const granted = verifyLink(
      k1,
      signLink(k1, { report: 'weekly', ttlSeconds: 60, allowDateRange: true }, now),
      now,
    );
    expect(viewerParams(granted, { start: '2026-10-01', end: '2026-10-07' })).toEqual({
      dateRange: { start: '2026-10-01', end: '2026-10-07' },
    });
    expect(() => viewerParams(granted, { dateRange: 'forever' })).toThrow(LinkRefusedError);
  });

  it('a list grant passes its ranges and the link’s own, nothing else', () => {
    const listed = verifyLink(
      k1,
      signLink(
        k1,
        {
          id: 'abcdefghijklmnop',
          report: 'weekly',
          params: { dateRange: 'last_week' },
          ttlSeconds: 60,
          ranges: { list: ['last_7_days', 'last_month'] },
        },
        now,
      ),
      now,
    );
    expect(listed.id).toBe('abcdefghijklmnop');
    expect(viewerParams(listed, { dateRange: 'last_month' })).toEqual({ dateRange: 'last_month' });
    expect(viewerParams(listed, { dateRange: 'last_week' })).toEqual({ dateRange: 'last_week' });
    expect(() => viewerParams(listed, { dateRange: 'last_quarter' })).toThrow(
      'this link allows these ranges only: last_7_days, last_month',
    );
    // Fixed dates are not in a list of relative ranges.
    expect(() => viewerParams(listed, { start: '2026-10-01', end: '2026-10-07' })).toThrow(
      LinkRefusedError,
    );
  });

  it('a span grant passes fixed ranges up to its length, inclusive', () => {
    const span = verifyLink(
      k1,
      signLink(k1, { report: 'weekly', ttlSeconds: 60, ranges: { maxDays: 7 } }, now),
      now,
    );
    // 1 to 7 October is 7 days; 1 to 8 October is 8.
    expect(viewerParams(span, { start: '2026-10-01', end: '2026-10-07' })).toEqual({
      dateRange: { start: '2026-10-01', end: '2026-10-07' },
    });
    expect(() => viewerParams(span, { start: '2026-10-01', end: '2026-10-08' })).toThrow(
      'this link allows a range of start and end dates up to 7 days long',
    );
    expect(() => viewerParams(span, { dateRange: 'last_7_days' })).toThrow(LinkRefusedError);
    expect(() => viewerParams(span, { start: '2026-10-09', end: '2026-10-01' })).toThrow(
      LinkRefusedError,
    );
  });

  it('secrets config: names the variable, never echoes the secret', () => {
    expect(() => loadLinkKeys({ PATHLIGHT_LINK_SECRETS: 'k1:short' })).toThrow(
      /^PATHLIGHT_LINK_SECRETS: expected kid:secret/,
    );
    expect(() => loadLinkKeys({})).toThrow(/PATHLIGHT_LINK_SECRETS/);
    expect(loadLinkKeys({ PATHLIGHT_LINK_SECRETS: `k2:${B}, k1:${A}` }).current).toBe('k2');
  });

  it('the result cache runs a producer once per key', async () => {
    const cache = new ResultCache<number>();
    let runs = 0;
    const produce = async () => ++runs;
    const key = ResultCache.key('weekly', { b: 1, a: [2] });
    await Promise.all([
      cache.get(key, produce),
      cache.get(ResultCache.key('weekly', { a: [2], b: 1 }), produce),
    ]);
    expect(runs).toBe(1);
    await cache.get(ResultCache.key('weekly', { a: [3], b: 1 }), produce);
    expect(runs).toBe(2);
  });
});
