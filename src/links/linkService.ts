import { PathlightError } from '../errors/errors.js';
import type { LinkKeys } from './linkSecrets.js';

/** What the doors need to make links: the signing keys and where viewers reach the service. */
export interface LinkService {
  readonly keys: LinkKeys;
  readonly publicUrl: () => string;
}

/** Sharing is off (behind IAP without PATHLIGHT_LINK_SECRETS): said plainly, with the fix. */
export class SharingOffError extends PathlightError {
  override readonly code = 'sharing_off';
  override readonly status = 503;
  constructor() {
    super(
      'sharing is off on this service: set PATHLIGHT_LINK_SECRETS (kid:secret pairs, the same on every instance)',
    );
  }
}
