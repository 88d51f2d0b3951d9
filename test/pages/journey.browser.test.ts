import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { shots, signIn, startHarness, type Harness } from './pagesHarness.js';
import { RANGE } from './pagesFixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Chromium's first pages on a busy machine can take longer than the harness's default.
  h.page.setDefaultTimeout(60_000);
});
afterAll(async () => {
  await h?.stop();
});

async function submit(selector: string) {
  await Promise.all([h.page.waitForNavigation(), h.page.click(selector)]);
}
const text = (selector: string) =>
  h.page.$eval(selector, (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());

/**
 * What a marketing manager does in a first session, in one browser: a goal with a condition, a
 * funnel broken down by device, a report built in the form editor, a schedule sent now, the email
 * read in the outbox. The figures are worked out by hand from the pages fixture.
 */
describe('the journey from a goal to the email, in a real browser', () => {
  it('signs in and saves the goal "purchase where currency = USD" on the Events page', async () => {
    const { page, service } = h;
    await signIn(h);
    await page.goto(`${service.url}/events?from=${RANGE.from}&to=${RANGE.to}`);
    await page.click('tr[data-event="purchase"] details summary');
    await page.click(
      'button.pick-value[data-event="purchase"][data-key="currency"][data-value="USD"]',
    );
    await page.type('#goal-form input[name="name"]', 'USD purchase');
    await submit('#goal-save');
    expect(await text('#toast')).toBe('Goal USD purchase saved.');
  });

  it('builds the funnel page_view → USD purchase broken down by device', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/funnel?from=${RANGE.from}&to=${RANGE.to}`);
    const selects = await page.$$('#steps select[name="step"]');
    await selects[0]!.select('event:page_view');
    await selects[1]!.select('goal:USD purchase');
    await page.select('#funnel-form select[name="breakdown"]', 'device_category');
    await page.click('#funnel-form button[type="submit"]');
    await page.waitForSelector('#funnel-groups td[data-count]');
    await page.waitForFunction(
      () => !document.getElementById('funnel-result')?.hasAttribute('aria-busy'),
    );
    // Five users viewed a page; u1 and u3 paid in USD.
    expect(
      await page.$$eval('#funnel-table td[data-count]', (c) =>
        c.map((x) => Number((x as HTMLElement).dataset.count)),
      ),
    ).toEqual([5, 2]);
    // desktop: u1, u3 both paid in USD; mobile: u2, u4, u5, none in USD.
    const groups = await page.$$eval('#funnel-groups tbody tr', (rows) =>
      rows.map((r) => [
        (r as HTMLElement).dataset.group,
        (r.children[2] as HTMLElement).dataset.count,
      ]),
    );
    expect(
      Object.fromEntries(
        ['desktop', 'mobile'].map((d) => [
          d,
          groups.filter(([g]) => g === d).map(([, n]) => Number(n)),
        ]),
      ),
    ).toEqual({ desktop: [2, 2], mobile: [3, 0] });
  });

  it('creates the report in the form editor, without any JSON', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/reports/new`);
    await page.type('#report-form input[name="id"]', 'usd-weekly');
    await page.type('#report-form input[name="title"]', 'USD buyers');
    await page.select('#report-form select[name="savedGoal"]', 'USD purchase');
    await page.select('#report-range', 'fixed');
    await page.$eval(
      '#report-form input[name="start"]',
      (i, v) => ((i as HTMLInputElement).value = v),
      RANGE.from,
    );
    await page.$eval(
      '#report-form input[name="end"]',
      (i, v) => ((i as HTMLInputElement).value = v),
      RANGE.to,
    );
    await page.select('#report-form select[name="comparison"]', 'none');
    await submit('button.add-section-button[data-type="funnel"]');
    // A new funnel runs from page_view to the report's goal.
    expect(
      await page.$eval(
        'select[name="section.1.funnel.steps.0.ref"]',
        (s) => (s as HTMLSelectElement).value,
      ),
    ).toBe('event:page_view');
    expect(
      await page.$eval(
        'select[name="section.1.funnel.steps.1.ref"]',
        (s) => (s as HTMLSelectElement).value,
      ),
    ).toBe('goal:USD purchase');
    await page.select('select[name="section.1.funnel.breakdown"]', 'device_category');
    await page.type('#section-1-title', 'From a page view to a USD purchase');
    expect(
      await page.$$eval(
        '#report-form textarea',
        (t) => t.filter((x) => (x as HTMLTextAreaElement).value !== '').length,
      ),
    ).toBe(0);
    await shots(page, '40-journey-report-form');
    await submit('#report-save');
    expect(new URL(page.url()).pathname).toBe('/reports');
    const saved = await call(`${service.url}/api/reports/usd-weekly`, { headers: h.auth });
    expect(saved.body).toMatchObject({
      goal: 'USD purchase',
      dateRange: { start: RANGE.from, end: RANGE.to },
      sections: [
        { type: 'kpi_summary' },
        {
          type: 'funnel',
          funnel: {
            steps: [{ event: 'page_view' }, { goal: 'USD purchase' }],
            breakdown: 'device_category',
          },
        },
      ],
    });
  });

  it('schedules the report, sends it now and watches the run go to sent', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/schedules`);
    await page.type('#schedule-form input[name="id"]', 'usd-monday');
    await page.type('#schedule-form input[name="name"]', 'USD buyers on Monday');
    await page.select('#schedule-form select[name="reportId"]', 'usd-weekly');
    await page.select('#schedule-form select[name="preset"]', 'monday-8');
    await page.type('#schedule-form input[name="to"]', 'cmo@example.com');
    await submit('#schedule-form button[type="submit"]');
    await submit('#schedule-usd-monday button.send-now');
    await service.scheduler.runOnce();
    await page.waitForFunction(
      () =>
        document.querySelector('#schedule-usd-monday tr[data-run] .status')?.textContent === 'sent',
    );
    expect(await text('#schedule-usd-monday tr[data-run] .deliveries')).toBe(
      'cmo@example.com: sent',
    );
  });

  it('reads the email in the outbox, with the figures worked out by hand', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/outbox`);
    await submit('#outbox-list tbody a[href^="/outbox/"]');
    expect(await text('#delivered-to')).toMatch(/^cmo@example\.com/);
    const frame = (await (await page.$('#mail-body'))!.contentFrame())!;
    await frame.waitForSelector('.tile');
    // By hand from the fixture: five users, one session each; u1 and u3 paid in USD (u2 paid in
    // EUR); the goal takes no value, so no revenue.
    expect(
      await frame.$$eval('.tile', (tiles) =>
        tiles.map((t) => [
          t.querySelector('.tile-label')?.textContent,
          t.querySelector('.tile-value')?.textContent,
        ]),
      ),
    ).toEqual([
      ['Users', '5'],
      ['Sessions', '5'],
      ['Conversions (USD purchase)', '2'],
      ['Conversion rate', '40.00%'],
      ['Revenue', '$0.00'],
    ]);
    const rows = (table: number) =>
      frame.$$eval(
        'table.data',
        (tables, i) =>
          [...tables[i as number]!.querySelectorAll('tr')]
            .slice(1)
            .map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent?.trim())),
        table,
      );
    // page_view: all five; USD purchase: u1 (3 minutes after), u3 (2 minutes after), median 2.5.
    expect(await rows(0)).toEqual([
      ['1. page_view', '5', '100.0%', '100.0%', '–'],
      ['2. USD purchase', '2', '40.0%', '40.0%', '2.5 min'],
    ]);
    // desktop: u1, u3 entered and both paid in USD; mobile: u2, u4, u5 entered, none in USD.
    expect(await rows(1)).toEqual([
      ['mobile', '3', '0', '0.0%'],
      ['desktop', '2', '2', '100.0%'],
    ]);
    const mail = await text('#mail-text');
    for (const line of [
      '== Key figures == - Users: 5 - Sessions: 5 - Conversions (USD purchase): 2 - Conversion rate: 40.00% - Revenue: $0.00',
      '1. page_view: 5 (100.0% of first, 100.0% from previous) 2. USD purchase: 2 (40.0% of first, 40.0% from previous)',
    ])
      expect(mail).toContain(line);
    await shots(page, '41-journey-email');
  });
});
