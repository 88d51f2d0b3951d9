import { afterEach, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/http/service.js';
import { call, startTestService } from './support/testApp.js';

const running: RunningService[] = [];
const start = async (...args: Parameters<typeof startTestService>) => {
  const service = await startTestService(...args);
  running.push(service);
  return service;
};
afterEach(async () => {
  for (const service of running.splice(0)) await service.stop().catch(() => undefined);
});

describe('the service', () => {
  it('is ready when store, engine and browser are; names the failing check otherwise', async () => {
    const ready = await start({ PATHLIGHT_BROWSER_PATH: process.execPath });
    const ok = await call(`${ready.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      status: 'ready',
      engine: 'duckdb',
      checks: { store: 'ok', engine: 'ok', browser: 'ok' },
    });
    expect((await call(`${ready.url}/healthz`)).body).toEqual({ status: 'ok' });
    const noBrowser = await start({ PATHLIGHT_BROWSER_PATH: '/nonexistent/chromium' });
    const res = await call(`${noBrowser.url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body.checks.browser).toMatch(/nonexistent/);
  });

  it('rate-limits the API and the signed links, in the error shape', async () => {
    const service = await start({ PATHLIGHT_API_RATE_LIMIT: '3', PATHLIGHT_LINK_RATE_LIMIT: '2' });
    const auth = { Authorization: `Bearer ${service.adminToken}` };
    for (let i = 0; i < 3; i += 1)
      expect((await call(`${service.url}/api/goals`, { headers: auth })).status).toBe(200);
    const limited = await call(`${service.url}/api/goals`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    await call(`${service.url}/r/abc`);
    await call(`${service.url}/r/abc`);
    expect((await call(`${service.url}/r/abc`)).status).toBe(429);
  });

  it('keeps its admin token across restarts of the same data dir', async () => {
    const first = await start();
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const second = await start({ PATHLIGHT_DATA_DIR: first.dataDir });
    expect(second.adminToken).toBe(first.adminToken);
  });

  it('stops gracefully: open requests finish, new connections are refused', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inside = new Promise<void>((resolve) => (arrived = resolve));
    const service = await start(
      {},
      {
        extendApi: (router) =>
          router.get('/slow', async (_req, res) => {
            arrived();
            await held;
            res.json({ finished: true });
          }),
      },
    );
    running.splice(running.indexOf(service), 1);
    const slow = call(`${service.url}/api/slow`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    await inside;
    const stopping = service.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    release();
    expect((await slow).body).toEqual({ finished: true });
    await stopping;
  });
});
