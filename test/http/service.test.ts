import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/http/service.js';
import { call, startTestService } from './support/testApp.js';

describe('a ready service', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({
      PATHLIGHT_BROWSER_PATH: process.execPath,
      PATHLIGHT_API_RATE_LIMIT: '3',
      PATHLIGHT_LINK_RATE_LIMIT: '2',
    });
  });
  afterAll(() => service.stop());

  it('is ready when store, engine and browser are', async () => {
    const ok = await call(`${service.url}/readyz`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      status: 'ready',
      engine: 'duckdb',
      checks: { store: 'ok', engine: 'ok', browser: 'ok' },
    });
    expect((await call(`${service.url}/healthz`)).body).toEqual({ status: 'ok' });
  });

  it('rate-limits the API and the signed links, in the error shape', async () => {
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
});

describe('a service without its browser', () => {
  it('is not ready and names the check; stops gracefully; keeps its token across a restart', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inside = new Promise<void>((resolve) => (arrived = resolve));
    const service = await startTestService(
      { PATHLIGHT_BROWSER_PATH: '/nonexistent/chromium' },
      {
        extendApi: (router) =>
          router.get('/slow', async (_req, res) => {
            arrived();
            await held;
            res.json({ finished: true });
          }),
      },
    );
    const res = await call(`${service.url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body.checks.browser).toMatch(/nonexistent/);

    // Graceful stop: the open request finishes, new connections are refused.
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

    const again = await startTestService({ PATHLIGHT_DATA_DIR: service.dataDir });
    try {
      expect(again.adminToken).toBe(service.adminToken);
    } finally {
      await again.stop();
    }
  });
});
