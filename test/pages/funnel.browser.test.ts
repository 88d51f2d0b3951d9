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

  // The fixture's funnel page_view -> add_to_cart -> purchase, users, closed, per day of entry:
  // 2024-03-01: u1, u2 enter and both add to cart and buy -> 2, 2, 2 (100.0%);
  // 2024-03-02: u3, u4, u5 enter, none adds to cart (u3 buys without) -> 3, 0, 0 (0.0%).
  const TREND = { '2024-03-01': [2, 2, 2], '2024-03-02': [3, 0, 0] };
  // Segments on device.category: desktop u1, u3 -> 2, 1, 1; mobile u2, u4, u5 -> 3, 1, 1.
  const SEGMENTS = { Desktop: [2, 1, 1], Mobile: [3, 1, 1] };
  const GET_QUERY = new URLSearchParams([
    ['from', RANGE.from],
    ['to', RANGE.to],
    ['step', 'event:page_view'],
    ['step', 'event:add_to_cart'],
    ['step', 'event:purchase'],
    ['trend', 'on'],
    ['interval', 'day'],
    ['segments.0.name', 'Desktop'],
    ['segments.0.scope', 'user'],
    ['segments.0.where.0.subject', 'field:device.category'],
    ['segments.0.where.0.op', 'eq'],
    ['segments.0.where.0.value', 'desktop'],
    ['segments.1.name', 'Mobile'],
    ['segments.1.scope', 'user'],
    ['segments.1.where.0.subject', 'field:device.category'],
    ['segments.1.where.0.op', 'eq'],
    ['segments.1.where.0.value', 'mobile'],
  ]);

  const trendRows = () =>
    h.page.$$eval('#funnel-trend tbody tr', (rows) =>
      Object.fromEntries(
        rows.map((r) => [
          (r as HTMLElement).dataset.period,
          [...r.querySelectorAll('td[data-count]')].map((c) =>
            Number((c as HTMLElement).dataset.count),
          ),
        ]),
      ),
    );
  const trendRates = () =>
    h.page.$$eval('#funnel-trend tbody tr', (rows) =>
      rows.map((r) => r.lastElementChild?.textContent),
    );
  const segmentCounts = () =>
    h.page.$$eval('#funnel-segments tbody tr', (rows) => {
      const out: Record<string, number[]> = {};
      for (const r of rows) {
        const name = (r as HTMLElement).dataset.group ?? '';
        (out[name] ??= []).push(Number((r.children[2] as HTMLElement).dataset.count));
      }
      return out;
    });
  const seriesOf = (selector: string) =>
    h.page.$eval(selector, (el) => {
      const chart = (
        window as unknown as {
          echarts: {
            getInstanceByDom(e: Element): {
              getOption(): { series: { name: string; type: string; data: number[] }[] };
            };
          };
        }
      ).echarts.getInstanceByDom(el);
      return chart.getOption().series.map((s) => [s.name, s.type, s.data]);
    });

  it('draws conversion over time and two segments in the live preview', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/funnel?from=${RANGE.from}&to=${RANGE.to}`);
    await pickSteps(['event:page_view', 'event:add_to_cart', 'event:purchase']);
    await page.click('#funnel-form input[name="trend"]');
    await page.select('#funnel-form select[name="interval"]', 'day');
    await page.type('#funnel-form input[name="segments.0.name"]', 'Desktop');
    await page.select(
      '#funnel-form select[name="segments.0.where.0.subject"]',
      'field:device.category',
    );
    await page.type('#funnel-form input[name="segments.0.where.0.value"]', 'desktop');
    // Another segment: a row added in place, its fields numbered after the first's.
    await page.click('#segments-field .row-add');
    await page.type('#funnel-form input[name="segments.1.name"]', 'Mobile');
    await page.select(
      '#funnel-form select[name="segments.1.where.0.subject"]',
      'field:device.category',
    );
    await page.type('#funnel-form input[name="segments.1.where.0.value"]', 'mobile');
    await page.click('#funnel-form button[type="submit"]');
    await page.waitForSelector('#funnel-segments td[data-count]');
    await page.waitForSelector('#funnel-trend td[data-count]');
    await settled();
    expect(await counts('#funnel-table td[data-count]')).toEqual([5, 2, 2]);
    expect(await trendRows()).toEqual(TREND);
    expect(await trendRates()).toEqual(['100.0%', '0.0%']);
    // The report's trended funnel line: conversion to the last step per day, in %.
    expect(await seriesOf('#funnel-trend-chart')).toEqual([['Conversion, %', 'line', [100, 0]]]);
    expect(await segmentCounts()).toEqual(SEGMENTS);
    expect(await seriesOf('#funnel-segments-chart')).toEqual([
      ['Desktop', 'bar', [2, 1, 1]],
      ['Mobile', 'bar', [3, 1, 1]],
    ]);
    await shots(page, '14-funnel-trend-segments');
  });

  it('draws both without script, saves them into a report and reopens them in the builder', async () => {
    const { page, service } = h;
    await page.setJavaScriptEnabled(false);
    try {
      await page.goto(`${service.url}/funnel?${GET_QUERY.toString()}`);
      expect(await counts('#funnel-table td[data-count]')).toEqual([5, 2, 2]);
      expect(await trendRows()).toEqual(TREND);
      expect(await trendRates()).toEqual(['100.0%', '0.0%']);
      expect(await segmentCounts()).toEqual(SEGMENTS);
      // The form keeps both segments and offers a third row.
      expect(
        await page.$$eval('#segments-field input[name$=".name"]', (inputs) =>
          inputs.map((i) => (i as HTMLInputElement).value),
        ),
      ).toEqual(['Desktop', 'Mobile', '']);
      await page.type('#save-report input[name="id"]', 'by-device');
      await page.type('#save-report input[name="title"]', 'By device');
      await Promise.all([
        page.waitForNavigation(),
        page.click('#save-report button[type="submit"]'),
      ]);
      expect(new URL(page.url()).pathname).toBe('/reports');
    } finally {
      await page.setJavaScriptEnabled(true);
    }
    const report = await call(`${service.url}/api/reports/by-device`, { headers: h.auth });
    const funnel = report.body.sections[0].funnel;
    expect(funnel.trend).toEqual({ interval: 'day' });
    expect(funnel.segments).toEqual([
      {
        name: 'Desktop',
        scope: 'user',
        where: [{ field: 'device.category', op: 'eq', value: 'desktop' }],
      },
      {
        name: 'Mobile',
        scope: 'user',
        where: [{ field: 'device.category', op: 'eq', value: 'mobile' }],
      },
    ]);
    // Reopened in the builder from the reports list: trend and segments as saved.
    const link = await page.$eval('tr[data-report="by-device"] a[href^="/funnel?"]', (a) =>
      a.getAttribute('href'),
    );
    const reopened = new URLSearchParams((link ?? '').split('?')[1]);
    for (const key of ['trend', 'interval', 'step']) {
      expect(reopened.getAll(key)).toEqual(GET_QUERY.getAll(key));
    }
    for (const [key, value] of GET_QUERY) {
      if (key.startsWith('segments.')) expect([key, reopened.get(key)]).toEqual([key, value]);
    }
  });

  it('says on the field when a segment condition value is not a number, keeping what was typed', async () => {
    const { page, service } = h;
    const bad = new URLSearchParams(GET_QUERY);
    bad.set('segments.0.name', '');
    await page.setJavaScriptEnabled(false);
    try {
      // Without script: a segment with conditions and no name is refused on its name.
      await page.goto(`${service.url}/funnel?${bad.toString()}`);
      expect(await fieldErrorOf(page, '#funnel-form', 'segments.0.name')).toBe('is required');
      expect(await page.$('#funnel-table')).toBeNull();
      // A segment with a name alone says on its event what it lacks.
      const bare = new URLSearchParams(GET_QUERY);
      for (const key of ['subject', 'op', 'value']) bare.delete(`segments.1.where.0.${key}`);
      await page.goto(`${service.url}/funnel?${bare.toString()}`);
      expect(await fieldErrorOf(page, '#funnel-form', 'segments.1.event')).toBe(
        'pick an event or give a condition: a segment needs one to say who is in it',
      );
      expect(
        await page.$eval(
          '#funnel-form input[name="segments.1.name"]',
          (i) => (i as HTMLInputElement).value,
        ),
      ).toBe('Mobile');
      bad.set('segments.0.name', 'Desktop');
      bad.set('segments.1.where.0.op', 'gt');
      bad.set('segments.1.where.0.value', 'lots');
      await page.goto(`${service.url}/funnel?${bad.toString()}`);
      expect(await fieldErrorOf(page, '#funnel-form', 'segments.1.where.0.value')).toBe(
        'must be a number',
      );
      expect(
        await page.$eval(
          '#funnel-form input[name="segments.1.where.0.value"]',
          (i) => (i as HTMLInputElement).value,
        ),
      ).toBe('lots');
      expect(
        await page.$eval(
          '#funnel-form select[name="segments.1.where.0.op"]',
          (i) => (i as HTMLSelectElement).value,
        ),
      ).toBe('gt');
      expect(await page.$('#funnel-table')).toBeNull();
    } finally {
      await page.setJavaScriptEnabled(true);
    }
    // With script: the live preview says the same on the same field.
    await page.goto(`${service.url}/funnel?${GET_QUERY.toString()}`);
    await page.waitForSelector('#funnel-segments td[data-count]');
    await page.select('#funnel-form select[name="segments.1.where.0.op"]', 'gt');
    await page.$eval(
      '#funnel-form input[name="segments.1.where.0.value"]',
      (i) => ((i as HTMLInputElement).value = ''),
    );
    await page.type('#funnel-form input[name="segments.1.where.0.value"]', 'lots');
    await page.click('#funnel-form button[type="submit"]');
    await page.waitForSelector('#error-segments-1-where-0-value');
    await settled();
    expect(await fieldErrorOf(page, '#funnel-form', 'segments.1.where.0.value')).toBe(
      'must be a number',
    );
    await shots(page, '15-funnel-segment-error');
  });
});
