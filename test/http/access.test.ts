import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/main/startService.js';
import { RANGE } from './support/eventsFixture.js';
import { call, startTestService } from './support/testApp.js';

const GOAL = { event: 'purchase', value: 'param:value' };

describe('embedded default: the admin token', () => {
  let service: RunningService & { dataDir: string };
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.stop());

  it('keeps the generated token in the data dir, readable by its owner only', () => {
    const mode = statSync(join(service.dataDir, 'admin-token')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(service.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses the API without a token or with a wrong one, in the error shape', async () => {
    const none = await call(`${service.url}/api/goals`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    const wrong = await call(`${service.url}/api/goals`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const right = await call(`${service.url}/api/goals`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    expect(right.status).toBe(200);
  });

  it('sends a browser without a session to the sign-in page', async () => {
    const res = await call(`${service.url}/funnel`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?next=%2Ffunnel');
  });

  it('signs in with the token into an HttpOnly, SameSite=Strict session; forms need the CSRF token', async () => {
    const page = await fetch(`${service.url}/signin`);
    const pre = page.headers.getSetCookie().find((c) => c.startsWith('pathlight_signin='))!;
    const preValue = pre.split(';')[0]!.split('=')[1]!;
    expect(await page.text()).toContain(`value='${preValue}'`);
    const post = (fields: Record<string, string>, cookie = pre.split(';')[0]!) =>
      fetch(`${service.url}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams(fields),
      });
    expect((await post({ token: service.adminToken! })).status).toBe(403); // no CSRF field
    expect((await post({ token: 'wrong', _csrf: preValue })).status).toBe(401);
    const ok = await post({ token: service.adminToken!, _csrf: preValue, next: '//evil.example' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/events');
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('pathlight_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const cookie = session.split(';')[0]!;

    const me = await call(`${service.url}/api/me`, { headers: { Cookie: cookie } });
    expect(me.body).toMatchObject({ role: 'editor', via: 'session' });
    const csrf = me.body.csrfToken as string;

    const noCsrf = await call(`${service.url}/api/goals/Buy`, {
      method: 'PUT',
      headers: { Cookie: cookie },
      body: GOAL,
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('forbidden');
    const form = await fetch(`${service.url}/goals`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams({ name: 'Buy', event: 'purchase', ...RANGE }),
    });
    expect(form.status).toBe(403);
    const withCsrf = await call(`${service.url}/api/goals/Buy`, {
      method: 'PUT',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf },
      body: GOAL,
    });
    expect(withCsrf.status).toBe(200);

    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await call(`${service.url}/api/me`, { headers: { Cookie: tampered } })).status).toBe(
      401,
    );
  });

  it('lets a Bearer call write without a CSRF token (it cannot be forged cross-site)', async () => {
    const res = await call(`${service.url}/api/goals/Buy2`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${service.adminToken}` },
      body: GOAL,
    });
    expect(res.status).toBe(200);
  });
});

describe('behind Identity-Aware Proxy', () => {
  const AUDIENCE = '/projects/123456/apps/pathlight-test';
  let keyServer: Server;
  let service: RunningService | undefined;
  let key: CryptoKey;
  let otherKey: CryptoKey;

  const token = (
    email: string,
    options: {
      key?: CryptoKey;
      audience?: string;
      issuer?: string;
      expiresIn?: string | number;
      kid?: string;
    } = {},
  ) =>
    new SignJWT({ email, sub: `accounts.google.com:${email.length}` })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'test-key' })
      .setIssuer(options.issuer ?? 'https://cloud.google.com/iap')
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(options.key ?? key);
  const as = async (jwt: string, init: Parameters<typeof call>[1] = {}, path = '/api/me') =>
    call(`${service!.url}${path}`, {
      ...init,
      headers: { 'x-goog-iap-jwt-assertion': jwt, ...init.headers },
    });

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    // The forger signs with its own key under the same key id.
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk: JWK = {
      ...(await exportJWK(pair.publicKey)),
      kid: 'test-key',
      alg: 'ES256',
      use: 'sig',
    };
    // Google's key set is served from a local HTTP server: no network, same code path.
    keyServer = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const { port } = keyServer.address() as AddressInfo;
    service = await startTestService({
      PATHLIGHT_TRUST_IAP: 'true',
      IAP_AUDIENCE: AUDIENCE,
      IAP_PUBLIC_KEYS_URL: `http://127.0.0.1:${port}/iap/verify/public_key-jwk`,
      PATHLIGHT_EDITORS: 'lead@example.com, @marketing.example.com',
      PATHLIGHT_SESSION_SECRET: 'x'.repeat(40),
    });
  });
  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => keyServer.close(resolve));
  });

  it('takes the email and role from a verified token', async () => {
    expect((await as(await token('lead@example.com'))).body).toMatchObject({
      email: 'lead@example.com',
      role: 'editor',
      via: 'iap',
    });
    expect((await as(await token('ana@marketing.example.com'))).body.role).toBe('editor');
    expect((await as(await token('ceo@example.com'))).body.role).toBe('viewer');
  });

  it('refuses a missing, forged, expired, wrong-audience or wrong-issuer token', async () => {
    expect((await call(`${service!.url}/api/me`)).status).toBe(401);
    const bad = [
      await token('lead@example.com', { key: otherKey }),
      await token('lead@example.com', { expiresIn: Math.floor(Date.now() / 1000) - 120 }),
      await token('lead@example.com', { audience: '/projects/999/apps/other' }),
      await token('lead@example.com', { issuer: 'https://evil.example' }),
      'not.a.jwt',
    ];
    for (const jwt of bad) {
      const res = await as(jwt);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('lets a viewer run a funnel but not change a goal', async () => {
    const viewer = await token('ceo@example.com');
    const csrf = (await as(viewer)).body.csrfToken as string;
    const spec = {
      dateRange: { start: RANGE.from, end: RANGE.to },
      steps: [{ event: 'page_view' }, { event: 'purchase' }],
    };
    const run = await as(
      viewer,
      { method: 'POST', body: spec, headers: { 'X-CSRF-Token': csrf } },
      '/api/funnels/run',
    );
    expect(run.status).toBe(200);
    const edit = await as(
      viewer,
      { method: 'PUT', body: GOAL, headers: { 'X-CSRF-Token': csrf } },
      '/api/goals/Buy',
    );
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe('forbidden');
    const editor = await token('lead@example.com');
    const editorCsrf = (await as(editor)).body.csrfToken as string;
    const noCsrf = await as(editor, { method: 'PUT', body: GOAL }, '/api/goals/Buy');
    expect(noCsrf.status).toBe(403);
    const ok = await as(
      editor,
      { method: 'PUT', body: GOAL, headers: { 'X-CSRF-Token': editorCsrf } },
      '/api/goals/Buy',
    );
    expect(ok.status).toBe(200);
  });

  it('lets a viewer run a prediction but not write it to a table', async () => {
    const viewer = await token('ceo@example.com');
    const csrf = (await as(viewer)).body.csrfToken as string;
    const spec = { goal: 'purchase', asOf: RANGE.to, table: 'audience' };
    const refused = await as(
      viewer,
      { method: 'POST', body: spec, headers: { 'X-CSRF-Token': csrf } },
      '/api/predict/run',
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'table: ceo@example.com may run predictions, not write them to a table',
    );
    // An editor gets past the role; this service's DuckDB file is read-only, which is named next.
    const editor = await token('lead@example.com');
    const editorCsrf = (await as(editor)).body.csrfToken as string;
    const editorRun = await as(
      editor,
      { method: 'POST', body: spec, headers: { 'X-CSRF-Token': editorCsrf } },
      '/api/predict/run',
    );
    expect(editorRun.status).toBe(400);
    expect(editorRun.body.error.message).toMatch(
      /^table: the DuckDB events file is open read-only/,
    );
  });

  it('shows a viewer the import page without its forms, refuses a viewer’s upload, and an editor’s without the CSRF token', async () => {
    const upload = (jwt: string, csrf?: string) => {
      const form = new FormData();
      if (csrf) form.set('_csrf', csrf);
      form.set(
        'offlineFiles',
        new Blob(['client_id,timestamp_micros,event_name\nc1,1709287200000000,store_visit\n']),
        'visits.csv',
      );
      return fetch(`${service!.url}/import/offline`, {
        method: 'POST',
        headers: { 'x-goog-iap-jwt-assertion': jwt, Accept: 'application/json' },
        body: form,
      });
    };
    const viewer = await token('ceo@example.com');
    const page = await as(viewer, { headers: { Accept: 'text/html' } }, '/import');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Only editors can import files.');
    expect(page.body).not.toContain("id='offline-form'");
    const csrf = (await as(viewer)).body.csrfToken as string;
    const refused = await upload(viewer, csrf);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'ceo@example.com may view and run, not change',
    );
    const editor = await token('lead@example.com');
    const noCsrf = await upload(editor);
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { message: string } }).error.message).toBe(
      'missing or wrong CSRF token; reload the page and try again',
    );
  });

  it('keeps a viewer out of the report editor and its saves, and lets an editor in', async () => {
    const viewer = await token('ceo@example.com');
    const csrf = (await as(viewer)).body.csrfToken as string;
    const page = await as(viewer, { headers: { Accept: 'text/html' } }, '/reports/new');
    expect(page.status).toBe(403);
    expect(page.body).toContain('ceo@example.com may view reports, not edit them');
    const save = await fetch(`${service!.url}/reports/edit`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'x-goog-iap-jwt-assertion': viewer,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf, id: 'x', op: 'save' }),
    });
    expect(save.status).toBe(403);
    const editor = await token('lead@example.com');
    expect((await as(editor, { headers: { Accept: 'text/html' } }, '/reports/new')).status).toBe(
      200,
    );
  });
});
