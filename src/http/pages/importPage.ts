import type { Request, Response, Router } from 'express';
import type { UploadResult } from '../../app/importUploads.js';
import { ImportError, InputError, NotFoundError, PathlightError } from '../../errors/errors.js';
import { uploadsOf } from './multipartForm.js';
import type { PageDeps } from './pageDeps.js';
import type { PageError } from './pageError.js';

/** The default cap on one upload: a few months of a shop's offline rows or daily costs. */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

type Kind = 'offline' | 'costs';
const INPUT: Record<Kind, string> = { offline: 'offlineFiles', costs: 'costFiles' };

/** An import's error on the form's file field, with what it means for the data. */
function importError(kind: Kind, error: PathlightError): PageError {
  const nothing =
    error instanceof ImportError
      ? ' Nothing was imported: correct the file and upload it again.'
      : '';
  const message = error.message.replace(/^(offlineFiles|costFiles|files): /, '');
  const sentence = nothing && !/[.!?]$/.test(message) ? `${message}.` : message;
  return { field: INPUT[kind], where: '', message: `${sentence}${nothing}`, onField: true };
}

/** The import page: offline-event and cost CSV uploads, per file what they added. */
export function importPage(router: Router, deps: PageDeps & { uploadLimitBytes: number }): void {
  const render = (
    res: Response,
    status: number,
    more: { results?: UploadResult[]; kind?: Kind; error?: PageError } = {},
  ) => {
    res
      .status(status)
      .type('html')
      .send(
        deps.views.render('import', {
          ...res.locals,
          title: 'Import',
          nav: 'import',
          limitMb: Math.round(deps.uploadLimitBytes / 1024 / 1024),
          results: more.results,
          resultsTitle: more.kind === 'costs' ? 'Ad costs imported' : 'Offline events imported',
          existingLabel: more.kind === 'costs' ? 'Replaced' : 'Already imported',
          error: more.error,
        }),
      );
  };
  router.get('/import', (_req, res) => render(res, 200));
  for (const kind of ['offline', 'costs'] as const) {
    router.post(`/import/${kind}`, async (req: Request, res: Response, next) => {
      try {
        if (!deps.imports) throw new NotFoundError('imports are not available on this service');
        const files = uploadsOf(req);
        if (files.length === 0) {
          throw new InputError(`${INPUT[kind]}: choose at least one CSV file`, INPUT[kind]);
        }
        const results = await deps.imports[kind](files);
        render(res, 200, { results, kind });
      } catch (error) {
        if (!(error instanceof PathlightError) || error.status !== 400) return next(error);
        render(res, 400, { kind, error: importError(kind, error) });
      }
    });
  }
}
