import type { Router } from 'express';
import { z } from 'zod';
import { parseWith } from '../../analyses/funnel/funnelSpec.js';
import { InputError, NotFoundError } from '../../errors/errors.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import type { ApiDeps } from './apiDeps.js';
import { handle, param } from './handler.js';

/**
 * Until the reports engineer's definition schema lands, a report is checked only for what the
 * store and schedules rely on: an id pattern and a title; the rest is kept as given.
 */
export const reportDefinitionSchema = z
  .object({ title: z.string().trim().min(1).max(200) })
  .catchall(z.unknown());

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function reportsRoutes(router: Router, deps: ApiDeps): void {
  const repo = () => new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');
  const view = (s: {
    key: string;
    definition: Record<string, unknown>;
    source: string;
    filePath: string | null;
  }) => ({
    id: s.key,
    ...s.definition,
    source: s.source,
    filePath: s.filePath,
  });
  router.get(
    '/reports',
    handle(async () => ({ reports: (await repo().list()).map(view) })),
  );
  router.get(
    '/reports/:id',
    handle(async (req) => {
      const stored = await repo().get(param(req, 'id'));
      if (!stored) throw new NotFoundError(`no report ${param(req, 'id')}`, 'id');
      return view(stored);
    }),
  );
  router.put(
    '/reports/:id',
    handle(async (req) => {
      const id = param(req, 'id');
      if (!ID.test(id))
        throw new InputError('id: expected lower-case letters, digits and dashes', 'id');
      const definition = parseWith(reportDefinitionSchema, {
        ...((req.body ?? {}) as Record<string, unknown>),
        id,
      });
      const saved = await repo().saveFromUi(id, definition);
      if (!saved.saved)
        throw new InputError(`report ${id} comes from ${saved.filePath}: change it there`, 'id');
      return { id, ...definition };
    }),
  );
  router.delete(
    '/reports/:id',
    handle(async (req, res) => {
      if (!(await repo().delete(param(req, 'id'))))
        throw new NotFoundError(`no report ${param(req, 'id')} that the UI may delete`, 'id');
      res.status(204).end();
    }),
  );
}
