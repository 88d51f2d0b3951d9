import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import { uploadImports } from '../app/importUploads.js';
import { storedGoals, storedReportDefinition } from '../app/storedDefinitions.js';
import type { Config } from '../config/config.js';
import { onAppEngine } from '../http/onAppEngine.js';
import { reportLinksRouter } from '../http/routes/reportLinks.js';
import { createApp } from '../http/server.js';
import type { LinkService } from '../links/linkService.js';
import { findChrome } from '../render/findChrome.js';
import type { SchedulerLoop } from '../scheduler/schedulerLoop.js';
import { cachedKeyEvents } from './cachedKeyEvents.js';
import type { serviceAccess } from './serviceAccess.js';
import type { ServiceParts } from './serviceParts.js';

/** What the HTTP app is given beside the service's parts. */
export interface AppWiring {
  readonly access: ReturnType<typeof serviceAccess>;
  readonly scheduler: SchedulerLoop;
  readonly links?: LinkService;
  readonly linksRouter?: Router;
  readonly extendApi?: (router: Router) => void;
  readonly keyEvents?: () => Promise<string[]>;
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

/** The shared-links router (`/r/:token`) whenever sharing is on. */
function sharedLinksRouter(links: LinkService, parts: ServiceParts): Router {
  const { store, engine, pool, ga4 } = parts;
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

/** The HTTP app over the service's parts: pages, API, shared links, the scheduler's tick. */
export function serviceApp(
  config: Config,
  logger: Logger,
  parts: ServiceParts,
  wiring: AppWiring,
): Express {
  const { engine, store, pool, ga4, outbox, htmlOnly } = parts;
  const { links } = wiring;
  const linksRouter = wiring.linksRouter ?? (links ? sharedLinksRouter(links, parts) : undefined);
  const keyEvents = wiring.keyEvents ?? (ga4 ? cachedKeyEvents(ga4, logger) : undefined);
  return createApp({
    engine,
    logger,
    store,
    access: wiring.access,
    scheduler: {
      loop: wiring.scheduler,
      auth: { appEngine: onAppEngine(process.env), secret: config.PATHLIGHT_TICK_SECRET },
    },
    ...(linksRouter ? { linksRouter } : {}),
    ...(links ? { links } : {}),
    ...(pool ? { pool } : {}),
    ...(ga4 ? { ga4 } : {}),
    ...(wiring.extendApi ? { extendApi: wiring.extendApi } : {}),
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
    imports: uploadImports(config, parts.whileClosed),
  });
}
