import type { Router } from 'express';
import { parseAttributionSpec } from '../../analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../analyses/attribution/runAttribution.js';
import { parseFunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { estimateFunnel } from '../../analyses/funnel/estimateFunnel.js';
import { parseNextStepSpec } from '../../analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../analyses/nextStep/runNextStep.js';
import { parsePathsSpec } from '../../analyses/paths/pathsSpec.js';
import { runPaths } from '../../analyses/paths/runPaths.js';
import { parsePredictSpec } from '../../analyses/predict/predictSpec.js';
import { predictToTable } from '../../analyses/predict/predictToTable.js';
import { runStages } from '../../analyses/stages/runStages.js';
import { parseStagesSpec } from '../../analyses/stages/stagesSpec.js';
import { ForbiddenError } from '../auth/access.js';
import type { ApiDeps } from './apiDeps.js';
import { goalsByName } from './goals.js';
import { handle } from './handler.js';

/** Paths, next step and stages: the same thin shape as the funnel, goals resolved from the store. */
export function analysesRoutes(router: Router, deps: ApiDeps): void {
  const timeout = deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs };
  router.post(
    '/paths/run',
    handle(async (req) =>
      runPaths(deps.engine, parsePathsSpec(req.body), {
        goals: await goalsByName(deps),
        ...timeout,
      }),
    ),
  );
  router.post(
    '/next-step/run',
    handle(async (req) =>
      runNextStep(deps.engine, parseNextStepSpec(req.body), {
        goals: await goalsByName(deps),
        ...timeout,
      }),
    ),
  );
  router.post(
    '/predict/run',
    handle(async (req) => {
      const spec = parsePredictSpec(req.body);
      // Viewers may run a prediction; writing a table is a change, an editor's.
      if (spec.table !== undefined && req.principal?.role !== 'editor') {
        throw new ForbiddenError(
          `table: ${req.principal?.email ?? 'a viewer'} may run predictions, not write them to a table`,
        );
      }
      return predictToTable(deps.engine, spec, { goals: await goalsByName(deps), ...timeout });
    }),
  );
  router.post(
    '/attribution/run',
    handle(async (req) => runAttribution(deps.engine, parseAttributionSpec(req.body), timeout)),
  );
  router.post(
    '/stages/run',
    handle(async (req) => runStages(deps.engine, parseStagesSpec(req.body), timeout)),
  );
  // Before a funnel runs on BigQuery: the bytes it would process (DuckDB answers null).
  router.post(
    '/funnels/estimate',
    handle(async (req) =>
      estimateFunnel(deps.engine, parseFunnelSpec(req.body), await goalsByName(deps)),
    ),
  );
}
