import { Router, type Response } from 'express';
import type { Engine } from '../../engines/engine.js';
import type { LinkKeys } from '../../links/linkSecrets.js';
import {
  LinkExpiredError,
  LinkInvalidError,
  verifyLink,
  viewerParams,
} from '../../links/linkToken.js';
import { ResultCache } from '../../links/resultCache.js';
import type { BrowserPool } from '../../render/browserPool.js';
import { resolveReportRange } from '../../reports/buildReportModel.js';
import { renderReport } from '../../reports/renderReport.js';
import type { ReportDefinition } from '../../reports/reportDefinition.js';
import type { Ga4DataApi } from '../../ga4/ga4DataApi.js';
import type { Goal } from '../../analyses/goals/goal.js';

export interface ReportLinksDeps {
  readonly keys: LinkKeys;
  /** The stored definition of a report id; undefined when there is none. */
  readonly loadDefinition: (id: string) => Promise<ReportDefinition | undefined>;
  readonly engine: Engine;
  /** Needed for `.pdf`; without it PDF links answer 503 and HTML still works. */
  readonly pool?: BrowserPool;
  readonly now?: () => Date;
  readonly cache?: ResultCache<string | Buffer>;
  /** GA4's Data API when GA4_PROPERTY_ID is set: the data-quality box compares totals. */
  readonly ga4?: Pick<Ga4DataApi, 'totals'>;
  /** Saved goals by name, read at every open: a definition's `goal` may name one. */
  readonly loadGoals?: () => Promise<ReadonlyMap<string, Goal>>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>` +
  `<style>body{font-family:'DejaVu Sans','Noto Sans',sans-serif;color:#23303F;max-width:36rem;margin:12vh auto;padding:0 1.5rem;line-height:1.5}h1{color:#1F4E79;font-size:1.5rem}</style>` +
  `</head><body><h1>${title}</h1><p>${body}</p></body></html>`;

function refuse(res: Response, error: unknown): void {
  if (error instanceof LinkExpiredError) {
    res
      .status(410)
      .type('html')
      .send(
        page(
          'This report link has expired',
          'Links to reports stay valid for a limited time so that old emails cannot show new data. Ask the report’s owner for a fresh link, or open the report in Pathlight.',
        ),
      );
    return;
  }
  if (error instanceof LinkInvalidError) {
    res
      .status(403)
      .type('html')
      .send(page('This link cannot be opened', `${error.message}.`));
    return;
  }
  throw error;
}

/** `GET /r/:token` (HTML) and `GET /r/:token.pdf`: signed, expiring, cached report links. */
export function reportLinksRouter(deps: ReportLinksDeps): Router {
  const router = Router();
  const cache = deps.cache ?? new ResultCache<string | Buffer>();
  const now = deps.now ?? (() => new Date());
  router.get('/r/:token', async (req, res, next) => {
    try {
      const raw = req.params.token;
      const format = raw.endsWith('.pdf') ? 'pdf' : 'html';
      const token = format === 'pdf' ? raw.slice(0, -4) : raw;
      let claims;
      let override;
      try {
        claims = verifyLink(deps.keys, token, now());
        if (!claims.formats.includes(format))
          throw new LinkInvalidError(`this link does not grant ${format.toUpperCase()}`);
        override = viewerParams(claims, req.query as Record<string, unknown>);
      } catch (error) {
        refuse(res, error);
        return;
      }
      const definition = await deps.loadDefinition(claims.report);
      if (!definition) {
        res
          .status(404)
          .type('html')
          .send(page('Report not found', 'The report this link points to no longer exists.'));
        return;
      }
      if (format === 'pdf' && !deps.pool) {
        res
          .status(503)
          .type('html')
          .send(
            page(
              'PDF is not available',
              'This server has no browser to print PDFs; open the HTML link instead.',
            ),
          );
        return;
      }
      const at = now();
      const resolved = resolveReportRange(definition, at, override.dateRange);
      const goals = deps.loadGoals ? await deps.loadGoals() : new Map<string, Goal>();
      // The goals are part of the key: editing a saved goal must not serve the old numbers.
      const key = ResultCache.key(definition.id, {
        ...resolved,
        format,
        def: definition,
        goals: [...goals.entries()],
      });
      const body = await cache.get(key, async () => {
        const out = await renderReport(deps.engine, definition, at, {
          format,
          goals,
          ...(override.dateRange ? { dateRange: override.dateRange } : {}),
          ...(deps.pool ? { pool: deps.pool } : {}),
          ...(deps.ga4 ? { ga4: deps.ga4 } : {}),
        });
        return format === 'pdf' ? (out.pdf as Buffer) : out.html;
      });
      res.set('Cache-Control', 'private, no-store');
      res.set('X-Robots-Tag', 'noindex');
      if (format === 'pdf') {
        res
          .type('application/pdf')
          .set(
            'Content-Disposition',
            `inline; filename="${definition.id}-${resolved.range.start}_${resolved.range.end}.pdf"`,
          )
          .send(body);
      } else {
        res.type('html').send(body);
      }
    } catch (error) {
      next(error);
    }
  });
  return router;
}
