import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink } from '../../src/app/createLink.js';
import { ensureLinkKeyFile } from '../../src/links/linkKeyFile.js';
import { call, startTestService, type TestService } from '../http/support/testApp.js';

// The whole path a stakeholder's link takes, on the real service (port 0, PGlite store, the
// hand-worked fixture in DuckDB, Chromium for the page and the PDF), with zero link set-up: the
// key file is made at first start and the public URL is the service's own address.
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'links');
const CHROMIUM = process.env.PATHLIGHT_BROWSER_PATH ?? '/usr/bin/chromium';

let service: TestService;
let browser: Browser;
let page: Page;
let auth: Record<string, string>;
let queries = 0;

const report = {
  title: 'Shop week',
  goal: { event: 'purchase' },
  dateRange: 'last_7_days',
  comparison: 'none',
  sections: [{ type: 'kpi_summary' }, { type: 'data_quality' }],
};

const open = (url: string) => fetch(url, { redirect: 'manual' });

/** Users, sessions and conversions as the key-figure tiles show them. */
const tiles = () =>
  page.$$eval('.tile .value', (values) => values.slice(0, 3).map((v) => v.textContent?.trim()));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  service = await startTestService({
    PATHLIGHT_BROWSER_PATH: CHROMIUM,
    PATHLIGHT_LINK_RATE_LIMIT: '40',
  });
  auth = { Authorization: `Bearer ${service.adminToken}` };
  // Count what reaches the events engine: the cache must keep a second open from it.
  const engine = service.engine;
  const query = engine.query.bind(engine);
  engine.query = (...args) => {
    queries++;
    return query(...args);
  };
  for (const id of ['shop-week', 'gone'])
    expect(
      (
        await call(`${service.url}/api/reports/${id}`, {
          method: 'PUT',
          headers: auth,
          body: report,
        })
      ).status,
    ).toBe(200);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), 'pathlight-chromium-')),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(20_000);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe('a shared report link', () => {
  let url = '';
  let linkId = '';
  let opens = 0;

  it('is made through the API with zero set-up: a key file and the service’s own address', async () => {
    expect(existsSync(join(service.dataDir, 'link-keys'))).toBe(true);
    const made = await call(`${service.url}/api/reports/shop-week/links`, {
      method: 'POST',
      headers: auth,
      body: { ttl: '7d', range: { start: '2024-03-01', end: '2024-03-01' }, maxSpanDays: 3 },
    });
    expect(made.status).toBe(201);
    url = made.body.url;
    linkId = made.body.id;
    expect(url.startsWith(`${service.url}/r/`)).toBe(true);
    expect(made.body.pdfUrl).toBe(`${url}.pdf`);
    expect(made.body.ranges).toEqual({ maxDays: 3 });
    const expires = Date.parse(made.body.expiresAt);
    expect(Math.abs(expires - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
  });

  it('refuses a bad request naming the field, and a report that does not exist', async () => {
    const bad = await call(`${service.url}/api/reports/shop-week/links`, {
      method: 'POST',
      headers: auth,
      body: { ttl: '400d' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('ttl');
    expect(bad.body.error.message).toBe('ttl: expected at most 366 days');
    const both = await call(`${service.url}/api/reports/shop-week/links`, {
      method: 'POST',
      headers: auth,
      body: { ranges: ['last_week'], maxSpanDays: 7 },
    });
    expect(both.body.error.field).toBe('maxSpanDays');
    const none = await call(`${service.url}/api/reports/nope/links`, {
      method: 'POST',
      headers: auth,
      body: {},
    });
    expect(none.status).toBe(404);
  });

  it('opens as the report with its bar; a second open runs no query', async () => {
    const before = queries;
    await page.setViewport({ width: 1366, height: 900 });
    const res = await page.goto(url);
    opens++;
    expect(res?.status()).toBe(200);
    const ran = queries - before;
    expect(ran).toBeGreaterThan(0);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Shop week');
    // 2024-03-01 alone: u1 and u2 visit (a session each), u1 buys (the fixture's hand-worked day 0).
    expect(await tiles()).toEqual(['2', '2', '1']);
    expect(await page.$eval('.shared-bar', (b) => b.textContent)).toMatch(/Link expires/);
    expect(await page.$eval('#shared-start', (i) => (i as HTMLInputElement).value)).toBe(
      '2024-03-01',
    );
    expect(await page.$eval('#shared-end', (i) => (i as HTMLInputElement).value)).toBe(
      '2024-03-01',
    );
    const generated = await page.$eval('.generated', (d) => d.textContent);
    expect(generated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await page.screenshot({ path: join(ARTIFACTS, 'shared-1366.png'), fullPage: true });
    await page.setViewport({ width: 390, height: 844 });
    await page.reload();
    opens++;
    await page.screenshot({ path: join(ARTIFACTS, 'shared-390.png'), fullPage: true });
    // Two more opens of the same range, no query between them; the page says when it was drawn.
    expect(queries - before).toBe(ran);
    expect(await page.$eval('.generated', (d) => d.textContent)).toBe(generated);
  });

  it('switches to a range within the allowed span, and downloads its PDF', async () => {
    await page.setViewport({ width: 1366, height: 900 });
    await page.$eval('#shared-end', (i) => ((i as HTMLInputElement).value = '2024-03-03'));
    await Promise.all([page.waitForNavigation(), page.click('.range-picker button')]);
    opens++;
    expect(new URL(page.url()).search).toBe('?start=2024-03-01&end=2024-03-03');
    // All three days: u1 to u5, one session each, u1 and u3 buy.
    expect(await tiles()).toEqual(['5', '5', '2']);
    expect(await page.$eval('#shared-end', (i) => (i as HTMLInputElement).value)).toBe(
      '2024-03-03',
    );
    const href = await page.$eval('a.pdf', (a) => (a as HTMLAnchorElement).href);
    expect(href).toBe(`${url}.pdf?start=2024-03-01&end=2024-03-03`);
    const pdf = await open(href);
    opens++;
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(
      'inline; filename="shop-week-2024-03-01_2024-03-03.pdf"',
    );
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a range outside the grant with a clear page', async () => {
    // 1 to 4 March is four days; the link allows three.
    const res = await page.goto(`${url}?start=2024-03-01&end=2024-03-04`);
    expect(res?.status()).toBe(403);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('This link cannot show that');
    expect(await page.$eval('main p', (p) => p.textContent)).toBe(
      'This link allows a range of start and end dates up to 3 days long.',
    );
    expect(await page.$eval('main a', (a) => (a as HTMLAnchorElement).href)).toBe(url);
    // Nor anything but a range.
    expect((await open(`${url}?goal=add_to_cart`)).status).toBe(403);
  });

  it('answers a tampered link 403 without saying which part failed', async () => {
    const token = url.slice(url.lastIndexOf('/') + 1);
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const otherReport = Buffer.from(JSON.stringify({ ...claims, report: 'gone' })).toString(
      'base64url',
    );
    const unknownKey = Buffer.from(JSON.stringify({ ...claims, kid: 'k0' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const bodies = new Set<string>();
    for (const tampered of [
      `${otherReport}.${signature}`,
      `${unknownKey}.${signature}`,
      `${payload}.${flipped}`,
      'not-a-token',
    ]) {
      const res = await open(`${service.url}/r/${tampered}`);
      expect(res.status).toBe(403);
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    const body = [...bodies][0] as string;
    expect(body).toContain('The link is not valid.');
    expect(body).not.toMatch(/signature|key|malformed|field/i);
  });

  it('answers an expired link 410 and a link to a deleted report 404', async () => {
    const keys = ensureLinkKeyFile(join(service.dataDir, 'link-keys')).keys;
    const deps = {
      store: service.store,
      keys,
      publicUrl: () => service.url,
      reportExists: async () => true,
    };
    const old = await createLink(
      deps,
      { reportId: 'shop-week', request: { ttl: '1h' }, createdBy: 'test', source: 'cli' },
      new Date(Date.now() - 2 * 3600_000),
    );
    const expired = await open(old.url);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This report link has expired');
    const toGone = await createLink(deps, {
      reportId: 'gone',
      request: {},
      createdBy: 'test',
      source: 'cli',
    });
    expect(
      (await call(`${service.url}/api/reports/gone`, { method: 'DELETE', headers: auth })).status,
    ).toBe(204);
    const gone = await open(toGone.url);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('Report not found');
  });

  it('lists the report’s links with their opens, and a revoked link answers 410 in its own words', async () => {
    const listed = await call(`${service.url}/api/reports/shop-week/links`, { headers: auth });
    expect(listed.status).toBe(200);
    const mine = listed.body.links.find((l: { id: string }) => l.id === linkId);
    expect(mine).toMatchObject({
      createdBy: 'admin@pathlight.local',
      source: 'share',
      opens,
      status: 'active',
      range: { start: '2024-03-01', end: '2024-03-01' },
      ranges: { maxDays: 3 },
      revokedAt: null,
    });
    expect(Date.now() - Date.parse(mine.lastOpenedAt)).toBeLessThan(120_000);
    // The expired link made above is listed too, and says so.
    expect(listed.body.links.map((l: { status: string }) => l.status).sort()).toEqual([
      'active',
      'expired',
    ]);
    const revoked = await call(`${service.url}/api/reports/shop-week/links/${linkId}/revoke`, {
      method: 'POST',
      headers: auth,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect(revoked.body.revokedBy).toBe('admin@pathlight.local');
    const res = await open(url);
    expect(res.status).toBe(410);
    const text = await res.text();
    expect(text).toContain('This report link was turned off');
    expect(text).not.toContain('expired');
    // Refused opens are not counted.
    const after = await call(`${service.url}/api/reports/shop-week/links`, { headers: auth });
    expect(after.body.links.find((l: { id: string }) => l.id === linkId).opens).toBe(opens);
    const unknown = await call(
      `${service.url}/api/reports/shop-week/links/nosuchlink123456/revoke`,
      {
        method: 'POST',
        headers: auth,
      },
    );
    expect(unknown.status).toBe(404);
  });

  it('the Share dialog makes a link, keeps what was typed when refused, and revokes', async () => {
    await page.setViewport({ width: 1366, height: 900 });
    await page.goto(`${service.url}/signin`);
    await page.type('input[name="token"]', service.adminToken as string);
    await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
    await page.goto(`${service.url}/reports`);
    await Promise.all([
      page.waitForNavigation(),
      page.click('tr[data-report="shop-week"] a.share-report'),
    ]);
    expect(new URL(page.url()).pathname).toBe('/reports/shop-week/share');
    // A list of periods with none ticked: refused on that field, the rest as chosen.
    await page.select('select[name="ttl"]', '7d');
    await page.select('select[name="range"]', 'last_week');
    await page.click('input[name="allow"][value="list"]');
    await Promise.all([page.waitForNavigation(), page.click('#share-form button[type="submit"]')]);
    expect(await page.$eval('#err-ranges', (p) => p.textContent)).toBe(
      'Tick at least one range the viewer may switch to.',
    );
    expect(await page.$eval('select[name="ttl"]', (s) => (s as HTMLSelectElement).value)).toBe(
      '7d',
    );
    expect(await page.$eval('select[name="range"]', (s) => (s as HTMLSelectElement).value)).toBe(
      'last_week',
    );
    expect(
      await page.$eval('input[name="allow"][value="list"]', (r) => (r as HTMLInputElement).checked),
    ).toBe(true);
    await page.click('input[name="ranges"][value="last_7_days"]');
    await page.click('input[name="ranges"][value="last_month"]');
    await page.screenshot({ path: join(ARTIFACTS, 'share-dialog-1366.png'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('#share-form button[type="submit"]')]);
    const shared = await page.$eval('#share-url', (i) => (i as HTMLInputElement).value);
    expect(shared.startsWith(`${service.url}/r/`)).toBe(true);
    const row = await page.$$eval('#share-links tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].slice(0, 8).map((td) => td.textContent)),
    );
    expect(row[0]?.slice(2, 4)).toEqual([
      'Last week (Monday to Sunday)',
      'Last 7 days, Last month',
    ]);
    expect(row[0]?.[0]).toBe('admin@pathlight.local');
    expect(row[0]?.[5]).toBe('0');
    expect(row[0]?.[7]).toBe('active');
    await page.setViewport({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, 'share-dialog-390.png'), fullPage: true });
    const viewer = await open(`${shared}?dateRange=last_month`);
    expect(viewer.status).toBe(200);
    // A GET, not a reload: reloading the answer to the form would post it again.
    await page.goto(`${service.url}/reports/shop-week/share`);
    expect(await page.$eval('#share-links tbody tr td.num', (td) => td.textContent)).toBe('1');
    await Promise.all([
      page.waitForNavigation(),
      page.click('#share-links tbody tr .revoke-link button'),
    ]);
    expect(await page.$eval('#share-links tbody tr td.status', (td) => td.textContent)).toBe(
      'revoked',
    );
    expect((await open(shared)).status).toBe(410);
  });

  it('is rate limited, and the limit says nothing about the link', async () => {
    let status = 0;
    let body = '';
    for (let i = 0; i < 45 && status !== 429; i++) {
      const res = await open(`${service.url}/r/not-a-token-${i}`);
      status = res.status;
      body = await res.text();
    }
    expect(status).toBe(429);
    expect(JSON.parse(body)).toEqual({
      error: { code: 'rate_limited', message: 'too many requests; try again in a minute' },
    });
    expect(readFileSync(join(service.dataDir, 'link-keys'), 'utf8')).toMatch(/^k\d{8}[0-9a-f]{6}:/);
  });
});
