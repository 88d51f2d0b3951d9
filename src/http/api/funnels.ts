import type { Router } from 'express';
import { parseFunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../analyses/funnel/runFunnel.js';
import type { ApiDeps } from './apiDeps.js';
import { goalsByName } from './goals.js';
import { handle } from './handler.js';

/** POST /api/funnels/run: the funnel use-case, goal steps resolved from the saved goals. */
export function funnelsRoutes(router: Router, deps: ApiDeps): void {
  router.post(
    '/funnels/run',
    handle(async (req) => {
      const spec = parseFunnelSpec(req.body);
      return runFunnel(deps.engine, spec, {
        goals: await goalsByName(deps),
        ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
      });
    }),
  );
}
