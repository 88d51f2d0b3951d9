import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PathlightError } from '../../errors/errors.js';
import { IAP_HEADER, type IapVerifier } from './iap.js';
import { roleFor, type Principal } from './principal.js';
import { SESSION_COOKIE, csrfToken, safeEqual, verifySession } from './session.js';

export class UnauthenticatedError extends PathlightError {
  override readonly code = 'unauthenticated';
  override readonly status = 401;
}

export class ForbiddenError extends PathlightError {
  override readonly code = 'forbidden';
  override readonly status = 403;
}

/** How people prove who they are: the embedded admin token, or Identity-Aware Proxy. */
export type AccessOptions =
  | { readonly mode: 'token'; readonly token: string; readonly sessionSecret: string }
  | {
      readonly mode: 'iap';
      readonly verifier: IapVerifier;
      readonly editors: string;
      /** Derives CSRF tokens; the same on every instance (PATHLIGHT_SESSION_SECRET). */
      readonly sessionSecret: string;
    };

export const LOCAL_ADMIN = 'admin@pathlight.local';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Viewers may run and preview analyses: these POSTs read, they do not change anything. */
const READ_ONLY_POST =
  /^\/api\/(?:[a-z-]+\/run|funnels\/estimate|goals\/preview|reports\/preview|reports\/[^/]+\/preview)$/;

async function identify(req: Request, access: AccessOptions): Promise<Principal | undefined> {
  if (access.mode === 'iap') {
    const assertion = req.get(IAP_HEADER);
    if (!assertion) return undefined;
    let email: string;
    try {
      email = await access.verifier.verify(assertion);
    } catch (error) {
      req.log?.warn({ err: error }, 'IAP token refused');
      throw new UnauthenticatedError('the Identity-Aware Proxy token is not valid');
    }
    const role = roleFor(email, access.editors);
    return { email, role, via: 'iap', csrf: csrfToken(access.sessionSecret, `iap.${email}`) };
  }
  const header = req.get('Authorization');
  if (header?.startsWith('Bearer ')) {
    if (!safeEqual(header.slice('Bearer '.length).trim(), access.token)) {
      throw new UnauthenticatedError('wrong token');
    }
    return { email: LOCAL_ADMIN, role: 'editor', via: 'bearer' };
  }
  const cookies = req.cookies as Record<string, string> | undefined;
  const session = verifySession(access.sessionSecret, cookies?.[SESSION_COOKIE]);
  if (!session) return undefined;
  return {
    email: session.email,
    role: session.role,
    via: 'session',
    csrf: csrfToken(access.sessionSecret, session.sid),
  };
}

/**
 * Every request past this point has a principal. Unsafe methods need an editor (bar the
 * read-only runs), and, when the browser authenticates by cookie (session or IAP), the CSRF token
 * in `X-CSRF-Token` or the form's `_csrf` field. Bearer calls cannot be forged cross-site.
 */
export function requireAccess(access: AccessOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    identify(req, access).then(
      (principal) => {
        if (!principal) {
          const page = !req.path.startsWith('/api/') && req.method === 'GET';
          if (page && access.mode === 'token') {
            res.redirect(303, `/signin?next=${encodeURIComponent(req.originalUrl)}`);
            return;
          }
          next(
            new UnauthenticatedError(
              access.mode === 'token'
                ? 'sign in, or send Authorization: Bearer <admin token>'
                : 'this service is only reachable through Identity-Aware Proxy',
            ),
          );
          return;
        }
        req.principal = principal;
        res.locals.principal = principal;
        if (!UNSAFE.has(req.method)) {
          next();
          return;
        }
        if (principal.csrf !== undefined) {
          const body = req.body as Record<string, unknown> | undefined;
          const given =
            req.get('X-CSRF-Token') ?? (typeof body?._csrf === 'string' ? body._csrf : '');
          if (!given || !safeEqual(given, principal.csrf)) {
            next(new ForbiddenError('missing or wrong CSRF token; reload the page and try again'));
            return;
          }
        }
        if (principal.role !== 'editor' && !READ_ONLY_POST.test(req.path)) {
          next(new ForbiddenError(`${principal.email} may view and run, not change`));
          return;
        }
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

export const newSecret = (): string => randomBytes(32).toString('base64url');
