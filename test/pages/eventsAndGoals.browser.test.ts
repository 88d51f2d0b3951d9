import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { fieldErrorOf, shots, startHarness, type Harness } from './pagesHarness.js';
import { RANGE } from './pagesFixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('sign-in, events and goals in a real browser', () => {
  it('says on the token field why a wrong token is refused', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/events?from=${RANGE.from}&to=${RANGE.to}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await shots(page, '01-signin');
    await page.type('input[name="token"]', 'not-the-token');
    await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
    expect(await fieldErrorOf(page, '#signin', 'token')).toBe(
      'That is not the admin token. It is in the data folder, file admin-token.',
    );
    await shots(page, '01a-signin-wrong-token');
    await page.type('input[name="token"]', service.adminToken!);
    await Promise.all([page.waitForNavigation(), page.click('#signin button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/events');
  });

  it('saves a goal with the condition of the chip picked, on a parameter two events carry', async () => {
    const { page, service } = h;
    expect(
      await page.$$eval('#events tbody tr', (rows) =>
        rows.map((r) => r.getAttribute('data-event')),
      ),
    ).toEqual(['page_view', 'view_item', 'purchase', 'add_to_cart']);
    await page.click('tr[data-event="purchase"] details summary');
    await page.click(
      'button.pick-value[data-event="purchase"][data-key="currency"][data-value="USD"]',
    );
    await page.type('#goal-form input[name="name"]', 'USD purchase');
    await page.click('#goal-preview');
    await page.waitForSelector('#goal-preview-table td[data-units]');
    // u1 on day 1 and u3 on day 2 paid in USD (every purchase would give 2, 1).
    expect(
      await page.$$eval('#goal-preview-table td[data-units]', (cells) =>
        cells.map((c) => Number((c as HTMLElement).dataset.units)),
      ),
    ).toEqual([1, 1]);
    // The chart is drawn in the page (an SVG from the bundled ECharts).
    expect(await page.$('#goal-preview-chart svg')).not.toBeNull();
    await shots(page, '02-events-goal-preview');
    await Promise.all([page.waitForNavigation(), page.click('#goal-save')]);
    expect(await page.$eval('#toast', (t) => t.textContent)).toBe('Goal USD purchase saved.');
    const goal = await call(`${service.url}/api/goals/USD purchase`, { headers: h.auth });
    expect(goal.body).toMatchObject({
      event: 'purchase',
      where: [{ param: 'currency', op: 'eq', value: 'USD' }],
    });
    await shots(page, '03-events-goal-saved');
  });

  it('refuses a goal name outside the allowed characters on its field, keeping what was typed', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/events?from=${RANGE.from}&to=${RANGE.to}`);
    await page.select('#goal-form select[name="event"]', 'add_to_cart');
    await page.type('#goal-form input[name="name"]', 'Cart / add');
    await Promise.all([page.waitForNavigation(), page.click('#goal-save')]);
    expect(await page.evaluate(() => document.title)).toBe('Events and goals · Pathlight');
    expect(await fieldErrorOf(page, '#goal-form', 'name')).toBe(
      'use letters, digits, spaces and _ . - only, starting with a letter or digit (at most 100)',
    );
    expect(
      await page.$eval('#goal-form input[name="name"]', (i) => (i as HTMLInputElement).value),
    ).toBe('Cart / add');
    expect(
      await page.$eval('#goal-form select[name="event"]', (s) => (s as HTMLSelectElement).value),
    ).toBe('add_to_cart');
    await shots(page, '04-events-goal-name-error');
  });

  it('shows a bad date range on its field, without a second wrong message', async () => {
    const { page, service } = h;
    const res = await page.goto(`${service.url}/events?from=2024-13-45&to=${RANGE.to}`);
    expect(res?.status()).toBe(200);
    expect(await fieldErrorOf(page, '#range-form', 'from')).toBe(
      '2024-13-45 is not a date; use YYYY-MM-DD',
    );
    expect(await fieldErrorOf(page, '#range-form', 'to')).toBe('');
    expect(await page.$('.error')).toBeNull();
    await shots(page, '05-events-bad-date');
    await page.goto(`${service.url}/events?from=${RANGE.to}&to=${RANGE.from}`);
    expect(await fieldErrorOf(page, '#range-form', 'to')).toBe(
      `must be on or after the start date (${RANGE.to})`,
    );
  });

  it('says so when a range has no data rather than showing zeros', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/events?from=2023-01-01&to=2023-01-07`);
    expect(await page.$eval('#no-events', (p) => p.textContent?.replace(/\s+/g, ' ').trim())).toBe(
      'No events recorded from 2023-01-01 to 2023-01-07. The export may not cover these days yet: pick another range.',
    );
    expect(await page.$('#events')).toBeNull();
  });
});
