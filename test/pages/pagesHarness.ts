import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { startTestService, type TestService } from '../http/support/testApp.js';
import { pagesDb } from './pagesFixture.js';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'pages');
const CHROMIUM = process.env.PATHLIGHT_BROWSER_PATH ?? '/usr/bin/chromium';

export interface Harness {
  readonly service: TestService;
  readonly browser: Browser;
  readonly page: Page;
  /** An authenticated JSON call to the service's API. */
  readonly auth: Record<string, string>;
  stop(): Promise<void>;
}

/** One service (PGlite store, the pages fixture in DuckDB, port 0) and one headless Chromium. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const service = await startTestService({
    PATHLIGHT_DUCKDB_FILE: await pagesDb(),
    PATHLIGHT_BROWSER_PATH: 'none',
    ...env,
  });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), 'pathlight-chromium-')),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewport({ width: 1366, height: 900 });
  return {
    service,
    browser,
    page,
    auth: { Authorization: `Bearer ${service.adminToken}` },
    async stop() {
      await browser.close();
      await service.stop();
    },
  };
}

/** Signs in through the sign-in page with the service's admin token. */
export async function signIn(h: Harness): Promise<void> {
  await h.page.goto(`${h.service.url}/signin`);
  await h.page.type('input[name="token"]', h.service.adminToken!);
  await Promise.all([h.page.waitForNavigation(), h.page.click('#signin button[type="submit"]')]);
}

/**
 * Screenshots of the page as it is, at 1366 and at 390 px wide, and the check that at 390 px
 * nothing makes the page itself scroll sideways (wide tables scroll inside themselves).
 */
export async function shots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}-1366.png`), fullPage: true });
  await page.setViewport({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => {
    // Inside a box that scrolls sideways and itself fits: the box scrolls, not the page.
    const inScroller = (e: Element) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        const x = getComputedStyle(a).overflowX;
        if ((x === 'auto' || x === 'scroll') && a.getBoundingClientRect().right <= innerWidth + 1)
          return true;
      }
      return false;
    };
    return {
      scroll: document.documentElement.scrollWidth,
      view: document.documentElement.clientWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter((e) => !e.closest('table.data, pre.sql, .chart, .visually-hidden, .default-submit'))
        .filter((e) => !inScroller(e))
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`),
    };
  });
  await page.screenshot({ path: join(ARTIFACTS, `${name}-390.png`), fullPage: true });
  await page.setViewport({ width: 1366, height: 900 });
  expect(overflow.wide, `${name}: elements past the right edge at 390 px`).toEqual([]);
  expect(overflow.scroll, `${name}: page scrolls sideways at 390 px`).toBeLessThanOrEqual(
    overflow.view,
  );
}

/** The text of the field error shown under a named control of a form. */
export async function fieldErrorOf(page: Page, form: string, name: string): Promise<string> {
  return page.$eval(`${form} [name="${name}"]`, (control) => {
    const id = control.getAttribute('aria-describedby');
    const p = id ? document.getElementById(id) : null;
    return control.getAttribute('aria-invalid') === 'true' && p ? (p.textContent ?? '') : '';
  });
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * axe-core on the page as it is now: no serious or critical violation. axe is evaluated through
 * DevTools, which the page's CSP does not govern (an injected script tag would be refused, as
 * it should be). Frames are skipped: the outbox's email frame runs no script by design.
 */
export async function axeCheck(page: Page, name: string): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run(document, { iframes: false, resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) =>
        v.nodes.map(
          (n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary ?? ''}`,
        ),
      );
  });
  expect(found, `${name}: axe-core serious or critical violations`).toEqual([]);
}

/**
 * What went wrong in the browser while a page loaded and ran: console errors (a CSP refusal is
 * one), uncaught exceptions, and any sub-resource (script, style, image, favicon) answered 4xx
 * or 5xx. The page's own document may be an error page on purpose, so it is not counted.
 */
export function watchProblems(page: Page): { take(): string[] } {
  let seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A failed load is reported below with its URL, or is the document itself.
    if (message.text().startsWith('Failed to load resource')) return;
    seen.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.push(`uncaught: ${String(error)}`));
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() || response.status() < 400) return;
    seen.push(`${response.status()} ${response.url()}`);
  });
  return {
    take() {
      const out = seen;
      seen = [];
      return out;
    },
  };
}
