import { constants, accessSync } from 'node:fs';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Engine } from '../engines/engine.js';
import type { StoreDb } from '../store/storeDb.js';

export const HTML_ONLY =
  'off: HTML only (PATHLIGHT_BROWSER_PATH=none); emails carry no PDF and PDF previews are refused';

/**
 * `GET /readyz`: store reachable, engine reachable, browser launchable. The browser check is the
 * executable's presence and mode, not a launch: probes come every few seconds.
 */
export function readiness(deps: {
  engine: Engine;
  store: StoreDb;
  logger: Logger;
  browserPath?: string;
  /** PDFs deliberately off (`PATHLIGHT_BROWSER_PATH=none`): ready, and the check says so. */
  htmlOnly?: boolean;
}): RequestHandler {
  return async (_req, res) => {
    const checks: Record<string, 'ok' | string> = {};
    let browserOff = false;
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
        if (deps.htmlOnly) {
          browserOff = true;
          throw new Error(HTML_ONLY);
        }
        if (!deps.browserPath) throw new Error('no browser configured');
        try {
          accessSync(deps.browserPath, constants.X_OK);
        } catch {
          throw new Error(
            `no browser executable at ${deps.browserPath}: PDFs cannot be printed. Install Chromium ` +
              '(Debian: apt-get install chromium) or set PATHLIGHT_BROWSER_PATH=none to send HTML only',
          );
        }
      }),
    ]);
    const ready = Object.entries(checks).every(
      ([name, v]) => v === 'ok' || (name === 'browser' && browserOff),
    );
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', engine: deps.engine.kind, checks });
  };
}
