import { Router, type Request, type Response } from 'express';
import type { Engine } from '../../engines/engine.js';
import type { LinkKeys } from '../../links/linkSecrets.js';
import {
  LinkExpiredError,
  LinkInvalidError,
  LinkRefusedError,
  LinkRevokedError,
  verifyLink,
  viewerParams,
  type LinkClaims,
} from '../../links/linkToken.js';
import { ResultCache } from '../../links/resultCache.js';
import type { BrowserPool } from '../../render/browserPool.js';
import { resolveReportRange } from '../../reports/buildReportModel.js';
import { renderReport } from '../../reports/renderReport.js';
import type { ReportDefinition } from '../../reports/reportDefinition.js';
import { LinksRepo } from '../../store/linksRepo.js';
import type { Queryable } from '../../store/storeDb.js';
import type { Ga4DataApi } from '../../ga4/ga4DataApi.js';
import type { Goal } from '../../analyses/goals/goal.js';
import { RANGE_LABELS } from '../pages/reportForm.js';
import { loadLinkViews, type LinkViews, type SharedBar } from './linkViews.js';

/** A rendered report as the cache keeps it: the body, and when it was made (the page says so). */
export interface CachedReport {
  readonly body: string | Buffer;
  readonly generatedAt: Date;
}

export interface ReportLinksDeps {
  readonly keys: LinkKeys;
  /** The stored definition of a report id; undefined when there is none. */
  readonly loadDefinition: (id: string) => Promise<ReportDefinition | undefined>;
  readonly engine: Engine;
  /** Needed for `.pdf`; without it PDF links answer 503 and HTML still works. */
  readonly pool?: BrowserPool;
  readonly now?: () => Date;
  readonly cache?: ResultCache<CachedReport>;
  /** GA4's Data API when GA4_PROPERTY_ID is set: the data-quality box compares totals. */
  readonly ga4?: Pick<Ga4DataApi, 'totals'>;
  /** Saved goals by name, read at every open: a definition's `goal` may name one. */
  readonly loadGoals?: () => Promise<ReadonlyMap<string, Goal>>;
  /** The links' records: the revocation list checked at every open, and the open counter. */
  readonly store?: Queryable;
}

type Range = LinkClaims['params']['dateRange'];

const utc = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const rangeLabel = (range: Range): string =>
  range === undefined
    ? 'the report’s own period'
    : typeof range === 'string'
      ? (RANGE_LABELS[range] ?? range)
      : `${range.start} to ${range.end}`;

/** The range picker: only what the link grants, the link's own range first. */
function pickerFor(
  claims: LinkClaims,
  current: Range,
  resolved: { start: string; end: string },
): SharedBar['picker'] {
  const grant = claims.ranges;
  if (grant && 'list' in grant) {
    const own = claims.params.dateRange;
    const list = [
      {
        value: '',
        label: `As shared: ${rangeLabel(own)}`,
        selected: JSON.stringify(current) === JSON.stringify(own),
      },
      ...grant.list
        .filter((r) => r !== own)
        .map((r) => ({ value: r, label: RANGE_LABELS[r] ?? r, selected: current === r })),
    ];
    return { list };
  }
  if (grant || claims.allowDateRange)
    return { span: { ...resolved, maxDays: grant && 'maxDays' in grant ? grant.maxDays : 366 } };
  return {};
}

/** The viewer's query without empty fields: the picker's "as shared" option sends an empty range. */
function viewerQuery(req: Request): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(req.query as Record<string, unknown>).filter(([, v]) => v !== ''),
  );
}

/**
 * `GET /r/:token` (the report with a bar: range picker, Download PDF, generation time, expiry) and
 * `GET /r/:token.pdf`: signed, expiring, revocable, cached report links.
 */
