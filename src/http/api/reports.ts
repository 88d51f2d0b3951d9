import type { Router } from 'express';
import { InputError, NotFoundError } from '../../errors/errors.js';
import { parseReportDefinition, reportDefinitionSchema } from '../../reports/reportDefinition.js';
import { renderReport } from '../../reports/renderReport.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import {
  storedGoals,
  storedPersonas,
  storedReportDefinition,
} from '../../app/storedDefinitions.js';
import type { ApiDeps } from './apiDeps.js';
import { handle, param } from './handler.js';

export { reportDefinitionSchema };

/** The store's report ids are stricter than the schema's (no underscores). */
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Report definitions (the reports schema), and previews in HTML or PDF via the reports use-case. */
export function reportsRoutes(router: Router, deps: ApiDeps): void {
  // What a preview shares with a scheduled run: GA4's totals for the data-quality box, saved goals.
  const shared = async () => ({
    goals: await storedGoals(deps.store),
    personas: await storedPersonas(deps.store),
    ...(deps.ga4 ? { ga4: deps.ga4 } : {}),
  });
  const repo = () => new DefinitionsRepo<Record<string, unknown>>(deps.store, 'reports');
  const view = (s: {
    key: string;
    definition: Record<string, unknown>;
    source: string;
    filePath: string | null;
  }) => ({ ...s.definition, id: s.key, source: s.source, filePath: s.filePath });
  router.get(
    '/reports',
    handle(async () => ({ reports: (await repo().list()).map(view) })),
  );
  router.post(
    '/reports/preview',
    handle(async (req, res) => {
      const definition = parseReportDefinition(req.body);
      const rendered = await renderReport(deps.engine, definition, new Date(), {
        format: 'html',
        ...(await shared()),
      });
      res.type('html').send(rendered.html);
    }),
  );
  router.get(
    '/reports/:id',
    handle(async (req) => {
      const stored = await repo().get(param(req, 'id'));
      if (!stored) throw new NotFoundError(`no report ${param(req, 'id')}`, 'id');
      return view(stored);
    }),
  );
  router.get(
    '/reports/:id/preview',
    handle(async (req, res) => {
      const id = param(req, 'id');
      const definition = await storedReportDefinition(deps.store, id);
      if (!definition) throw new NotFoundError(`no report ${id}`, 'id');
      const format = req.query.format === 'pdf' ? 'pdf' : 'html';
      if (format === 'pdf' && !deps.pool)
        throw new InputError(
          'format: PDFs are off on this service (PATHLIGHT_BROWSER_PATH=none or no browser); preview as HTML',
          'format',
        );
      const rendered = await renderReport(deps.engine, definition, new Date(), {
        format,
        ...(await shared()),
        ...(deps.pool ? { pool: deps.pool } : {}),
      });
      if (format === 'pdf' && rendered.pdf) {
        res
          .type('application/pdf')
          .setHeader('Content-Disposition', `inline; filename="${id}.pdf"`);
        res.send(rendered.pdf);
        return;
      }
      res.type('html').send(rendered.html);
    }),
  );
  router.put(
    '/reports/:id',
    handle(async (req) => {
      const id = param(req, 'id');
      if (!ID.test(id))
        throw new InputError('id: expected lower-case letters, digits and dashes', 'id');
      const definition = parseReportDefinition({
        ...((req.body ?? {}) as Record<string, unknown>),
        id,
      });
      const saved = await repo().saveFromUi(id, definition);
      if (!saved.saved)
        throw new InputError(`report ${id} comes from ${saved.filePath}: change it there`, 'id');
      return definition;
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
