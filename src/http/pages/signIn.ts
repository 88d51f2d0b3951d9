import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { LOCAL_ADMIN } from '../auth/access.js';
import { SESSION_COOKIE, safeEqual, signSession } from '../auth/session.js';
import type { Views } from './views.js';

const PRE_COOKIE = 'pathlight_signin';

/** Only same-site paths, so the sign-in cannot bounce anyone elsewhere. */
export const localPath = (next: unknown): string =>
  typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/events';

const cookieBase = (req: Request) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: req.secure,
  path: '/',
});

/**
 * The embedded default's sign-in: the admin token, posted once, becomes an HMAC-signed session
 * cookie (HttpOnly, SameSite=Strict). The form itself carries a double-submit token.
 */
export function signInRouter(
  access: { token: string; sessionSecret: string },
  views: Views,
): Router {
  const router = Router();
  const page = (req: Request, error?: { field: string; message: string }) => {
    const pre = randomBytes(16).toString('base64url');
    return {
      pre,
      html: views.render('signin', {
        title: 'Sign in',
        csrf: pre,
        next: localPath(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next),
        // The template reads the page's error shape: a wrong token is shown under its field.
        error: error && { ...error, where: '', onField: error.field !== '' },
      }),
    };
  };
  router.get('/signin', (req, res) => {
    const { pre, html } = page(req);
    res.cookie(PRE_COOKIE, pre, { ...cookieBase(req), maxAge: 3600_000 });
    res.type('html').send(html);
  });
  router.post('/signin', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cookies = req.cookies as Record<string, string | undefined>;
    const pre = cookies[PRE_COOKIE] ?? '';
    const given = typeof body._csrf === 'string' ? body._csrf : '';
    const again = (status: number, message: { field: string; message: string }) => {
      const next = page(req, message);
      res.cookie(PRE_COOKIE, next.pre, { ...cookieBase(req), maxAge: 3600_000 });
      res.status(status).type('html').send(next.html);
    };
    if (!pre || !given || !safeEqual(pre, given)) {
      again(403, { field: '', message: 'The form expired; please try again.' });
      return;
    }
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    if (!token || !safeEqual(token, access.token)) {
      again(401, {
        field: 'token',
        message: token
          ? 'That is not the admin token. It is in the data folder, file admin-token.'
          : 'Enter the admin token.',
      });
      return;
    }
    const { value } = signSession(access.sessionSecret, LOCAL_ADMIN, 'editor');
    res.clearCookie(PRE_COOKIE, cookieBase(req));
    res.cookie(SESSION_COOKIE, value, { ...cookieBase(req), maxAge: 12 * 3600_000 });
    res.redirect(303, localPath(body.next));
  });
  return router;
}

export function signOut(router: Router): void {
  router.post('/signout', (req, res) => {
    res.clearCookie(SESSION_COOKIE, cookieBase(req));
    res.redirect(303, '/signin');
  });
}
