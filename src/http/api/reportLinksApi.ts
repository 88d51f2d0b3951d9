import type { Router } from 'express';
import { NotFoundError } from '../../errors/errors.js';
import { createLink } from '../../app/createLink.js';
import { SharingOffError, type LinkService } from '../../links/linkService.js';
import { LinksRepo, type StoredLink } from '../../store/linksRepo.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import type { ApiDeps } from './apiDeps.js';
import { handle, param } from './handler.js';

/** A link as the list shows it: who, when, until when, what it grants, how often opened. */
export const linkView = (link: StoredLink, now: Date) => ({
  id: link.id,
  createdBy: link.createdBy,
  createdAt: link.createdAt.toISOString(),
  expiresAt: link.expiresAt.toISOString(),
  source: link.source,
  range: link.params.dateRange ?? null,
  ranges: link.ranges,
  opens: link.opens,
  lastOpenedAt: link.lastOpenedAt?.toISOString() ?? null,
  revokedAt: link.revokedAt?.toISOString() ?? null,
  revokedBy: link.revokedBy,
  status: link.revokedAt ? 'revoked' : link.expiresAt <= now ? 'expired' : 'active',
});

/** The stored reports, as they are: a link needs the id to exist, not the definition to be checked. */
export const reports = (deps: Pick<ApiDeps, 'store'>) =>
  new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');

/** The use-case's dependencies from the API's: a link only to a report that exists. */
export const linkDeps = (deps: ApiDeps, links: LinkService) => ({
  store: deps.store,
  keys: links.keys,
  publicUrl: links.publicUrl,
  reportExists: async (id: string) => (await reports(deps).get(id)) !== undefined,
});

/** Shared links of a report: make one, list them, revoke one. */
export function reportLinksApi(router: Router, deps: ApiDeps): void {
  const service = (): LinkService => {
    if (!deps.links) throw new SharingOffError();
    return deps.links;
  };
  router.post(
    '/reports/:id/links',
    handle(async (req, res) => {
      const made = await createLink(linkDeps(deps, service()), {
        reportId: param(req, 'id'),
        request: req.body,
        createdBy: req.principal?.email ?? 'unknown',
        source: 'share',
      });
      res.status(201).json({ ...made, expiresAt: made.expiresAt.toISOString() });
    }),
  );
  router.get(
    '/reports/:id/links',
    handle(async (req) => {
      const id = param(req, 'id');
      if (!(await reports(deps).get(id))) throw new NotFoundError(`no report ${id}`, 'id');
      const now = new Date();
      return {
        links: (await new LinksRepo(deps.store).listForReport(id)).map((l) => linkView(l, now)),
      };
    }),
  );
  router.post(
    '/reports/:id/links/:linkId/revoke',
    handle(async (req) => {
      const at = new Date();
      const repo = new LinksRepo(deps.store);
      const id = param(req, 'linkId');
      if (!(await repo.revoke(param(req, 'id'), id, req.principal?.email ?? 'unknown', at)))
        throw new NotFoundError(`no link ${id} of report ${param(req, 'id')}`, 'linkId');
      const link = await repo.get(id);
      return linkView(link as StoredLink, at);
    }),
  );
}
