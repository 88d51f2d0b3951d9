import type { Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { emailSettings, transportFor, verifyTransport } from '../app/mailSetup.js';
import { scheduledWorker } from '../app/scheduledWorker.js';
import { openStore } from '../app/openStore.js';
import { servingEngine } from '../app/preparingEngine.js';
import type { RunRenderer } from '../app/processNextRun.js';
import { reportRunEmail } from '../app/reportRunEmail.js';
import { storedGoals, storedReportDefinition } from '../app/storedDefinitions.js';
import type { Config } from '../config/config.js';
import type { Engine } from '../engines/engine.js';
import { ga4DataApi, type Ga4DataApi } from '../ga4/ga4DataApi.js';
import { onAppEngine } from '../http/onAppEngine.js';
import { reportLinksRouter } from '../http/routes/reportLinks.js';
import { createApp, startServer, type RunningServer } from '../http/server.js';
import type { LinkService } from '../links/linkService.js';
import { linkServiceFor } from '../links/linkSettings.js';
import { BrowserPool } from '../render/browserPool.js';
import { findChrome } from '../render/findChrome.js';
import { startSchedulerLoop, type SchedulerLoop } from '../scheduler/schedulerLoop.js';
import { deferredStore } from '../store/deferredStore.js';
import type { StoreDb } from '../store/storeDb.js';
import { cachedKeyEvents } from './cachedKeyEvents.js';
import { serviceAccess } from './serviceAccess.js';

export interface ServiceOptions {
  /** Renders a run's report and email; tests pass their own to watch the worker alone. */
  readonly renderer?: RunRenderer;
  /** Tests serve IAP keys generated in the test. */
  readonly iapKeys?: JWTVerifyGetKey;
  readonly linksRouter?: Router;
  readonly extendApi?: (router: Router) => void;
  /** GA4's key events; by default from the Data API when GA4_PROPERTY_ID is set. */
  readonly keyEvents?: () => Promise<string[]>;
}

export interface RunningService {
  readonly url: string;
  readonly store: StoreDb;
  readonly engine: Engine;
  readonly scheduler: SchedulerLoop;
  /** The embedded default's admin token (undefined behind IAP). */
  readonly adminToken?: string;
  /** Stops accepting, finishes open requests, stops the scheduler after its run in hand, closes. */
  stop(): Promise<void>;
}

/** The configured browser, else the system's; none found leaves readiness to say so. */
function browserPath(configured: string | undefined): { browserPath: string } | undefined {
  if (configured) return { browserPath: configured };
  try {
    return { browserPath: findChrome({}) };
  } catch {
    return undefined;
  }
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

/** The shared-links router (`/r/:token`) whenever sharing is on. */
function sharedLinksRouter(
  links: LinkService,
  store: StoreDb,
  engine: Engine,
  pool: BrowserPool | undefined,
  ga4: Ga4DataApi | undefined,
): Router {
  return reportLinksRouter({
    keys: links.keys,
    store,
    loadDefinition: (id) => storedReportDefinition(store, id),
    loadGoals: () => storedGoals(store),
    engine,
    ...(pool ? { pool } : {}),
    ...(ga4 ? { ga4 } : {}),
  });
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Wires the service: engine, store (migrated), mail transport, scheduler loop, HTTP server. */
export async function startService(
  config: Config,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<RunningService> {
  if (!config.PATHLIGHT_TRUST_IAP && !LOOPBACK.has(config.PATHLIGHT_HOST)) {
    logger.warn(
      { host: config.PATHLIGHT_HOST },
      'listening beyond loopback without IAP: the admin token is the only guard',
    );
  }
  // Listen first: a first start's sample is built, and the embedded store created, behind the
  // server; until then data requests say how far along the sample is and store calls wait.
  const { engine } = await servingEngine(config, logger);
  const opening = openStore(config).then(({ store, applied }) => {
    if (applied.length > 0) logger.info({ applied }, 'store migrated');
    return store;
  });
  const store = config.DATABASE_URL ? await opening : deferredStore('pglite', opening);
  const { transport, outbox } = transportFor(config);
  await verifyTransport(transport, logger);
  const { pool, htmlOnly } = browserPoolFor(config, logger);
  // GA4's Data API, when a property is configured: key events and the reports' totals check.
  const ga4 = config.GA4_PROPERTY_ID
    ? ga4DataApi({ propertyId: config.GA4_PROPERTY_ID })
    : undefined;
  // Shared links: env keys, else a key file made at first start; the own URL is known once listening.
  let ownUrl = `http://${config.PATHLIGHT_HOST}:${config.PORT}`;
  const links = linkServiceFor(config, () => ownUrl);
  const renderer =
    options.renderer ??
    reportRunEmail({
      engine,
      store,
      ...(pool ? { pool } : {}),
      ...(ga4 ? { ga4 } : {}),
      email: emailSettings(config, process.env, () => ownUrl),
    });
  const scheduler = startSchedulerLoop({
    db: store,
    graceMs: 15 * 60_000,
    intervalMs:
      config.PATHLIGHT_SCHEDULER_INTERVAL_MS > 0 ? config.PATHLIGHT_SCHEDULER_INTERVAL_MS : null,
    logger,
    worker: scheduledWorker(config, { store, renderer, transport, logger }),
  });
  const access = serviceAccess(config, logger, options.iapKeys);
  const linksRouter =
    options.linksRouter ?? (links ? sharedLinksRouter(links, store, engine, pool, ga4) : undefined);
  const keyEvents = options.keyEvents ?? (ga4 ? cachedKeyEvents(ga4, logger) : undefined);
  const app = createApp({
    engine,
    logger,
    store,
    access,
    scheduler: {
      loop: scheduler,
      auth: { appEngine: onAppEngine(process.env), secret: config.PATHLIGHT_TICK_SECRET },
    },
    ...(linksRouter ? { linksRouter } : {}),
    ...(links ? { links } : {}),
    ...(pool ? { pool } : {}),
    ...(ga4 ? { ga4 } : {}),
    ...(options.extendApi ? { extendApi: options.extendApi } : {}),
    ...(outbox ? { outboxDir: outbox } : {}),
    ...(htmlOnly ? { htmlOnly } : (browserPath(config.PATHLIGHT_BROWSER_PATH) ?? {})),
    ...(keyEvents ? { keyEvents } : {}),
    includeIntraday: config.BIGQUERY_INCLUDE_INTRADAY,
    queryTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS,
    limits: {
      bodyKb: config.PATHLIGHT_BODY_LIMIT_KB,
      apiPerMinute: config.PATHLIGHT_API_RATE_LIMIT,
      linksPerMinute: config.PATHLIGHT_LINK_RATE_LIMIT,
    },
    trustProxy: config.PATHLIGHT_TRUST_IAP,
  });
  let server: RunningServer;
  try {
    server = await startServer(app, config.PATHLIGHT_HOST, config.PORT);
  } catch (error) {
    await scheduler.stop();
    await store.close();
    await engine.close();
    throw error;
  }
  ownUrl = server.url;
  logger.info(
    { url: server.url, store: store.kind, engine: engine.kind, mail: transport.kind },
    'pathlight is listening',
  );
  return {
    url: server.url,
    store,
    engine,
    scheduler,
    ...(access.mode === 'token' ? { adminToken: access.token } : {}),
    async stop() {
      await server.stop();
      await scheduler.stop();
      await transport.close();
      await pool?.close();
      await store.close();
      await engine.close();
    },
  };
}
