import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage, deliveryMessageId } from '../../src/delivery/composeMessage.js';
import { outboxTransport } from '../../src/delivery/outboxTransport.js';
import { BODY_CSP } from '../../src/http/pages/outboxPage.js';
import { sampleEmail } from '../support/sampleEmail.js';
import { startTestService, type TestService } from './support/testApp.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'outbox');
const CHROMIUM = process.env.PATHLIGHT_BROWSER_PATH ?? '/usr/bin/chromium';
const TO = ['ceo@example.com', 'cmo@example.com'];

let service: TestService;
let browser: Browser;
let page: Page;
/** Counts every request a message's body makes to the outside: there must be none. */
let outside: Server;
let outsideHits = 0;

const addressing = (runId: number, envelopeTo: string) => ({
  from: 'Pathlight <reports@example.com>',
  to: TO,
  cc: [],
  envelopeTo,
  messageId: deliveryMessageId(runId, envelopeTo, 'example.com'),
  unsubscribe: { mailto: 'reports@example.com' },
});

const shot = (name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/**
 * How far the page's own content reaches to the right: the widest of main's scroll width and
 * any element in it (the shared header's menu is the layout's concern, not this page's).
 */
const contentWidth = () =>
  page.evaluate(() => {
    const main = document.querySelector('main')!;
    return Math.max(
      main.scrollWidth,
      ...[...main.querySelectorAll('*')].map((e) => Math.ceil(e.getBoundingClientRect().right)),
    );
  });

/** The viewer's email frame (navigation waits for the load event, which waits for frames). */
function bodyFrame(): Frame {
  const frame = page.frames().find((f) => f.url().endsWith('/body'));
  if (!frame) throw new Error('no email frame');
  return frame;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  outside = createServer((_req, res) => {
    outsideHits += 1;
    res.end('');
  });
  await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
  const outsideUrl = `http://127.0.0.1:${(outside.address() as AddressInfo).port}`;

  service = await startTestService();
  const transport = outboxTransport(join(service.dataDir, 'outbox'));
  // Run 7 as deliverRun sends it: one copy per recipient, the Bcc one included.
  for (const to of [...TO, 'audit@example.com'])
    await transport.send(composeMessage(sampleEmail(), addressing(7, to)));
  await new Promise((resolve) => setTimeout(resolve, 15));
  // A body that tries to run a script and to fetch from outside.
  await transport.send(
    composeMessage(
      {
        ...sampleEmail(),
        subject: 'Hostile body',
        html: `<html><body><h1>Hostile</h1><script>document.body.dataset.ran = 'yes'</script><img src="${outsideUrl}/pixel.png" alt="pixel"><link rel="stylesheet" href="${outsideUrl}/style.css"></body></html>`,
        images: [],
        pdf: null,
      },
      addressing(9, 'ceo@example.com'),
    ),
  );

  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), 'pathlight-chromium-')),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  await page.setViewport({ width: 1366, height: 900 });
  await page.goto(`${service.url}/outbox`);
  await page.type('input[name="token"]', service.adminToken!);
  await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await new Promise((resolve) => outside?.close(resolve));
});

const rows = () =>
  page.$$eval('#outbox-list tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
  );

