import type { Logger } from 'pino';
import { transportFor, verifyTransport } from '../app/mailSetup.js';
import { openStore } from '../app/openStore.js';
import { servingEngine } from '../app/preparingEngine.js';
import type { Config } from '../config/config.js';
import type { Transport } from '../delivery/transport.js';
import type { Engine } from '../engines/engine.js';
import { ga4DataApi, type Ga4DataApi } from '../ga4/ga4DataApi.js';
import { BrowserPool } from '../render/browserPool.js';
import { deferredStore } from '../store/deferredStore.js';
import type { StoreDb } from '../store/storeDb.js';

/** The service's long-lived parts, each closed when it stops. */
export interface ServiceParts {
  readonly engine: Engine;
  readonly store: StoreDb;
  readonly transport: Transport;
  /** The embedded outbox folder, when mail goes there instead of to a relay. */
  readonly outbox?: string;
  readonly pool?: BrowserPool;
  /** PDFs are off (`PATHLIGHT_BROWSER_PATH=none`). */
  readonly htmlOnly: boolean;
  /** GA4's Data API, when a property is configured: key events and the reports' totals check. */
  readonly ga4?: Ga4DataApi;
  /** Runs a write to the events file with the service's reader closed, queries waiting. */
  whileClosed<T>(write: () => Promise<T>): Promise<T>;
}

/**
 * One browser pool for scheduled PDFs, previews and signed links; Chromium starts on first use.
 * `none` turns PDFs off (App Engine standard has no Chromium): HTML emails and previews only.
 */
function browserPoolFor(config: Config, logger: Logger): { pool?: BrowserPool; htmlOnly: boolean } {
  if (config.PATHLIGHT_BROWSER_PATH === 'none') {
    logger.warn('PATHLIGHT_BROWSER_PATH=none: reports go out as HTML only, no PDF');
    return { htmlOnly: true };
  }
  const executable = config.PATHLIGHT_BROWSER_PATH;
  return {
    pool: new BrowserPool(executable ? { executablePath: executable } : {}),
    htmlOnly: false,
  };
}

/**
 * Opens the engine, the store, the mail transport, the browser pool and GA4's API. Listen first:
 * a first start's sample is built, and the embedded store created, behind the server; until then
 * data requests say how far along the sample is and store calls wait.
 */
export async function openServiceParts(config: Config, logger: Logger): Promise<ServiceParts> {
  const { engine, whileClosed } = await servingEngine(config, logger);
  const opening = openStore(config).then(({ store, applied }) => {
    if (applied.length > 0) logger.info({ applied }, 'store migrated');
    return store;
  });
  const store = config.DATABASE_URL ? await opening : deferredStore('pglite', opening);
  const { transport, outbox } = transportFor(config);
  await verifyTransport(transport, logger);
  const { pool, htmlOnly } = browserPoolFor(config, logger);
  const ga4 = config.GA4_PROPERTY_ID
    ? ga4DataApi({ propertyId: config.GA4_PROPERTY_ID })
    : undefined;
  return {
    engine,
    store,
    transport,
    htmlOnly,
    whileClosed,
    ...(outbox ? { outbox } : {}),
    ...(pool ? { pool } : {}),
    ...(ga4 ? { ga4 } : {}),
  };
}
