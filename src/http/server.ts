import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Engine } from '../engines/engine.js';

export interface AppDeps {
  readonly engine: Engine;
  readonly logger: Logger;
}

/** The Express app: thin routes onto use-cases. Health answers without touching the engine. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.engine.query('SELECT 1 AS ok', {}, { name: 'readiness', timeoutMs: 5000 });
      res.json({ status: 'ready', engine: deps.engine.kind });
    } catch (error) {
      deps.logger.warn({ err: error }, 'engine not ready');
      res.status(503).json({ status: 'unavailable', engine: deps.engine.kind });
    }
  });
  return app;
}

export interface RunningServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Listens on host:port (port 0 in tests) and stops gracefully, finishing open requests. */
export async function startServer(
  app: Express,
  host: string,
  port: number,
): Promise<RunningServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port: actual } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${actual}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
