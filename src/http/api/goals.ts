import type { Router } from 'express';
import { goalSchema, type Goal } from '../../analyses/goals/goal.js';
import { dateRangeSchema } from '../../sql/vocabulary/dateRange.js';
import { parseWith } from '../../errors/parseWith.js';
import { InputError, NotFoundError } from '../../errors/errors.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { checkGoalName } from '../../store/storeKeys.js';
import type { ApiDeps } from './apiDeps.js';
import { goalPreview } from './goalPreview.js';
import { handle, param } from './handler.js';

const goalView = (stored: { definition: Goal; source: string; filePath: string | null }) => ({
  ...stored.definition,
  source: stored.source,
  filePath: stored.filePath,
});

/** Goals in the store; a goal from a repository file cannot be edited here (its file wins). */
export function goalsRoutes(router: Router, deps: ApiDeps): void {
  const repo = () => new DefinitionsRepo<Goal>(deps.store, 'goals');
  router.get(
    '/goals',
    handle(async () => ({ goals: (await repo().list()).map(goalView) })),
  );
  router.post(
    '/goals/preview',
    handle(async (req) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { dateRange, ...rest } = body;
      const goal = parseWith(goalSchema, { name: 'preview', ...rest });
      const range = parseWith(dateRangeSchema, dateRange, 'dateRange');
      return {
        unit: 'users',
        days: await goalPreview(deps.engine, goal, range, {
          ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
        }),
      };
    }),
  );
  router.get(
    '/goals/:name',
    handle(async (req) => {
      const stored = await repo().get(param(req, 'name'));
      if (!stored) throw new NotFoundError(`no goal named ${param(req, 'name')}`, 'name');
      return goalView(stored);
    }),
  );
  router.put(
    '/goals/:name',
    handle(async (req, res) => {
      const name = checkGoalName(param(req, 'name'));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const goal = parseWith(goalSchema, { ...body, name });
      const saved = await repo().saveFromUi(name, goal);
      if (!saved.saved) {
        throw new InputError(`goal ${name} comes from ${saved.filePath}: change it there`, 'name');
      }
      res.status(200);
      return goal;
    }),
  );
  router.delete(
    '/goals/:name',
    handle(async (req, res) => {
      if (!(await repo().delete(param(req, 'name')))) {
        throw new NotFoundError(
          `no goal named ${param(req, 'name')} that the UI may delete`,
          'name',
        );
      }
      res.status(204).end();
    }),
  );
}

/** Every goal in the store, by name: what funnel steps `{ goal }` resolve against. */
export async function goalsByName(deps: ApiDeps): Promise<Map<string, Goal>> {
  const list = await new DefinitionsRepo<Goal>(deps.store, 'goals').list();
  return new Map(list.map((g) => [g.key, g.definition]));
}
