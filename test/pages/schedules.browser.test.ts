import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';
import { RANGE } from './pagesFixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await signIn(h);
  const put = await call(`${h.service.url}/api/reports/weekly`, {
    method: 'PUT',
    headers: h.auth,
    body: {
      id: 'weekly',
      title: 'Weekly figures',
      goal: { event: 'purchase' },
      dateRange: { start: RANGE.from, end: RANGE.to },
      comparison: 'none',
      sections: [{ type: 'kpi_summary' }],
    },
  });
  expect(put.status).toBeLessThan(300);
});
afterAll(async () => {
  await h?.stop();
});

async function submit(selector: string) {
  await Promise.all([h.page.waitForNavigation(), h.page.click(selector)]);
}
const text = (selector: string) =>
  h.page.$eval(selector, (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());

describe('schedules in a real browser', () => {
  it('refuses a cron that is not one on its field, in plain words, keeping the form', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/schedules`);
    await page.type('#schedule-form input[name="id"]', 'weekly-tue');
    await page.type('#schedule-form input[name="name"]', 'Tuesday figures');
    await page.select('#schedule-form select[name="preset"]', 'monday-8');
    await page.select('#schedule-form select[name="preset"]', '');
    await page.type('#schedule-form input[name="cron"]', 'every tuesday');
    await page.type('#schedule-form input[name="to"]', 'ceo@example.com');
    await submit('#schedule-form button[type="submit"]');
    expect(await fieldErrorOf(page, '#schedule-form', 'cron')).toBe(
      'is not a schedule: five fields, minute hour day-of-month month weekday (like 0 8 * * 1 for Mondays at 08:00)',
    );
    expect(
      await page.$eval('#schedule-form input[name="name"]', (i) => (i as HTMLInputElement).value),
    ).toBe('Tuesday figures');
    await shots(page, '30-schedules-cron-error');
  });

  it('saves a typed cron even with a preset chosen, and says when it runs next', async () => {
    const { page } = h;
    await page.select('#schedule-form select[name="preset"]', 'monday-8');
    // Typing a cron is what the person wants: the preset gives way.
    await page.$eval(
      '#schedule-form input[name="cron"]',
      (i) => ((i as HTMLInputElement).value = ''),
    );
    await page.$eval('#cron-field', (l) => ((l as HTMLElement).hidden = false));
    await page.type('#schedule-form input[name="cron"]', '30 9 * * 2');
    await submit('#schedule-form button[type="submit"]');
    expect(await text('#schedule-weekly-tue .schedule-when')).toMatch(
      /^Every Tuesday at 09:30 Europe\/Berlin, next: Tue \d{1,2} [A-Z][a-z]{2} 09:30$/,
    );
    const saved = await call(`${h.service.url}/api/schedules/weekly-tue`, { headers: h.auth });
    expect(saved.body.cron).toBe('30 9 * * 2');
    // The next run is within the coming week.
    const next = await text('#schedule-weekly-tue .next-run');
    const day = Number(/^Tue (\d+)/.exec(next)![1]);
    const inDays = [...Array(8).keys()].map((d) => new Date(Date.now() + d * 86_400_000));
    expect(inDays.some((d) => d.getUTCDay() === 2 && d.getUTCDate() === day)).toBe(true);
    await shots(page, '31-schedules-saved');
  });

  it('edits a schedule in place', async () => {
    const { page } = h;
    await submit('#schedule-weekly-tue a.edit-schedule');
    expect(
      await page.$eval('#schedule-form input[name="cron"]', (i) => (i as HTMLInputElement).value),
    ).toBe('30 9 * * 2');
    await page.$eval(
      '#schedule-form input[name="name"]',
      (i) => ((i as HTMLInputElement).value = ''),
    );
    await page.type('#schedule-form input[name="name"]', 'Tuesday morning figures');
    await page.select('#schedule-form select[name="preset"]', 'daily-8');
    await submit('#schedule-form button[type="submit"]');
    expect(await text('#schedule-weekly-tue h2')).toContain('Tuesday morning figures');
    expect(await text('#schedule-weekly-tue .schedule-when')).toMatch(
      /^Every day at 08:00 Europe\/Berlin, next: /,
    );
  });

  it('shows a sent-now run go from waiting to sent without a reload', async () => {
    const { page, service } = h;
    await submit('#schedule-weekly-tue button.send-now');
    expect(await text('#schedule-weekly-tue tr[data-run] .status')).toBe('waiting to start');
    await shots(page, '32-schedules-run-waiting');
    const url = page.url();
    await service.scheduler.runOnce();
    await page.waitForFunction(
      () =>
        document.querySelector('#schedule-weekly-tue tr[data-run] .status')?.textContent === 'sent',
    );
    expect(page.url()).toBe(url);
    expect(await text('#schedule-weekly-tue tr[data-run] .deliveries')).toBe(
      'ceo@example.com: sent',
    );
    await shots(page, '33-schedules-run-sent');
  });

  it('pauses and deletes a schedule', async () => {
    const { page } = h;
    await submit('#schedule-weekly-tue button.pause');
    expect(await text('#schedule-weekly-tue .schedule-when')).toBe(
      'Every day at 08:00 Europe/Berlin · Paused paused by a user',
    );
    page.once('dialog', (d) => void d.accept());
    await submit('#schedule-weekly-tue .delete-schedule button');
    expect(await page.$('#schedule-weekly-tue')).toBeNull();
    const gone = await call(`${h.service.url}/api/schedules/weekly-tue`, { headers: h.auth });
    expect(gone.status).toBe(404);
  });
});
