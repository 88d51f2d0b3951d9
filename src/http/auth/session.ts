import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './principal.js';

export interface Session {
  /** Random per sign-in; the CSRF token is derived from it. */
  readonly sid: string;
  readonly email: string;
  readonly role: Role;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export const SESSION_COOKIE = 'pathlight_session';
const SESSION_SECONDS = 12 * 3600;

const mac = (secret: string, data: string) =>
  createHmac('sha256', secret).update(data).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A session cookie value: base64url(JSON).HMAC — tamper-evident, no server-side state. */
export function signSession(
  secret: string,
  email: string,
  role: Role,
  now = Date.now(),
): { value: string; session: Session } {
  const session: Session = {
    sid: randomBytes(16).toString('base64url'),
    email,
    role,
    exp: Math.floor(now / 1000) + SESSION_SECONDS,
  };
  const body = Buffer.from(JSON.stringify(session)).toString('base64url');
  return { value: `${body}.${mac(secret, `session.${body}`)}`, session };
}

export function verifySession(
  secret: string,
  value: string | undefined,
  now = Date.now(),
): Session | undefined {
  if (!value) return undefined;
  const [body, sig] = value.split('.');
  if (!body || !sig || !safeEqual(sig, mac(secret, `session.${body}`))) return undefined;
  try {
    const session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Session;
    return session.exp * 1000 > now ? session : undefined;
  } catch {
    return undefined;
  }
}

/** The synchronizer token of a session: forms carry it, the server recomputes it. */
export const csrfToken = (secret: string, sid: string): string => mac(secret, `csrf.${sid}`);
