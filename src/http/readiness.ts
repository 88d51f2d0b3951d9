import { constants, accessSync } from 'node:fs';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Engine } from '../engines/engine.js';
import { PreparingError } from '../errors/errors.js';
import type { StoreDb } from '../store/storeDb.js';

export const HTML_ONLY =
  'off: HTML only (PATHLIGHT_BROWSER_PATH=none); emails carry no PDF and PDF previews are refused';

const CHECK_TIMEOUT_MS = 3000;

/**
 * `GET /readyz`: store reachable, engine reachable, browser launchable. The browser check is the
 * executable's presence and mode, not a launch: probes come every few seconds. While a first
 * start's sample is being built the status is `preparing`, with how far along it is.
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
    let preparing: string | undefined;
    const check = async (name: string, fn: () => Promise<unknown> | unknown) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        // A probe answers in seconds, even while a store is still being created.
        await Promise.race([
          fn(),
          new Promise((_resolve, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)),
              CHECK_TIMEOUT_MS,
            );
          }),
        ]);
        checks[name] = 'ok';
      } catch (error) {
        if (error instanceof PreparingError) preparing = error.message;
        else deps.logger.warn({ err: error, check: name }, 'not ready');
        checks[name] = error instanceof Error ? error.message : String(error);
      } finally {
        clearTimeout(timer);
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
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : preparing ? 'preparing' : 'unavailable',
      ...(preparing ? { preparing } : {}),
      engine: deps.engine.kind,
      checks,
    });
  };
}