export function reportLinksRouter(deps: ReportLinksDeps): Router {
  const router = Router();
  const cache = deps.cache ?? new ResultCache<CachedReport>();
  const now = deps.now ?? (() => new Date());
  const views: LinkViews = loadLinkViews();
  const links = deps.store ? new LinksRepo(deps.store) : undefined;

  const answer = (res: Response, status: number, page: Parameters<LinkViews['answer']>[0]) => {
    res.status(status).set('X-Robots-Tag', 'noindex').type('html').send(views.answer(page));
  };

  /** The viewer hears expired, revoked, or "not valid"; which check failed stays in the log. */
  const refuse = (req: Request, res: Response, error: unknown, back: string): void => {
    if (error instanceof LinkExpiredError)
      return answer(res, 410, {
        title: 'This report link has expired',
        body: 'Links to reports stay valid for a limited time so that old emails cannot show new data. Ask the report’s owner for a fresh link, or open the report in Pathlight.',
      });
    if (error instanceof LinkRevokedError)
      return answer(res, 410, {
        title: 'This report link was turned off',
        body: 'Whoever shared this report has revoked the link, so it no longer opens. Ask them for a new one if you still need the report.',
      });
    if (error instanceof LinkRefusedError)
      return answer(res, 403, {
        title: 'This link cannot show that',
        body: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`,
        back,
      });
    if (error instanceof LinkInvalidError) {
      req.log?.info({ reason: error.message }, 'report link refused');
      return answer(res, 403, {
        title: 'This link cannot be opened',
        body: 'The link is not valid. Check that it was copied in full, or ask whoever shared it for a new one.',
      });
    }
    throw error;
  };

  router.get('/r/:token', async (req, res, next) => {
    try {
      const raw = req.params.token;
      const format = raw.endsWith('.pdf') ? 'pdf' : 'html';
      const token = format === 'pdf' ? raw.slice(0, -4) : raw;
      const self = `/r/${token}`;
      const at = now();
      let claims: LinkClaims;
      let override: { dateRange?: Range };
      try {
        claims = verifyLink(deps.keys, token, at);
        if (claims.id !== undefined) {
          // Every recorded link is checked against the store: revoked, or not (or no longer) known.
          const stored = links ? await links.get(claims.id) : undefined;
          if (!stored || stored.reportId !== claims.report)
            throw new LinkInvalidError('link not in the store');
          if (stored.revokedAt) throw new LinkRevokedError(stored.revokedAt);
        }
        if (!claims.formats.includes(format))
          throw new LinkRefusedError(`this link does not grant ${format.toUpperCase()}`);
        override = viewerParams(claims, viewerQuery(req));
      } catch (error) {
        refuse(req, res, error, self);
        return;
      }
      const definition = await deps.loadDefinition(claims.report);
      if (!definition) {
        answer(res, 404, {
          title: 'Report not found',
          body: 'The report this link points to no longer exists.',
        });
        return;
      }
      if (format === 'pdf' && !deps.pool) {
        answer(res, 503, {
          title: 'PDF is not available',
          body: 'This server has no browser to print PDFs; open the HTML link instead.',
        });
        return;
      }
      const resolved = resolveReportRange(definition, at, override.dateRange);
      const goals = deps.loadGoals ? await deps.loadGoals() : new Map<string, Goal>();
      // The goals are part of the key: editing a saved goal must not serve the old numbers.
      const key = ResultCache.key(definition.id, {
        ...resolved,
        format,
        def: definition,
        goals: [...goals.entries()],
      });
      const rendered = await cache.get(key, async () => {
        const out = await renderReport(deps.engine, definition, at, {
          format,
          goals,
          ...(override.dateRange ? { dateRange: override.dateRange } : {}),
          ...(deps.pool ? { pool: deps.pool } : {}),
          ...(deps.ga4 ? { ga4: deps.ga4 } : {}),
        });
        return {
          body: format === 'pdf' ? (out.pdf as Buffer) : out.html,
          generatedAt: new Date(),
        };
      });
      if (claims.id !== undefined && links) await links.recordOpen(claims.id, at);
      res.set('Cache-Control', 'private, no-store');
      res.set('X-Robots-Tag', 'noindex');
      if (format === 'pdf') {
        res
          .type('application/pdf')
          .set(
            'Content-Disposition',
            `inline; filename="${definition.id}-${resolved.range.start}_${resolved.range.end}.pdf"`,
          )
          .send(rendered.body);
        return;
      }
      const search = new URLSearchParams(viewerQuery(req) as Record<string, string>).toString();
      res.type('html').send(
        views.withBar(String(rendered.body), {
          self,
          picker: pickerFor(claims, override.dateRange, resolved.range),
          ...(claims.formats.includes('pdf') && deps.pool
            ? { pdfUrl: `${self}.pdf${search ? `?${search}` : ''}` }
            : {}),
          generated: utc(rendered.generatedAt),
          expires: utc(new Date(claims.exp * 1000)),
        }),
      );
    } catch (error) {
      next(error);
    }
  });
  return router;
}
