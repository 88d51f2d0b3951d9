import { constants, accessSync } from 'node:fs';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Engine } from '../engines/engine.js';
import type { StoreDb } from '../store/storeDb.js';

/**
 * `GET /readyz`: store reachable, engine reachable, browser launchable. The browser check is the
 * executable's presence and mode, not a launch: probes come every few seconds.
 */
export function readiness(deps: {
  engine: Engine;
  store: StoreDb;
  logger: Logger;
  browserPath?: string;
}): RequestHandler {
  return async (_req, res) => {
    const checks: Record<string, 'ok' | string> = {};
    const check = async (name: string, fn: () => Promise<unknown> | unknown) => {
      try {
        await fn();
        checks[name] = 'ok';
      } catch (error) {
        deps.logger.warn({ err: error, check: name }, 'not ready');
        checks[name] = error instanceof Error ? error.message : String(error);
      }
    };
    await Promise.all([
      check('store', () => deps.store.query('SELECT 1 AS ok')),
      check('engine', () =>
        deps.engine.query('SELECT 1 AS ok', {}, { name: 'readiness', timeoutMs: 5000 }),
      ),
      check('browser', () => {
        if (!deps.browserPath) throw new Error('no browser configured');
        accessSync(deps.browserPath, constants.X_OK);
      }),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', engine: deps.engine.kind, checks });
  };
}
