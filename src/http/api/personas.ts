import type { Router } from 'express';
import { parseMapSpec } from '../../analyses/map/mapSpec.js';
import { resolvePersonas } from '../../analyses/map/resolvePersonas.js';
import { runMap } from '../../analyses/map/runMap.js';
import { InputError, NotFoundError } from '../../errors/errors.js';
import { PersonasRepo } from '../../store/personasRepo.js';
import type { ApiDeps } from './apiDeps.js';
import { handle, param } from './handler.js';

/** Saved personas, and the journey map that answers for them side by side. */
export function personasRoutes(router: Router, deps: ApiDeps): void {
  const repo = () => new PersonasRepo(deps.store);
  router.get(
    '/personas',
    handle(async () => ({ personas: (await repo().list()).map((p) => p.persona) })),
  );
  router.get(
    '/personas/:name',
    handle(async (req) => {
      const stored = await repo().get(param(req, 'name'));
      if (!stored) throw new NotFoundError(`no persona named ${param(req, 'name')}`, 'name');
      return stored.persona;
    }),
  );
  router.put(
    '/personas/:name',
    handle(async (req, res) => {
      const name = param(req, 'name');
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.name !== undefined && body.name !== name) {
        throw new InputError(`name: the body names ${String(body.name)}, the path ${name}`, 'name');
      }
      const saved = await repo().save({ ...body, name });
      res.status(saved.created ? 201 : 200);
      return saved.persona;
    }),
  );
  router.delete(
    '/personas/:name',
    handle(async (req, res) => {
      if (!(await repo().delete(param(req, 'name')))) {
        throw new NotFoundError(`no persona named ${param(req, 'name')}`, 'name');
      }
      res.status(204).end();
      return undefined;
    }),
  );
  router.post(
    '/map/run',
    handle(async (req) => {
      const spec = parseMapSpec(req.body);
      const personas = await resolvePersonas(
        spec,
        async (name) => (await repo().get(name))?.persona,
      );
      return runMap(deps.engine, spec, personas, {
        ...(deps.queryTimeoutMs === undefined ? {} : { timeoutMs: deps.queryTimeoutMs }),
      });
    }),
  );
}
