import type { Router } from 'express';
import type { Server } from 'node:http';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { emailSettings } from '../app/mailSetup.js';
import type { RunRenderer } from '../app/processNextRun.js';
import { reportRunEmail } from '../app/reportRunEmail.js';
import { scheduledWorker } from '../app/scheduledWorker.js';
import type { Config } from '../config/config.js';
import type { Engine } from '../engines/engine.js';
import { startServer, type RunningServer } from '../http/server.js';
import { linkServiceFor } from '../links/linkSettings.js';
import { startSchedulerLoop, type SchedulerLoop } from '../scheduler/schedulerLoop.js';
import type { StoreDb } from '../store/storeDb.js';
import { serviceAccess } from './serviceAccess.js';
import { serviceApp } from './serviceApp.js';
import { openServiceParts } from './serviceParts.js';

export interface ServiceOptions {
  /** Renders a run's report and email; tests pass their own to watch the worker alone. */
  readonly renderer?: RunRenderer;
  /** Tests serve IAP keys generated in the test. */
  readonly iapKeys?: JWTVerifyGetKey;
  readonly linksRouter?: Router;
  readonly extendApi?: (router: Router) => void;
  /** GA4's key events; by default from the Data API when GA4_PROPERTY_ID is set. */
  readonly keyEvents?: () => Promise<string[]>;
  /** A socket `serve` bound before loading the service (see earlyServer). */
  readonly server?: Server;
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
  const parts = await openServiceParts(config, logger);
  const { engine, store, transport, pool, ga4 } = parts;
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
  const app = serviceApp(config, logger, parts, {
    access,
    scheduler,
    ...(links ? { links } : {}),
    ...(options.linksRouter ? { linksRouter: options.linksRouter } : {}),
    ...(options.extendApi ? { extendApi: options.extendApi } : {}),
    ...(options.keyEvents ? { keyEvents: options.keyEvents } : {}),
  });
  let server: RunningServer;
  try {
    server = await startServer(app, config.PATHLIGHT_HOST, config.PORT, options.server);
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
