import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { adminTokenFile, duckdbFile, storeDir, type Config } from '../config/config.js';
import {
  deliverSettings,
  emailSettings,
  transportFor,
  verifyTransport,
} from '../delivery/mailSetup.js';
import { bigqueryEngineFromConfig } from '../engines/bigquery/BigqueryEngine.js';
import { DuckdbEngine } from '../engines/duckdb/DuckdbEngine.js';
import type { Engine } from '../engines/engine.js';
import { ga4DataApi, type Ga4DataApi } from '../ga4/ga4DataApi.js';
import { linkServiceFor } from '../links/linkSettings.js';
import { BrowserPool } from '../render/browserPool.js';
import { onAppEngine } from './onAppEngine.js';
import { generateSample } from '../sample/generateSample.js';
import type { RunRenderer } from '../scheduler/runWorker.js';
import { startSchedulerLoop, type SchedulerLoop } from '../scheduler/schedulerLoop.js';
import { migrate } from '../store/migrate.js';
import { openPglite } from '../store/pgliteDb.js';
import { openPostgres } from '../store/postgresDb.js';
import type { StoreDb } from '../store/storeDb.js';
import type { AccessOptions } from './auth/access.js';
import { ensureAdminToken } from './auth/adminToken.js';
import { reportRunRenderer, loadReportDefinition, loadSavedGoals } from './reportRenderer.js';
import { reportLinksRouter } from './routes/reportLinks.js';
import { iapVerifier } from './auth/iap.js';
import { createApp, startServer, type RunningServer } from './server.js';
import { findChrome } from '../render/findChrome.js';

export interface ServiceOptions {
  /** Renders a run's report; the reports engineer's renderer plugs in here. */
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

/** Key events change rarely: asked once every 10 minutes; a failure shows no marks, not an error. */
function cachedKeyEvents(api: Ga4DataApi, logger: Logger): () => Promise<string[]> {
  let cached: { at: number; names: string[] } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < 10 * 60_000) return cached.names;
    try {
      cached = { at: Date.now(), names: await api.keyEvents() };
    } catch (error) {
      logger.warn({ err: error }, 'GA4 key events unavailable');
      cached = { at: Date.now(), names: cached?.names ?? [] };
    }
    return cached.names;
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

async function openEngine(config: Config, logger: Logger): Promise<Engine> {
  if (config.PATHLIGHT_ENGINE === 'bigquery') return bigqueryEngineFromConfig(config);
  const file = duckdbFile(config);
  if (!existsSync(file) && config.PATHLIGHT_SAMPLE_ON_START) {
    mkdirSync(dirname(file), { recursive: true });
    logger.info({ file }, 'no events database yet: generating the GA4-schema sample');
    const result = await generateSample(file, {
      days: config.PATHLIGHT_SAMPLE_DAYS,
      users: config.PATHLIGHT_SAMPLE_USERS,
      seed: 7,
      // The service's sample ends today, so the pages' default "last 28 days" shows data.
      endDate: new Date().toISOString().slice(0, 10),
    });
    logger.info({ file, events: result.events }, 'sample ready');
  }
  return DuckdbEngine.open(file, {
    mode: 'read',
    defaultTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS,
  });
}

function accessFor(
  config: Config,
  logger: Logger,
  options: ServiceOptions,
): AccessOptions & { token?: string } {
  if (config.PATHLIGHT_TRUST_IAP) {
    let secret = config.PATHLIGHT_SESSION_SECRET;
    if (!secret) {
      secret = randomBytes(32).toString('base64url');
      logger.warn(
        'PATHLIGHT_SESSION_SECRET is not set: forms only work on the instance that served them',
      );
    }
    return {
      mode: 'iap',
      verifier: iapVerifier({
        audience: config.IAP_AUDIENCE as string,
        keysUrl: config.IAP_PUBLIC_KEYS_URL,
        ...(options.iapKeys ? { keys: options.iapKeys } : {}),
      }),
      editors: config.PATHLIGHT_EDITORS,
      sessionSecret: secret,
    };
  }
  const file = adminTokenFile(config);
  const { token, created } = ensureAdminToken(file);
  if (created) {
    // Printed once, at first start; afterwards it is only in the file (mode 0600).
    logger.info({ adminToken: token, file }, 'admin token created: sign in with it (shown once)');
  } else {
    logger.info({ file }, 'admin token in its file');
  }
  // Derived from the token: rotating the token (deleting the file) ends every session.
  const sessionSecret = createHash('sha256')
    .update(`pathlight-session:${token}`)
    .digest('base64url');
  return { mode: 'token', token, sessionSecret };
}

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
  const engine = await openEngine(config, logger);
  const store = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL)
    : await openPglite(storeDir(config));
  const applied = await migrate(store);
  if (applied.length > 0) logger.info({ applied }, 'store migrated');
  const { transport, outbox } = transportFor(config);
  await verifyTransport(transport, logger);
  // One browser pool for scheduled PDFs, previews and signed links; Chromium starts on first use.
  // `none` turns PDFs off (App Engine standard has no Chromium): HTML emails and previews only.
  const htmlOnly = config.PATHLIGHT_BROWSER_PATH === 'none';
  const pool = htmlOnly
    ? undefined
    : new BrowserPool(
        config.PATHLIGHT_BROWSER_PATH ? { executablePath: config.PATHLIGHT_BROWSER_PATH } : {},
      );
  if (htmlOnly) logger.warn('PATHLIGHT_BROWSER_PATH=none: reports go out as HTML only, no PDF');
  // GA4's Data API, when a property is configured: key events and the reports' totals check.
  const ga4 = config.GA4_PROPERTY_ID
    ? ga4DataApi({ propertyId: config.GA4_PROPERTY_ID })
    : undefined;
  const from = config.PATHLIGHT_MAIL_FROM;
  // Shared links: env keys, else a key file made at first start; the own URL is known once listening.
  let ownUrl = `http://${config.PATHLIGHT_HOST}:${config.PORT}`;
  const links = linkServiceFor(config, () => ownUrl);
  const scheduler = startSchedulerLoop({
    db: store,
    graceMs: 15 * 60_000,
    intervalMs:
      config.PATHLIGHT_SCHEDULER_INTERVAL_MS > 0 ? config.PATHLIGHT_SCHEDULER_INTERVAL_MS : null,
    logger,
    worker: {
      db: store,
      renderer:
        options.renderer ??
        reportRunRenderer({
          engine,
          store,
          ...(pool ? { pool } : {}),
          ...(ga4 ? { ga4 } : {}),
          email: emailSettings(config, process.env, () => ownUrl),
        }),
      deliver: deliverSettings(config, transport),
      owner: `pathlight-${process.pid}-${randomBytes(4).toString('hex')}`,
      leaseMs: 5 * 60_000,
      maxAttempts: 3,
      renderTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS * 2,
      pauseAfterFailures: 3,
      notifyOwner: async (run, schedule, error) => {
        await transport.send({
          from,
          to: schedule.owner,
          subject: `Pathlight: "${schedule.name}" failed`,
          text: `Run ${run.id} of schedule ${schedule.id} failed:\n\n${error}\n`,
        });
      },
      logger,
    },
  });
  const access = accessFor(config, logger, options);
  const linksRouter =
    options.linksRouter ??
    (links
      ? reportLinksRouter({
          keys: links.keys,
          store,
          loadDefinition: (id) => loadReportDefinition(store, id),
          loadGoals: () => loadSavedGoals(store),
          engine,
          ...(pool ? { pool } : {}),
          ...(ga4 ? { ga4 } : {}),
        })
      : undefined);
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
