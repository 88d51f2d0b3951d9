import type { LinkKeys } from '../links/linkSecrets.js';

/** How a run's email is put together: the attachment cap, and signed links for PDFs over it. */
export interface EmailSettings {
  readonly attachmentLimitBytes: number;
  readonly unsubscribeMailto: string;
  readonly links?: { keys: LinkKeys; publicUrl: string; ttlDays: number };
}
