import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startTestService, type TestService } from './support/testApp.js';

/**
 * A first start on a fresh data folder: the service listens at once and builds the sample behind
 * itself (no events file is given, so it goes to the data folder).
 */
let service: TestService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

const freshStart = (days: number, users: number) =>
  startTestService({
    PATHLIGHT_DUCKDB_FILE: '',
    PATHLIGHT_SAMPLE_ON_START: 'true',
    PATHLIGHT_SAMPLE_DAYS: String(days),
    PATHLIGHT_SAMPLE_USERS: String(users),
    PATHLIGHT_BROWSER_PATH: 'none',
  });

describe('listening first on a fresh data folder', () => {
  it('answers /healthz while the sample is built, says how far along it is, and refuses data requests with "preparing"', async () => {
    // Far more users than can be drawn before the first requests: the build is still running.
    service = await freshStart(35, 400_000);
    const progress = /^preparing the sample: (starting|users [\d,]+ of 400,000|day \d+ of 35)$/;
    expect(await call(`${service.url}/healthz`)).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    const ready = await call(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('preparing');
    expect(ready.body.preparing).toMatch(progress);
    expect(ready.body.checks.engine).toBe(ready.body.preparing);

    const auth = { Authorization: `Bearer ${service.adminToken}` };
    const data = await call(`${service.url}/api/events?from=2026-10-01&to=2026-10-07`, {
      headers: auth,
    });
    expect(data.status).toBe(503);
    expect(data.headers.get('retry-after')).toBe('3');
    expect(data.body.error.code).toBe('preparing');
    expect(data.body.error.message).toMatch(progress);

    // A page says the same in words and reloads itself.
    const page = await fetch(`${service.url}/events`, {
      headers: { ...auth, Accept: 'text/html' },
    });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="3">');
    expect(html).toMatch(/<p>preparing the sample: [^<]+<\/p>/);

    // Stopping mid-build leaves no half-written events file behind.
    const file = join(service.dataDir, 'events.duckdb');
    await service.stop();
    service = undefined;
    expect(existsSync(file)).toBe(false);
  }, 180_000);

  it('becomes ready once the sample is written, and then answers data requests', async () => {
    service = await freshStart(3, 40);
    let ready = await call(`${service.url}/readyz`);
    for (let i = 0; i < 300 && ready.body.status === 'preparing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready = await call(`${service.url}/readyz`);
    }
    expect(ready.body).toEqual({
      status: 'ready',
      engine: 'duckdb',
      checks: { store: 'ok', engine: 'ok', browser: expect.stringMatching(/^off: HTML only/) },
    });
    // The service's sample ends today (UTC date); three days end there.
    const day = (back: number) =>
      new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
    const data = await call(`${service.url}/api/events?from=${day(3)}&to=${day(0)}&trend=false`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    expect(data.status).toBe(200);
    expect(data.body.events.map((e: { name: string }) => e.name)).toContain('session_start');
  }, 180_000);
});
