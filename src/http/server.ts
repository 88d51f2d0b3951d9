import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Engine } from '../engines/engine.js';
import type { Ga4DataApi } from '../ga4/ga4DataApi.js';
import type { LinkService } from '../links/linkService.js';
import type { BrowserPool } from '../render/browserPool.js';
import { READY_SCRIPT_SOURCE } from '../render/renderHtml.js';
import type { Drainer } from '../app/drainer.js';
import type { StoreDb } from '../store/storeDb.js';
import { apiRouter } from './api/apiRouter.js';
import { requireAccess, type AccessOptions } from './auth/access.js';
import { errorHandler, notFound } from './errorHandler.js';
import type { UploadImports } from '../app/importUploads.js';
import { UPLOAD_LIMIT_BYTES } from './pages/importPage.js';
import { multipartForm } from './pages/multipartForm.js';
import { loadViews, pagesRouter, publicDir, signInRouter } from './pages/pagesRouter.js';
import { staticExtras } from './pages/staticExtras.js';
import { rateLimiter } from './rateLimiter.js';
import { readiness } from './readiness.js';
import { tasksRouter, type TickAuth } from './routes/tasks.js';

export interface AppDeps {
  readonly engine: Engine;
  readonly logger: Logger;
  readonly store: StoreDb;
  readonly access: AccessOptions;
  /** The scheduler loop `POST /tasks/tick` drives (and who may call it). */
  readonly scheduler?: { loop: Drainer; auth: TickAuth };
  /** The signed-link router for stakeholders (public, rate-limited under /r/). */
  readonly linksRouter?: Router;
  /** More API routes (paths, attribution, reports preview ...) as their use-cases land. */
  readonly extendApi?: (router: Router) => void;
  readonly outboxDir?: string;
  /** Readiness checks this browser executable exists (cheap; Chromium is not launched). */
  readonly browserPath?: string;
  /** PDFs deliberately off: readiness says so instead of failing. */
  readonly htmlOnly?: boolean;
  readonly includeIntraday?: boolean;
  readonly queryTimeoutMs?: number;
  readonly keyEvents?: () => Promise<string[]>;
  /** The browser pool for report previews as PDF. */
  readonly pool?: BrowserPool;
  /** GA4's Data API (GA4_PROPERTY_ID set), for the data-quality box of report previews. */
  readonly ga4?: Pick<Ga4DataApi, 'totals'>;
  readonly limits?: {
    bodyKb?: number;
    apiPerMinute?: number;
    linksPerMinute?: number;
    /** The largest upload on the import page. */
    uploadBytes?: number;
  };
  /** Offline-event and cost uploads (the import page); absent, the page refuses them. */
  readonly imports?: UploadImports;
  /** Making shared links (the API and the Share dialog); absent when sharing is off. */
  readonly links?: LinkService;
  /** Behind App Engine: one proxy hop in front, so `req.ip` is the client's. */
  readonly trustProxy?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The Express app. Order matters: request ids and logs, security headers, public routes
 * (health, sign-in, signed links, the tick), then access control, the API and the pages, and
 * the one error middleware last.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy) app.set('trust proxy', 1);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-goog-iap-jwt-assertion"]',
      ],
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'", READY_SCRIPT_SOURCE],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
    }),
  );
  // Pages repeat their pickers' options in every row (the report editor's run to hundreds of
  // kilobytes), and reports and API answers are text too: gzip takes them to a fraction on the
  // wire. PDFs and images are left as they are (already compressed).
  app.use(compression());
  const views = loadViews();
  const apiDeps = {
    engine: deps.engine,
    store: deps.store,
    ...(deps.outboxDir === undefined ? {} : { outboxDir: deps.outboxDir }),
    ...(deps.includeIntraday === undefined ? {} : { includeIntraday: deps.includeIntraday }),
    ...(deps.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: deps.queryTimeoutMs }),
    ...(deps.keyEvents ? { keyEvents: deps.keyEvents } : {}),
    ...(deps.pool ? { pool: deps.pool } : {}),
    ...(deps.ga4 ? { ga4: deps.ga4 } : {}),
    ...(deps.links ? { links: deps.links } : {}),
  };
  const bodyLimit = `${deps.limits?.bodyKb ?? 256}kb`;
  app.use(express.json({ limit: bodyLimit }));
  // The report editor's form holds a field per option, step, condition and row of every section:
  // hundreds of fields; the byte limit is what bounds a post.
  app.use(express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 5000 }));
  app.use(cookieParser());
  const uploadLimitBytes = deps.limits?.uploadBytes ?? UPLOAD_LIMIT_BYTES;
  // Before access control, so the CSRF check finds the form's token among the multipart fields.
  app.use('/import', multipartForm(uploadLimitBytes));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', readiness(deps));
  app.use('/public', express.static(publicDir, { maxAge: '1h', index: false }));
  app.use(staticExtras());
  if (deps.scheduler) app.use(tasksRouter(deps.scheduler.loop, deps.scheduler.auth));
  app.use('/r', rateLimiter(deps.limits?.linksPerMinute ?? 60));
  if (deps.linksRouter) app.use(deps.linksRouter);
  if (deps.access.mode === 'token') app.use(signInRouter(deps.access, views));

  app.use('/api', rateLimiter(deps.limits?.apiPerMinute ?? 300));
  app.use(requireAccess(deps.access));
  app.use('/api', apiRouter(apiDeps, deps.extendApi));
  app.use(
    pagesRouter({
      ...apiDeps,
      views,
      access: deps.access,
      uploadLimitBytes,
      ...(deps.imports ? { imports: deps.imports } : {}),
    }),
  );
  app.use(notFound);
  app.use(errorHandler(deps.logger, views));
  return app;
}

export interface RunningServer {
  readonly url: string;
  /** Stops accepting, lets open requests finish (up to `graceMs`), then closes what is left. */
  stop(graceMs?: number): Promise<void>;
}

/** Listens on host:port (port 0 in tests) and stops gracefully, finishing open requests. */
export async function startServer(
  app: Express,
  host: string,
  port: number,
  /** A socket bound before the app was loaded: it takes over its requests from now on. */
  bound?: Server,
): Promise<RunningServer> {
  const server: Server = bound
    ? takeOver(bound, app)
    : await new Promise((resolve, reject) => {
        const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
      });
  const { port: actual } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? '127.0.0.1' : shownHost}:${actual}`,
    stop: (graceMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close((error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function takeOver(server: Server, app: Express): Server {
  server.removeAllListeners('request');
  server.on('request', app);
  return server;
}
