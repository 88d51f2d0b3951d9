import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';
import { RANGE } from './pagesFixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await signIn(h);
  // A saved goal the funnel refers to by name.
  await call(`${h.service.url}/api/goals/Cart`, {
    method: 'PUT',
    headers: h.auth,
    body: { event: 'add_to_cart' },
  });
});
afterAll(async () => {
  await h?.stop();
});

const counts = (selector: string) =>
  h.page.$$eval(selector, (cells) => cells.map((c) => Number((c as HTMLElement).dataset.count)));

async function pickSteps(values: string[]) {
  const selects = await h.page.$$('#steps select[name="step"]');
  for (const [i, value] of values.entries()) await selects[i]!.select(value);
}

async function settled() {
  await h.page.waitForFunction(
    () => !document.getElementById('funnel-result')?.hasAttribute('aria-busy'),
  );
}

describe('the funnel page in a real browser', () => {
  it('says on the steps that one step is not a funnel', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/funnel?from=${RANGE.from}&to=${RANGE.to}`);
    await pickSteps(['event:page_view']);
    await page.click('#funnel-form button[type="submit"]');
    await page.waitForSelector('#error-steps');
    expect(await page.$eval('#error-steps', (p) => p.textContent)).toBe(
      'Pick at least 2 steps: a funnel shows how many go on from one to the next.',
    );
    expect(await page.$eval('#steps', (ol) => ol.getAttribute('aria-describedby'))).toBe(
      'error-steps',
    );
    await shots(page, '10-funnel-one-step');
    // Without script too: the page's own form post of one step says the same on the steps.
    await page.goto(
      `${service.url}/funnel?from=${RANGE.from}&to=${RANGE.to}&step=event:page_view&step=&step=`,
    );
    expect(await page.$eval('#error-steps', (p) => p.textContent)).toBe(
      'Pick at least 2 steps: a funnel shows how many go on from one to the next.',
    );
  });

  it('draws the breakdown by device as grouped bars and a table', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/funnel?from=${RANGE.from}&to=${RANGE.to}`);
    // Saved goals are offered beside the events.
    expect(
      await page.$$eval('#steps .step:first-child optgroup[label="Saved goals"] option', (o) =>
        o.map((x) => (x as HTMLOptionElement).value),
      ),
    ).toEqual(['goal:Cart']);
    await pickSteps(['event:page_view', 'goal:Cart', 'event:purchase']);
    await page.select('#funnel-form select[name="breakdown"]', 'device_category');
    await page.click('#funnel-form button[type="submit"]');
    await page.waitForSelector('#funnel-groups td[data-count]');
    await settled();
    expect(await counts('#funnel-table td[data-count]')).toEqual([5, 2, 2]);
    const byGroup = await page.$$eval('#funnel-groups tbody tr', (rows) =>
      rows.map((r) => [
        (r as HTMLElement).dataset.group,
        Number((r.children[2] as HTMLElement).dataset.count),
      ]),
    );
    // desktop: u1, u3 -> 2, 1, 1; mobile: u2, u4, u5 -> 3, 1, 1.
    expect(
      Object.fromEntries(
        ['desktop', 'mobile'].map((d) => [d, byGroup.filter(([g]) => g === d).map(([, n]) => n)]),
      ),
    ).toEqual({
      desktop: [2, 1, 1],
      mobile: [3, 1, 1],
    });
    // The grouped bars: one series per device in the chart drawn by ECharts.
    expect(
      await page
        .$eval('#funnel-groups-chart', (el) => {
          const chart = (
            window as unknown as {
              echarts: {
                getInstanceByDom(e: Element): {
                  getOption(): { series: { name: string; data: number[] }[] };
                };
              };
            }
          ).echarts.getInstanceByDom(el);
          return chart.getOption().series.map((s) => [s.name, s.data]);
        })
        .then((series) => series.sort(([a], [b]) => String(a).localeCompare(String(b)))),
    ).toEqual([
      ['desktop', [2, 1, 1]],
      ['mobile', [3, 1, 1]],
    ]);
    // Show SQL: BigQuery's text with the values written in, ready to paste (an example dataset
    // on the embedded engine), reading people as the funnel's blended identity does.
    await page.click('#funnel-sql summary');
    const sql = (await page.$eval('#funnel-sql pre', (p) => p.textContent)) ?? '';
    expect(sql).toContain('`your-project.analytics_123456789.events_*`');
    expect(sql).toContain("CONCAT('u:', d.resolved_user_id)");
    expect(sql.replace(/--[^\n]*/g, '')).not.toMatch(/(?<![@\w])@[a-z]\w*/);
    await shots(page, '11-funnel-breakdown');
  });

  it('saves the funnel as a report that refers to the saved goal, errors on the save form', async () => {
    const { page, service } = h;
    await page.type('#save-report input[name="id"]', 'Bad Id');
    await page.type('#save-report input[name="title"]', 'Checkout');
    await Promise.all([page.waitForNavigation(), page.click('#save-report button[type="submit"]')]);
    expect(await fieldErrorOf(page, '#save-report', 'id')).toBe(
      'use lower-case letters, digits and dashes, starting with a letter or digit',
    );
    // The funnel and the typed title are still there.
    expect(
      await page.$eval('#save-report input[name="title"]', (i) => (i as HTMLInputElement).value),
    ).toBe('Checkout');
    expect(await counts('#funnel-table td[data-count]')).toEqual([5, 2, 2]);
    await shots(page, '12-funnel-save-error');
    await page.$eval('#save-report input[name="id"]', (i) => ((i as HTMLInputElement).value = ''));
    await page.type('#save-report input[name="id"]', 'checkout');
    await Promise.all([page.waitForNavigation(), page.click('#save-report button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/reports');
    const report = await call(`${service.url}/api/reports/checkout`, { headers: h.auth });
    expect(report.body.sections[0].funnel.steps).toEqual([
      { event: 'page_view' },
      { goal: 'Cart' },
      { event: 'purchase' },
    ]);
    expect(report.body.sections[0].funnel.breakdown).toBe('device_category');
    await shots(page, '13-reports');
  });
});
