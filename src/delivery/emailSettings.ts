import type { LinkService } from '../links/linkService.js';

/** How a run's email is put together: the attachment cap, and recorded links: "open online" and PDFs over the cap. */
export interface EmailSettings {
  readonly attachmentLimitBytes: number;
  readonly unsubscribeMailto: string;
  readonly links?: LinkService & { ttlDays: number };
}
