import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/main/startService.js';
import { RANGE } from '../http/support/eventsFixture.js';
import { call, startTestService } from '../http/support/testApp.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'e2e');
const CHROMIUM = process.env.PATHLIGHT_BROWSER_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let page: Page;
let service: RunningService;

const shot = (name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The real scheduler renderer: the reports use-case, PDF printed in the service's browser pool.
  service = await startTestService({ PATHLIGHT_BROWSER_PATH: CHROMIUM });
  browser = await puppeteer.launch({
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
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewport({ width: 1280, height: 900 });
});
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe('a marketing manager in a real browser', () => {
  it('signs in with the local token', async () => {
    await page.goto(`${service.url}/events?from=${RANGE.from}&to=${RANGE.to}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await shot('01-signin');
    await page.type('input[name="token"]', service.adminToken!);
    await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/events');
    expect(await page.$eval('#events', (t) => t.textContent)).toContain('page_view');
    // No GA4 property in this service: the page says why no event is marked as a key event.
    expect(await page.$eval('#key-events-off', (p) => p.textContent)).toContain('GA4_PROPERTY_ID');
  });

  it('picks an event and a parameter condition into a goal', async () => {
    await page.click('details summary');
    await page.click(
      'button.pick-value[data-event="page_view"][data-key="page_type"][data-value="product"]',
    );
    expect(await page.$eval('select[name="event"]', (s) => (s as HTMLSelectElement).value)).toBe(
      'page_view',
    );
    expect(await page.$eval('input[name="condValue"]', (i) => (i as HTMLInputElement).value)).toBe(
      'product',
    );
    await page.type('#goal-form input[name="name"]', 'Product view');
    // Its daily conversions before saving: u1 and u2 on day 1, u3 on day 2, u5 on day 3.
    await page.click('#goal-preview');
    await page.waitForSelector('#goal-preview-table td[data-units]');
    expect(
      await page.$$eval('#goal-preview-table td[data-units]', (cells) =>
        cells.map((c) => Number((c as HTMLElement).dataset.units)),
      ),
    ).toEqual([2, 1, 1]);
    await shot('02-events-goal-form');
    await Promise.all([page.waitForNavigation(), page.click('#goal-save')]);
    expect(await page.$eval('#goal-list', (t) => t.textContent)).toContain('page_type eq product');
    await shot('03-events-goal-saved');
    const goal = await call(`${service.url}/api/goals/Product view`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    expect(goal.body).toMatchObject({
      event: 'page_view',
      where: [{ param: 'page_type', op: 'eq', value: 'product' }],
    });
  });

  it('builds a 3-step funnel whose preview equals the JSON API', async () => {
    await page.goto(`${service.url}/funnel?from=${RANGE.from}&to=${RANGE.to}`);
    // Add a fourth step and remove it again: the builder keeps three.
    await page.click('#add-step');
    expect(await page.$$eval('#steps .step', (s) => s.length)).toBe(4);
    await page.click('#steps .step:nth-child(4) .step-remove');
    const selects = await page.$$('select[name="step"]');
    expect(selects.length).toBe(3);
    await selects[0]!.select('event:add_to_cart');
    await selects[1]!.select('goal:Product view');
    await selects[2]!.select('event:purchase');
    // Reorder: the goal moves up to step 1.
    await page.click('#steps .step:nth-child(2) .step-up');
    await page.click('#funnel-form button[type="submit"]');
    await page.waitForSelector('#funnel-table td[data-count]');
    await page.waitForFunction(
      () => !document.getElementById('funnel-result')?.hasAttribute('aria-busy'),
    );
    const shown = await page.$$eval('#funnel-table td[data-count]', (cells) =>
      cells.map((c) => Number((c as HTMLElement).dataset.count)),
    );
    const api = await call(`${service.url}/api/funnels/run`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${service.adminToken}` },
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        steps: [{ goal: 'Product view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
      },
    });
    expect(shown).toEqual(api.body.steps.map((s: { count: number }) => s.count));
    expect(shown).toEqual([4, 3, 2]);
    await shot('04-funnel-preview');

    await page.type('#save-report input[name="id"]', 'checkout');
    await page.type('#save-report input[name="title"]', 'Checkout funnel');
    await Promise.all([page.waitForNavigation(), page.click('#save-report button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/reports');
    expect(await page.$eval('#report-list', (t) => t.textContent)).toContain('Checkout funnel');
    // Saved in the reports schema's shape: goal from the last step, relative range, funnel section
    // whose goal step refers to the saved goal by name.
    const report = await call(`${service.url}/api/reports/checkout`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    expect(report.body).toMatchObject({
      id: 'checkout',
      goal: { event: 'purchase' },
      dateRange: 'last_7_days',
      comparison: 'previous_period',
      sections: [
        {
          type: 'funnel',
          funnel: {
            steps: [{ goal: 'Product view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
          },
        },
      ],
    });
    await shot('05-reports');

    // The editor: add key figures and move them above the funnel (both in the page), and set
    // the fixture's dates so the preview and the email show its numbers.
    await Promise.all([page.waitForNavigation(), page.click('a.edit-report')]);
    // The funnel's steps come back as the editor's step pickers, the saved goal by name.
    expect(
      await page.$$eval('#sections select[name^="section.0.funnel.steps."]', (selects) =>
        selects
          .filter((el) => (el as HTMLSelectElement).name.endsWith('.ref'))
          .map((el) => (el as HTMLSelectElement).value)
          .filter(Boolean),
      ),
    ).toEqual(['goal:Product view', 'event:add_to_cart', 'event:purchase']);
    await page.click('button.add-section-button[data-type="kpi_summary"]');
    await page.click('#sections .section:nth-child(2) .section-up');
    expect(
      await page.$$eval('#sections .section', (items) =>
        items.map((li) => [
          (li as HTMLElement).dataset.type,
          li.querySelector('input[type="hidden"]')?.getAttribute('name'),
        ]),
      ),
    ).toEqual([
      ['kpi_summary', 'section.0.type'],
      ['funnel', 'section.1.type'],
    ]);
    await page.select('#report-range', 'fixed');
    await page.$eval(
      '#report-form',
      (f, from, to) => {
        const form = f as HTMLFormElement;
        (form.elements.namedItem('start') as HTMLInputElement).value = from;
        (form.elements.namedItem('end') as HTMLInputElement).value = to;
      },
      RANGE.from,
      RANGE.to,
    );
    await page.select('#report-form select[name="comparison"]', 'none');
    await shot('05a-report-editor');
    await Promise.all([page.waitForNavigation(), page.click('#report-save')]);
    expect(new URL(page.url()).pathname).toBe('/reports');
    const edited = await call(`${service.url}/api/reports/checkout`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    expect(edited.body.dateRange).toEqual({ start: RANGE.from, end: RANGE.to });
    expect(edited.body.comparison).toBe('none');
    expect(edited.body.sections.map((s: { type: string }) => s.type)).toEqual([
      'kpi_summary',
      'funnel',
    ]);
    expect(edited.body.sections[1].funnel).toEqual(report.body.sections[0].funnel);

    // Preview as PDF, printed now by the reports use-case.
    const preview = await fetch(`${service.url}/api/reports/checkout/preview?format=pdf`, {
      headers: { Authorization: `Bearer ${service.adminToken}` },
    });
    expect(preview.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await preview.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // The list opens previews in a new tab; follow its link here.
    await page.goto(await page.$eval('a.preview-html', (a) => (a as HTMLAnchorElement).href));
    await page.waitForSelector('h1');
    expect(await page.$eval('h1', (h) => h.textContent)).toContain('Checkout funnel');
    await shot('05b-report-preview');
  });

  it('schedules the report, sends it now, and finds the email with its PDF in the outbox', async () => {
    await page.goto(`${service.url}/schedules`);
    await page.type('#schedule-form input[name="id"]', 'checkout-weekly');
    await page.type('#schedule-form input[name="name"]', 'Checkout weekly');
    await page.select('#schedule-form select[name="reportId"]', 'checkout');
    await page.select('#schedule-form select[name="preset"]', 'monday-8');
    await page.$eval(
      '#schedule-form input[name="timeZone"]',
      (i) => ((i as HTMLInputElement).value = ''),
    );
    await page.type('#schedule-form input[name="timeZone"]', 'Europe/Berlin');
    await page.type('#schedule-form input[name="to"]', 'not-an-address');
    await Promise.all([
      page.waitForNavigation(),
      page.click('#schedule-form button[type="submit"]'),
    ]);
    expect(
      await page.$eval('#schedule-form [name="to"]', (i) => {
        const id = i.getAttribute('aria-describedby');
        return id ? document.getElementById(id)?.textContent : '';
      }),
    ).toBe('expected an email address like name@example.com');
    await page.$eval(
      '#schedule-form input[name="to"]',
      (i) => ((i as HTMLInputElement).value = ''),
    );
    await page.type('#schedule-form input[name="to"]', 'ceo@example.com');
    await Promise.all([
      page.waitForNavigation(),
      page.click('#schedule-form button[type="submit"]'),
    ]);
    expect(await page.$eval('#schedule-checkout-weekly', (s) => s.textContent)).toContain(
      '0 8 * * 1',
    );
    await Promise.all([
      page.waitForNavigation(),
      page.click('#schedule-checkout-weekly button.send-now'),
    ]);
    await service.scheduler.runOnce();
    await page.reload();
    const runRow = await page.$eval('#schedule-checkout-weekly .runs tbody tr', (r) =>
      (r.textContent ?? '').replace(/\s+/g, ' '),
    );
    expect(runRow).toContain('send now');
    // Stages in the order a run goes through them, in seconds (the cell breaks lines with <br>).
    expect(runRow).toMatch(
      /query [\d.]+ s\s*html [\d.]+ s\s*pdf [\d.]+ s\s*render total [\d.]+ s\s*send [\d.]+ s/,
    );
    expect(runRow).toContain('sent');
    expect(runRow).toContain('ceo@example.com: sent');
    expect(await page.$eval('#outbox-list', (t) => t.textContent)).toContain('Checkout funnel');
    await shot('06-schedules-outbox');

    const auth = { Authorization: `Bearer ${service.adminToken}` };
    const listed = await call(`${service.url}/api/outbox`, { headers: auth });
    expect(listed.body.messages).toHaveLength(1);
    const raw = await fetch(`${service.url}/api/outbox/${listed.body.messages[0].file}`, {
      headers: auth,
    });
    const mail = await simpleParser(Buffer.from(await raw.arrayBuffer()));
    expect(mail.subject).toMatch(/^Checkout funnel · /);
    expect(mail.text).toContain('Checkout funnel');
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('explores paths, next step and stages', async () => {
    for (const [analysis, anchor] of [
      ['paths', 'page_view'],
      ['next-step', 'purchase'],
      ['stages', 'purchase'],
    ] as const) {
      await page.goto(
        `${service.url}/explore?run=1&analysis=${analysis}&anchor=${anchor}&scope=user&from=${RANGE.from}&to=${RANGE.to}`,
      );
      expect(await page.$('.error')).toBeNull();
      expect(await page.$eval('#explore-summary', (p) => p.textContent)).toMatch(/\d+ users/);
      await shot(`07-explore-${analysis}`);
    }
  });
});
