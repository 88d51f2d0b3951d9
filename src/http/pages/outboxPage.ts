import type { Router } from 'express';
import { listOutbox, openOutboxMessage, type OutboxMessage } from '../../delivery/outboxFolder.js';
import type { MimeAttachment, MimeMessage } from '../../delivery/readMime.js';
import { formatBytes } from '../../email/reportEmail.js';
import { NotFoundError } from '../../errors/errors.js';
import type { PageDeps } from './pageDeps.js';

/** Pictures a browser draws without running anything: shown inline; every other type downloads. */
const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * The email body is the sender's HTML: it is drawn in a sandboxed frame (no scripts, no same
 * origin), may fetch nothing (its images arrive as data: URIs), and only our pages may frame it.
 */
export const BODY_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

/** A downloaded part is never a document of ours: no scripts, no framing, no fetching. */
const PART_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'self'; sandbox";

const storedLabel = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/** A list row: the message once, with everyone it went to. */
export function outboxRow(m: OutboxMessage) {
  return {
    file: m.file,
    subject: m.subject ?? '(no subject)',
    recipients: m.recipients.join(', '),
    copies: m.copies.length,
    size: formatBytes(m.bytes),
    storedAt: storedLabel(m.storedAt),
  };
}

/** The HTML body with its `cid:` pictures as data: URIs, links opening outside the frame. */
export function bodyForFrame(message: MimeMessage): string {
  const byCid = new Map(
    message.attachments
      .filter((a) => a.contentId && RASTER.has(a.contentType))
      .map((a) => [a.contentId!, a]),
  );
  const html = (message.html ?? '').replace(/cid:([^"'()\s>]+)/g, (all, cid: string) => {
    const image = byCid.get(cid);
    return image ? `data:${image.contentType};base64,${image.content.toString('base64')}` : all;
  });
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(html)
    ? html.replace(/<head[^>]*>/i, (head) => `${head}${base}`)
    : `${base}${html}`;
}

const attachmentView = (file: string, a: MimeAttachment) => ({
  index: a.index,
  filename: a.filename,
  contentType: a.contentType,
  size: formatBytes(a.content.length),
  href: `/outbox/${file}/parts/${a.index}`,
  image: RASTER.has(a.contentType),
  inBody: a.disposition === 'inline' && a.contentId !== null,
  contentId: a.contentId,
});

/** `filename*` (RFC 5987) for any name, a plain ASCII fallback beside it. */
const dispositionHeader = (kind: 'inline' | 'attachment', filename: string) =>
  `${kind}; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** The outbox: every sent message once, and a viewer that shows it as its recipients see it. */
export function outboxPage(router: Router, deps: PageDeps): void {
  const open = (file: string) => {
    const opened = openOutboxMessage(deps.outboxDir, file);
    if (!opened) throw new NotFoundError(`no message ${file} in the outbox`, 'file');
    return opened;
  };

  router.get('/outbox', (_req, res, next) => {
    try {
      res.type('html').send(
        deps.views.render('outbox', {
          ...res.locals,
          title: 'Outbox',
          nav: 'schedules',
          outboxEnabled: Boolean(deps.outboxDir),
          outbox: listOutbox(deps.outboxDir).map(outboxRow),
        }),
      );
    } catch (error) {
      next(error);
    }
  });

  router.get('/outbox/:file', (req, res, next) => {
    try {
      const file = String(req.params.file);
      const { message, listed, raw } = open(file);
      const attachments = message.attachments.map((a) => attachmentView(file, a));
      res.type('html').send(
        deps.views.render('outboxMessage', {
          ...res.locals,
          title: message.subject ?? 'Message',
          nav: 'schedules',
          file,
          subject: message.subject ?? '(no subject)',
          from: message.header('from'),
          to: message.header('to'),
          cc: message.header('cc'),
          date: message.header('date'),
          size: formatBytes(raw.length),
          copies: (listed?.copies ?? []).map((c) => ({
            file: c.file,
            recipient: c.recipient ?? message.header('to') ?? c.file,
          })),
          hasHtml: message.html !== null,
          text: message.text,
          attachments,
          images: attachments.filter((a) => a.image),
        }),
      );
    } catch (error) {
      next(error);
    }
  });

  router.get('/outbox/:file/body', (req, res, next) => {
    try {
      const { message } = open(String(req.params.file));
      res.setHeader('Content-Security-Policy', BODY_CSP);
      res.setHeader('Cache-Control', 'private, no-store');
      res.type('html').send(bodyForFrame(message));
    } catch (error) {
      next(error);
    }
  });

  router.get('/outbox/:file/parts/:index', (req, res, next) => {
    try {
      const { message } = open(String(req.params.file));
      const part = message.attachments[Number(req.params.index)];
      if (!/^\d+$/.test(String(req.params.index)) || !part)
        throw new NotFoundError(`no attachment ${String(req.params.index)}`, 'index');
      // Only raster pictures open in the browser; anything else (a PDF, an SVG) is saved.
      const inline = req.query.view === 'inline' && RASTER.has(part.contentType);
      res.setHeader('Content-Security-Policy', PART_CSP);
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader(
        'Content-Disposition',
        dispositionHeader(inline ? 'inline' : 'attachment', part.filename),
      );
      res.type(inline ? part.contentType : part.contentType || 'application/octet-stream');
      res.send(part.content);
    } catch (error) {
      next(error);
    }
  });
}
