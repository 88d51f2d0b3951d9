import express, { type Request, type RequestHandler } from 'express';
import type { Upload } from '../../app/importUploads.js';
import { InputError, TooLargeError } from '../../errors/errors.js';

const uploads = new WeakMap<Request, Upload[]>();

/** The files a multipart form sent with this request (none for any other request). */
export function uploadsOf(req: Request): Upload[] {
  return uploads.get(req) ?? [];
}

/**
 * A `multipart/form-data` POST read whole up to `limitBytes` and parsed by the platform's form
 * reader: text fields become `req.body` (so the CSRF check finds `_csrf`), files are kept for
 * `uploadsOf`. Mounted before access control only on the upload route, as the JSON and form
 * parsers are for every route.
 */
export function multipartForm(limitBytes: number): RequestHandler {
  const raw = express.raw({ type: 'multipart/form-data', limit: limitBytes });
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data')) return next();
    raw(req, res, (error?: unknown) => {
      if (error) {
        const e = error as { type?: string };
        if (e.type === 'entity.too.large') {
          const mb = Math.round(limitBytes / 1024 / 1024);
          return next(
            new TooLargeError(
              `files: the upload is larger than ${mb} MB; import the files a few at a time`,
              'files',
            ),
          );
        }
        return next(error);
      }
      parse(req).then(() => next(), next);
    });
  };
}

async function parse(req: Request): Promise<void> {
  const body = req.body as unknown;
  const request = new globalThis.Request('http://upload.invalid/', {
    method: 'POST',
    headers: { 'content-type': req.get('content-type') ?? '' },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(),
  });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new InputError('files: the upload could not be read as a form; try again', 'files');
  }
  const fields: Record<string, string> = {};
  const files: Upload[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] ??= value;
    // A file input left empty still sends a part: no name and no bytes.
    else if (value.name !== '' || value.size > 0)
      files.push({ name: value.name, data: Buffer.from(await value.arrayBuffer()) });
  }
  req.body = fields;
  uploads.set(req, files);
}
