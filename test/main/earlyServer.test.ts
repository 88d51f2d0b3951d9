import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenEarly, takeEarlyServer } from '../../src/main/earlyServer.js';
import { call, startTestService, type TestService } from '../http/support/testApp.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('the socket serve binds before the service loads', () => {
  it('answers /healthz at once, says "starting" elsewhere, then hands its socket to the service', async () => {
    const early = await listenEarly({ PORT: '0', PATHLIGHT_HOST: '127.0.0.1' });
    expect(early).not.toBeNull();
    const { port } = early!.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    expect(await call(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const starting = await call(`${url}/api/events`);
    expect(starting.status).toBe(503);
    expect(starting.headers.get('retry-after')).toBe('1');
    expect(starting.headers.get('connection')).toBe('close');
    expect(starting.body).toEqual({
      status: 'starting',
      error: { code: 'starting', message: 'the service is starting' },
    });

    // A person's browser gets a page that says so and reloads itself.
    const page = await fetch(`${url}/reports`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="1">');
    expect(html).toContain('<h1>Pathlight is starting</h1>');

    const server = await takeEarlyServer('127.0.0.1', 0);
    expect(server).toBe(early);
    service = await startTestService({}, { server: server! });
    // The same address, now the service itself: ready, and its API asks for a sign-in.
    expect(service.url).toBe(url);
    const ready = await call(`${url}/readyz`);
    expect(ready.body.checks.store).toBe('ok');
    expect((await call(`${url}/api/events`)).status).toBe(401);
    // Taken once: a second start binds its own.
    expect(await takeEarlyServer('127.0.0.1', 0)).toBeUndefined();
  });

  it('closes the early socket when the service is configured for another address', async () => {
    const early = await listenEarly({ PORT: '0' });
    const { port } = early!.address() as AddressInfo;
    expect(await takeEarlyServer('127.0.0.1', port === 65535 ? 65534 : port + 1)).toBeUndefined();
    expect(early!.listening).toBe(false);
  });

  it('binds nothing for a port that is not one, leaving the config to say so', async () => {
    expect(await listenEarly({ PORT: 'eighty' })).toBeNull();
    expect(await listenEarly({ PORT: '70000' })).toBeNull();
    expect(await takeEarlyServer('127.0.0.1', 0)).toBeUndefined();
  });
});
