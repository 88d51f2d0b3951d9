import type { Request, Response, Router } from 'express';
import { InputError, NotFoundError } from '../../errors/errors.js';
import { createLink, type CreatedLink } from '../../app/createLink.js';
import { RELATIVE_RANGES } from '../../reports/relativeDateRange.js';
import { LinksRepo } from '../../store/linksRepo.js';
import { linkDeps, linkView, reports } from '../api/reportLinksApi.js';
import { field, fields, type PageDeps } from './pageDeps.js';
import { fieldMessage } from './pageError.js';
import { RANGE_LABELS } from './reportForm.js';

const TTLS = [
  ['1d', '1 day'],
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['90d', '90 days'],
  ['366d', 'a year'],
] as const;

/** What was typed, kept as typed so a refused form comes back filled in. */
interface ShareForm {
  ttl: string;
  range: string;
  allow: string;
  ranges: string[];
  maxSpanDays: string;
}

const emptyForm = (): ShareForm => ({
  ttl: '30d',
  range: '',
  allow: 'none',
  ranges: [],
  maxSpanDays: '92',
});

const formOf = (body: unknown): ShareForm => ({
  ttl: field(body, 'ttl'),
  range: field(body, 'range'),
  allow: field(body, 'allow') || 'none',
  ranges: fields(body, 'ranges'),
  maxSpanDays: field(body, 'maxSpanDays'),
});

/** The form as the links use-case's request; the choice of grant decides which fields count. */
function requestOf(form: ShareForm): Record<string, unknown> {
  if (form.allow === 'list' && form.ranges.length === 0)
    throw new InputError('ranges: tick at least one range the viewer may switch to', 'ranges');
  const span = Number(form.maxSpanDays);
  if (form.allow === 'span' && !/^[0-9]{1,3}$/.test(form.maxSpanDays))
    throw new InputError('maxSpanDays: expected a whole number of days, 1 to 366', 'maxSpanDays');
  return {
    ttl: form.ttl,
    ...(form.range ? { range: form.range } : {}),
    ...(form.allow === 'list' ? { ranges: form.ranges } : {}),
    ...(form.allow === 'span' ? { maxSpanDays: span } : {}),
  };
}

const utc = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');

const grantLabel = (ranges: Record<string, unknown> | null): string => {
  if (!ranges) return 'its own period only';
  if (Array.isArray(ranges.list))
    return (ranges.list as string[]).map((r) => RANGE_LABELS[r] ?? r).join(', ');
  return `any dates up to ${String(ranges.maxDays)} days apart`;
};

const rangeText = (range: unknown): string =>
  range === null || range === undefined
    ? 'the report’s own'
    : typeof range === 'string'
      ? (RANGE_LABELS[range] ?? range)
      : `${(range as { start: string }).start} to ${(range as { end: string }).end}`;

/**
 * The Share dialog of a report: make a link (lifetime, period, what the viewer may switch to), see
 * the report's links (who made them, expiry, opens, last opened) and revoke one. No script needed.
 */
export function sharePage(router: Router, deps: PageDeps): void {
  const show = async (
    req: Request,
    res: Response,
    extra: { form?: ShareForm; error?: InputError; created?: CreatedLink; status?: number } = {},
  ) => {
    const id = String(req.params.id);
    const stored = await reports(deps).get(id);
    if (!stored) throw new NotFoundError(`no report ${id}`, 'id');
    const title = String(stored.definition.title ?? id);
    // The schema's default when a definition names no range.
    const ownRange = stored.definition.dateRange ?? 'last_7_days';
    const now = new Date();
    const links = (await new LinksRepo(deps.store).listForReport(id)).map((l) => {
      const view = linkView(l, now);
      return {
        ...view,
        createdAt: utc(view.createdAt),
        expiresAt: utc(view.expiresAt),
        lastOpenedAt: utc(view.lastOpenedAt),
        range: rangeText(view.range),
        grant: grantLabel(view.ranges),
        active: view.status === 'active',
      };
    });
    const form = extra.form ?? emptyForm();
    const plain = extra.error ? fieldMessage(extra.error) : '';
    const error = extra.error && {
      message: `${plain.charAt(0).toUpperCase()}${plain.slice(1)}.`,
      field: (extra.error.field ?? '').split(/[.[]/)[0],
    };
    res
      .status(extra.status ?? 200)
      .type('html')
      .send(
        deps.views.render('share', {
          ...res.locals,
          title: `Share ${title}`,
          nav: 'reports',
          report: { id, title, range: rangeText(ownRange) },
          sharingOn: deps.links !== undefined,
          form,
          ttls: TTLS.map(([value, label]) => ({ value, label, selected: form.ttl === value })),
          startRanges: RELATIVE_RANGES.map((r) => ({
            value: r,
            label: RANGE_LABELS[r] ?? r,
            selected: form.range === r,
          })),
          allowRanges: RELATIVE_RANGES.map((r) => ({
            value: r,
            label: RANGE_LABELS[r] ?? r,
            checked: form.ranges.includes(r),
          })),
          allow: { [form.allow]: true },
          error,
          errorOn: error ? { [error.field ?? '']: error.message } : {},
          created: extra.created && {
            url: extra.created.url,
            pdfUrl: extra.created.pdfUrl,
            expiresAt: utc(extra.created.expiresAt.toISOString()),
          },
          links,
        }),
      );
  };

  router.get('/reports/:id/share', async (req, res, next) => {
    try {
      await show(req, res);
    } catch (error) {
      next(error);
    }
  });

  router.post('/reports/:id/share', async (req, res, next) => {
    const form = formOf(req.body);
    try {
      if (!deps.links) throw new InputError('sharing is off on this service', 'ttl');
      const created = await createLink(linkDeps(deps, deps.links), {
        reportId: String(req.params.id),
        request: requestOf(form),
        createdBy: req.principal?.email ?? 'unknown',
        source: 'share',
      });
      await show(req, res, { created, status: 201 });
    } catch (error) {
      if (!(error instanceof InputError)) return next(error);
      try {
        await show(req, res, { form, error, status: 400 });
      } catch (inner) {
        next(inner);
      }
    }
  });

  router.post('/reports/:id/links/:linkId/revoke', async (req, res, next) => {
    try {
      const id = String(req.params.id);
      const done = await new LinksRepo(deps.store).revoke(
        id,
        String(req.params.linkId),
        req.principal?.email ?? 'unknown',
        new Date(),
      );
      if (!done) throw new NotFoundError(`no link ${String(req.params.linkId)} of report ${id}`);
      res.redirect(303, `/reports/${encodeURIComponent(id)}/share`);
    } catch (error) {
      next(error);
    }
  });
}
