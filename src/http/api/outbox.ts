import type { Router } from 'express';
import { listOutbox, readOutboxFile } from '../../delivery/outboxFolder.js';
import { NotFoundError } from '../../errors/errors.js';
import type { ApiDeps } from './apiDeps.js';
import { handle, param } from './handler.js';

export function outboxRoutes(router: Router, deps: ApiDeps): void {
  router.get(
    '/outbox',
    handle(async () => ({ messages: listOutbox(deps.outboxDir) })),
  );
  router.get(
    '/outbox/:file',
    handle(async (req, res) => {
      const file = param(req, 'file');
      const raw = readOutboxFile(deps.outboxDir, file);
      if (!raw) throw new NotFoundError(`no message ${file}`, 'file');
      res.type('message/rfc822').setHeader('Content-Disposition', `attachment; filename="${file}"`);
      res.send(raw);
    }),
  );
}