describe('the outbox in a real browser', { timeout: 60_000 }, () => {
  it('lists a message sent to three people once, with all three, on the outbox and schedules pages', async () => {
    for (const path of ['/schedules', '/outbox']) {
      await page.goto(`${service.url}${path}`);
      const listed = await rows();
      expect(listed.map((r) => [r[1], r[2]?.split(', ').sort()])).toEqual([
        ['Hostile body', ['ceo@example.com']],
        [
          'Wöchentlicher Bericht · 19 – 25 Oct 2026',
          ['audit@example.com', 'ceo@example.com', 'cmo@example.com'],
        ],
      ]);
    }
    await shot('outbox-1366');
    await page.setViewport({ width: 390, height: 844 });
    await page.reload();
    await shot('outbox-390');
    expect(await contentWidth()).toBeLessThanOrEqual(390);
    await page.setViewport({ width: 1366, height: 900 });
  });

  it('opens the message as the recipient sees it: HTML with its pictures, text, attachments', async () => {
    await page.goto(`${service.url}/outbox`);
    await Promise.all([
      page.waitForNavigation(),
      page.click('#outbox-list tbody tr:nth-child(2) a[href^="/outbox/"]'),
    ]);
    const email = sampleEmail();
    expect(await page.$eval('h1', (h) => h.textContent)).toBe(email.subject);
    expect(
      await page.$$eval('#delivered-to .copy', (copies) =>
        copies.map((c) => c.firstChild?.textContent?.trim()).sort(),
      ),
    ).toEqual(['audit@example.com', 'ceo@example.com', 'cmo@example.com']);

    const frame = bodyFrame();
    const drawn = await frame.evaluate(() => ({
      heading: document.querySelector('h1')?.textContent,
      images: [...document.images].map((i) => [i.alt, i.complete, i.naturalWidth, i.naturalHeight]),
    }));
    expect(drawn).toEqual({
      heading: 'Wöchentlicher Bericht',
      images: [
        ['Trend', true, 68, 22],
        ['Funnel', true, 68, 24],
      ],
    });
    expect(await page.$eval('#mail-text', (p) => p.textContent)).toBe(email.text);

    const attachments = await page.$$eval('#attachments li', (items) =>
      items.map((li) => ({
        name: li.querySelector('a.name')?.textContent?.trim(),
        href: li.querySelector('a.name')?.getAttribute('href'),
        thumb: (li.querySelector('img') as HTMLImageElement | null)?.naturalWidth ?? null,
      })),
    );
    expect(attachments.map((a) => [a.name, a.thumb])).toEqual([
      ['chart1-trend.png', 68],
      ['chart2-chart.png', 68],
      ['Bericht März 2026.pdf', null],
    ]);
    const file = new URL(page.url()).pathname.split('/')[2]!;
    const fetched = await page.evaluate(
      async (urls) =>
        Promise.all(
          urls.map(async (url) => {
            const res = await fetch(url);
            const bytes = new Uint8Array(await res.arrayBuffer());
            return {
              status: res.status,
              type: res.headers.get('content-type'),
              disposition: res.headers.get('content-disposition'),
              csp: res.headers.get('content-security-policy'),
              head: String.fromCharCode(...bytes.slice(0, 5)),
              length: bytes.length,
            };
          }),
        ),
      [attachments[2]!.href!, `/outbox/${file}/body`, `/api/outbox/${file}`],
    );
    expect(fetched[0]).toMatchObject({
      status: 200,
      type: 'application/pdf',
      disposition: `attachment; filename="Bericht M_rz 2026.pdf"; filename*=UTF-8''Bericht%20M%C3%A4rz%202026.pdf`,
      head: '%PDF-',
      length: email.pdf!.content.length,
    });
    expect(fetched[1]).toMatchObject({ status: 200, csp: BODY_CSP });
    // The .eml download stays.
    expect(fetched[2]).toMatchObject({
      status: 200,
      type: 'message/rfc822',
      length: readFileSync(join(service.dataDir, 'outbox', file)).length,
    });
    await shot('message-1366');
    await page.setViewport({ width: 390, height: 844 });
    await page.reload();
    expect(await contentWidth()).toBeLessThanOrEqual(390);
    await shot('message-390');
    await page.setViewport({ width: 1366, height: 900 });
  });

  it('draws a hostile body without running its script or fetching from outside', async () => {
    await page.goto(`${service.url}/outbox`);
    await Promise.all([
      page.waitForNavigation(),
      page.click('#outbox-list tbody tr:nth-child(1) a[href^="/outbox/"]'),
    ]);
    const frame = bodyFrame();
    expect(
      await frame.evaluate(() => ({
        heading: document.querySelector('h1')?.textContent,
        ran: document.body.dataset.ran ?? null,
      })),
    ).toEqual({ heading: 'Hostile', ran: null });
    expect(outsideHits).toBe(0);
  });

  it('answers 404 for a message or part that is not there', async () => {
    await page.goto(`${service.url}/outbox`);
    const statuses = await page.evaluate(async () => {
      const file = document
        .querySelector('#outbox-list tbody tr:nth-child(2)')
        ?.getAttribute('data-file');
      return Promise.all(
        [
          `/outbox/${file}/parts/2`,
          '/outbox/nope.eml',
          '/outbox/..%2F..%2Fetc%2Fpasswd',
          `/outbox/${file}/parts/9`,
          `/outbox/${file}/parts/x`,
          `/outbox/nope.eml/body`,
          '/api/outbox/nope.eml',
        ].map(async (url) => (await fetch(url)).status),
      );
    });
    // The PDF is part 2 of run 7's message; there is no part 9.
    expect(statuses).toEqual([200, 404, 404, 404, 404, 404, 404]);
  });
});
