import { NotFoundError } from '../errors/errors.js';
import type { Queryable } from '../store/storeDb.js';
import { createLink, type CreatedLink } from './createLink.js';
import type { LinkService } from '../links/linkService.js';

/**
 * An email's "Open this report online" link: the email's own period, recorded like any other
 * link (revocable, opens counted). A report that is not in the store (sent from a file) has none.
 */
export async function emailLink(
  store: Queryable,
  links: LinkService & { ttlDays: number },
  email: { reportId: string; range: { start: string; end: string }; sentFor: string },
  now = new Date(),
): Promise<CreatedLink | undefined> {
  try {
    return await createLink(
      {
        store,
        keys: links.keys,
        publicUrl: links.publicUrl,
      },
      {
        reportId: email.reportId,
        request: {
          ttl: `${links.ttlDays}d`,
          range: { start: email.range.start, end: email.range.end },
        },
        createdBy: email.sentFor,
        source: 'email',
      },
      now,
    );
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
