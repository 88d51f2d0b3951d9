import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await signIn(h);
  await call(`${h.service.url}/api/goals/USD purchase`, {
    method: 'PUT',
    headers: h.auth,
    body: { event: 'purchase', where: [{ param: 'currency', op: 'eq', value: 'USD' }] },
  });
});
afterAll(async () => {
  await h?.stop();
});

const value = (selector: string) =>
  h.page.$eval(selector, (e) => (e as HTMLInputElement | HTMLTextAreaElement).value);

async function submit(selector: string) {
  await Promise.all([h.page.waitForNavigation(), h.page.click(selector)]);
}

describe('the report editor in a real browser', () => {
  it('keeps the whole draft when a JSON box has a typo, pointing at line and column', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/reports/new`);
    await page.type('#report-form input[name="id"]', 'weekly');
    await page.type('#report-form input[name="title"]', 'Weekly');
    await page.select('#report-form select[name="savedGoal"]', 'USD purchase');
    await submit('button.add-section-button[data-type="attribution_table"]');
    await submit('button.add-section-button[data-type="retention"]');
    expect(
      await page.$$eval('#sections .section', (s) => s.map((x) => (x as HTMLElement).dataset.type)),
    ).toEqual(['kpi_summary', 'attribution_table', 'retention']);
    await page.click('#report-form details:nth-of-type(2) summary');
    // A trailing comma on line 2.
    await page.type(
      '#report-form textarea[name="filters"]',
      '[\n {"field": "device.category", "op": "eq", "value": "mobile",}\n]',
    );
    await submit('#report-save');
    expect(await fieldErrorOf(page, '#report-form', 'filters')).toBe(
      'the JSON does not parse at line 2, column 61: a comma before } (remove it). What you typed is kept below.',
    );
    expect(await value('#report-form input[name="id"]')).toBe('weekly');
    expect(await value('#report-form input[name="title"]')).toBe('Weekly');
    expect(await value('#report-form select[name="savedGoal"]')).toBe('USD purchase');
    expect(await value('#report-form textarea[name="filters"]')).toBe(
      '[\n {"field": "device.category", "op": "eq", "value": "mobile",}\n]',
    );
    expect(await page.$$eval('#sections .section', (s) => s.length)).toBe(3);
    await shots(page, '20-report-editor-json-typo');
  });

  it("names a section's field as the page counts it, in plain words, on the field", async () => {
    const { page } = h;
    await page.$eval(
      '#report-form textarea[name="filters"]',
      (t) => ((t as HTMLTextAreaElement).value = ''),
    );
    await page.type('#section-1-lookback', 'forever');
    await page.$eval('#section-2-periods', (i) => ((i as HTMLInputElement).value = '40'));
    await submit('#report-save');
    expect(await page.$eval('#error-summary a', (a) => a.textContent)).toBe('Section 2 · lookback');
    const message = await fieldErrorOf(page, '#report-form', 'section.1.lookback');
    expect(message).not.toMatch(/sections\[|Too small|Invalid|expected string/);
    expect(message).not.toBe('');
    expect(await value('#section-1-lookback')).toBe('forever');
    await shots(page, '21-report-editor-section-error');
    await page.$eval('#section-1-lookback', (i) => ((i as HTMLInputElement).value = '30d'));
    await submit('#report-save');
    expect(await fieldErrorOf(page, '#report-form', 'section.2.periods')).toBe(
      'must be 12 or less',
    );
    expect(await page.$eval('#error-summary a', (a) => a.textContent)).toBe('Section 3 · periods');
  });

  it('shows a bad fixed date of the preview on its field in the editor, draft kept', async () => {
    const { page, service } = h;
    await page.$eval('#section-2-periods', (i) => ((i as HTMLInputElement).value = '6'));
    await page.select('#report-range', 'fixed');
    await page.$eval('#report-form input[name="start"]', (i) => {
      // What a browser without a date picker lets through.
      (i as HTMLInputElement).type = 'text';
      (i as HTMLInputElement).value = '2024-02-30';
    });
    await page.$eval(
      '#report-form input[name="end"]',
      (i) => ((i as HTMLInputElement).value = '2024-03-02'),
    );
    // The preview opens in a tab of its own; here in this one.
    await page.$eval('#report-preview-html', (b) => b.removeAttribute('formtarget'));
    await submit('#report-preview-html');
    expect(new URL(page.url()).pathname).toBe('/reports/preview');
    expect(await fieldErrorOf(page, '#report-form', 'start')).not.toBe('');
    expect(await page.$$eval('.error', (e) => e.length)).toBe(0);
    expect(await value('#report-form input[name="title"]')).toBe('Weekly');
    await shots(page, '22-report-preview-bad-date');
    await page.$eval(
      '#report-form input[name="start"]',
      (i) => ((i as HTMLInputElement).value = '2024-03-01'),
    );
    await submit('#report-save');
    expect(new URL(page.url()).pathname).toBe('/reports');
    const saved = await call(`${service.url}/api/reports/weekly`, { headers: h.auth });
    expect(saved.body).toMatchObject({
      goal: 'USD purchase',
      dateRange: { start: '2024-03-01', end: '2024-03-02' },
      sections: [
        { type: 'kpi_summary' },
        { type: 'attribution_table', lookback: '30d' },
        { type: 'retention', periods: 6 },
      ],
    });
  });
});
