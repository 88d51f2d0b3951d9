import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { NotFoundError } from '../../errors/errors.js';
import type { AccessOptions } from '../auth/access.js';
import { eventsPage } from './eventsPage.js';
import { explorePage } from './explorePage.js';
import { funnelPage } from './funnelPage.js';
import { importPage, UPLOAD_LIMIT_BYTES } from './importPage.js';
import { outboxPage } from './outboxPage.js';
import type { PageDeps } from './pageDeps.js';
import { personasPage } from './personasPage.js';
import { mapPage } from './mapPage.js';
import { predictPage } from './predictPage.js';
import { reportEditPage } from './reportEditPage.js';
import { reportsPage } from './reportsPage.js';
import { schedulesPage } from './schedulesPage.js';
import { sharePage } from './sharePage.js';
import { signInRouter, signOut } from './signIn.js';
import { loadViews, type Views } from './views.js';

export const publicDir = fileURLToPath(new URL('../../../public/', import.meta.url));

export { signInRouter, loadViews, type Views };

/** The server-rendered pages, behind access control; forms carry the CSRF token. */
export function pagesRouter(deps: PageDeps & { access: AccessOptions }): Router {
  const router = Router();
  router.use((req, res, next) => {
    res.locals.csrf = req.principal?.csrf ?? '';
    res.locals.user = req.principal;
    res.locals.canEdit = req.principal?.role === 'editor';
    res.locals.signOut = deps.access.mode === 'token' && req.principal?.via === 'session';
    next();
  });
  // A path id no record can have (control characters, hundreds of characters) names nothing:
  // the page says so instead of handing the store a value it refuses.
  for (const name of ['id', 'linkId'])
    router.param(name, (_req, _res, next, value: string) => {
      next(
        value.length > 200 || [...value].some((c) => c < ' ' || c === '\u007f')
          ? new NotFoundError('There is nothing with that id here.', name)
          : undefined,
      );
    });
  router.get('/', (_req, res) => {
    res.redirect(303, '/events');
  });
  eventsPage(router, deps);
  funnelPage(router, deps);
  reportEditPage(router, deps);
  reportsPage(router, deps);
  sharePage(router, deps);
  schedulesPage(router, deps);
  outboxPage(router, deps);
  explorePage(router, deps);
  predictPage(router, deps);
  personasPage(router, deps);
  mapPage(router, deps);
  importPage(router, { ...deps, uploadLimitBytes: deps.uploadLimitBytes ?? UPLOAD_LIMIT_BYTES });
  signOut(router);
  return router;
}
