import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import {
  NotFoundError,
  PathlightError,
  PreparingError,
  formatIssuePath,
} from '../errors/errors.js';
import { pageError } from './pages/pageError.js';
import type { Views } from './pages/views.js';

export interface ErrorBody {
  readonly error: { code: string; message: string; field?: string };
}

/** Any error as the one answer shape: status and `{ error: { code, message, field } }`. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof PathlightError) {
    return {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message:
            error.status >= 500 && !(error instanceof PreparingError)
              ? 'internal error'
              : error.message,
          ...(error.field ? { field: error.field } : {}),
        },
      },
    };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = formatIssuePath(issue?.path ?? []);
    return {
      status: 400,
      body: {
        error: {
          code: 'invalid_input',
          message: `${field || 'body'}: ${issue?.message ?? 'invalid'}`,
          ...(field ? { field } : {}),
        },
      },
    };
  }
  // body-parser's errors (too large, bad JSON) carry an HTTP status and a type.
  const e = error as { status?: number; type?: string; message?: string };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const code =
      e.type === 'entity.too.large'
        ? 'payload_too_large'
        : e.type === 'entity.parse.failed'
          ? 'invalid_json'
          : 'bad_request';
    return { status: e.status, body: { error: { code, message: e.message ?? code } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}

const PREPARING_RETRY_S = 3;

/** The one error middleware: JSON for the API, a short page for browsers. */
export function errorHandler(logger: Logger, views?: Views): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, body } = toErrorBody(error);
    const preparing = error instanceof PreparingError;
    if (status >= 500 && !preparing) logger.error({ err: error, reqId: req.id }, 'request failed');
    const wantsHtml = !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html';
    res.status(status);
    if (preparing) res.setHeader('Retry-After', String(PREPARING_RETRY_S));
    if (wantsHtml && preparing) {
      // The page reloads itself until the data is there, showing how far along it is meanwhile.
      res
        .type('html')
        .send(
          `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="${PREPARING_RETRY_S}"><title>Preparing</title><p>${escapeHtml(body.error.message)}</p><p>This page will load by itself when the data is ready.</p>`,
        );
      return;
    }
    if (wantsHtml && views) {
      // A person reads the validator's message in plain words, its field named as pages name it.
      const message =
        error instanceof PathlightError && status === 400
          ? pageError(error, () => undefined).message
          : body.error.message;
      res.type('html').send(errorPage(views, req, status, message));
      return;
    }
    if (wantsHtml) {
      res
        .type('html')
        .send(
          `<!doctype html><meta charset="utf-8"><title>${status}</title><p>${escapeHtml(body.error.message)}</p><p><a href="/">Back</a></p>`,
        );
      return;
    }
    res.json(body);
  };
}

/** No route: the API answers in its JSON shape, a browser gets the site's own page saying so. */
export const notFound: RequestHandler = (req, _res, next) => {
  const page = !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html';
  next(
    new NotFoundError(
      page ? `There is no page at ${req.path}.` : `no route for ${req.method} ${req.path}`,
    ),
  );
};

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** The site's own error page, signed-in menu included, so a person is never stranded. */
function errorPage(views: Views, req: Request, status: number, message: string): string {
  const principal = (req as { principal?: { role?: string } }).principal;
  return views.render('error', {
    title: status === 404 ? 'Not found' : status >= 500 ? 'Something went wrong' : 'Cannot do that',
    user: principal,
    status,
    message,
    serverFault: status >= 500,
    requestId: String(req.id ?? ''),
    back: backPath(req.get('referer'), req.get('host')),
  });
}

/** The page a person came from, when it is on this site; the start page otherwise. */
function backPath(referer: string | undefined, host: string | undefined): string {
  try {
    const url = new URL(referer ?? '');
    return url.host === host ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}
