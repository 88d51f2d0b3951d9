import type { Router } from 'express';
import { parseWith } from '../../analyses/funnel/funnelSpec.js';
import { InputError } from '../../errors/errors.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { reportDefinitionSchema } from '../api/reports.js';
import { funnelSpecFromForm } from './funnelForm.js';
import { field, type PageDeps } from './pageDeps.js';

/**
 * Reports: until the reports engineer's composer lands, a report is a title and the funnel it was
 * saved from (section `funnel`), kept with the builder's query so it can be reopened.
 */
export function reportsPage(router: Router, deps: PageDeps): void {
  const repo = () => new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');
  router.get('/reports', async (_req, res, next) => {
    try {
      const reports = (await repo().list()).map((r) => ({
        id: r.key,
        title: String(r.definition.title ?? r.key),
        builder: typeof r.definition.builderQuery === 'string' ? r.definition.builderQuery : null,
        fromFile: r.source === 'file',
        filePath: r.filePath,
        updatedAt: r.updatedAt.toISOString().slice(0, 16).replace('T', ' '),
      }));
      res.type('html').send(
        deps.views.render('reports', {
          ...res.locals,
          title: 'Reports',
          nav: 'reports',
          reports,
        }),
      );
    } catch (error) {
      next(error);
    }
  });
  router.post('/reports', async (req, res, next) => {
    try {
      const id = field(req.body, 'id');
      if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id))
        throw new InputError('id: expected lower-case letters, digits and dashes', 'id');
      const builderQuery = field(req.body, 'funnelQuery');
      const funnel = funnelSpecFromForm(Object.fromEntries(groupParams(builderQuery)));
      const definition = parseWith(reportDefinitionSchema, {
        title: field(req.body, 'title'),
        sections: [{ kind: 'funnel', funnel }],
        builderQuery,
      });
      const saved = await repo().saveFromUi(id, definition);
      if (!saved.saved) throw new InputError(`report ${id} comes from ${saved.filePath}`, 'id');
      res.redirect(303, '/reports');
    } catch (error) {
      next(error);
    }
  });
}

/** A query string as a record whose repeated keys hold arrays, as Express parses them. */
function groupParams(query: string): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of new URLSearchParams(query)) {
    const had = out.get(k);
    out.set(k, had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]);
  }
  return out;
}
