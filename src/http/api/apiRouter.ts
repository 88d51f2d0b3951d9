import { Router } from 'express';
import { analysesRoutes } from './analyses.js';
import type { ApiDeps } from './apiDeps.js';
import { eventsRoutes } from './events.js';
import { funnelsRoutes } from './funnels.js';
import { goalsRoutes } from './goals.js';
import { handle } from './handler.js';
import { openApiDocument } from './openapi.js';
import { outboxRoutes } from './outbox.js';
import { personasRoutes } from './personas.js';
import { reportLinksApi } from './reportLinksApi.js';
import { reportsRoutes } from './reports.js';
import { schedulesRoutes } from './schedules.js';

/** The JSON API, mounted at /api behind access control: thin routes onto the use-cases. */
export function apiRouter(deps: ApiDeps, extend?: (router: Router) => void): Router {
  const router = Router();
  const document = openApiDocument();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get(
    '/me',
    handle(async (req) => ({
      email: req.principal?.email,
      role: req.principal?.role,
      via: req.principal?.via,
      csrfToken: req.principal?.csrf ?? null,
    })),
  );
  eventsRoutes(router, deps);
  goalsRoutes(router, deps);
  funnelsRoutes(router, deps);
  analysesRoutes(router, deps);
  personasRoutes(router, deps);
  reportsRoutes(router, deps);
  reportLinksApi(router, deps);
  schedulesRoutes(router, deps);
  outboxRoutes(router, deps);
  extend?.(router);
  return router;
}
