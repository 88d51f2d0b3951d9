import type { Engine } from '../../engines/engine.js';
import type { Ga4DataApi } from '../../ga4/ga4DataApi.js';
import type { LinkService } from '../../links/linkService.js';
import type { BrowserPool } from '../../render/browserPool.js';
import type { StoreDb } from '../../store/storeDb.js';

/** What the JSON API's routes need: the events engine, the store, and where the outbox is. */
export interface ApiDeps {
  readonly engine: Engine;
  readonly store: StoreDb;
  /** The embedded default's outbox folder; undefined when mail goes to an SMTP relay. */
  readonly outboxDir?: string;
  readonly includeIntraday?: boolean;
  readonly queryTimeoutMs?: number;
  /** Event names GA4 marks as key events (Data API), when a property is configured. */
  readonly keyEvents?: () => Promise<string[]>;
  /** Prints report previews as PDF. */
  readonly pool?: BrowserPool;
  /** GA4's Data API when a property is configured: report previews compare totals like scheduled runs. */
  readonly ga4?: Pick<Ga4DataApi, 'totals'>;
  /** Shared report links: signing keys and the public address; absent when sharing is off. */
  readonly links?: LinkService;
}
