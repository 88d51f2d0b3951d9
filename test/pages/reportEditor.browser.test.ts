import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Chromium's first pages on a busy machine can take longer than the harness's default.
  h.page.setDefaultTimeout(60_000);
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

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical accessibility violations axe-core finds on the page as it is. */
async function seriousViolations(): Promise<string[]> {
  await h.page.evaluate(AXE);
  const found = await h.page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function submit(selector: string) {
  await Promise.all([h.page.waitForNavigation(), h.page.click(selector)]);
}

describe('the report editor in a real browser', () => {
  it('builds a report from controls alone, then keeps the whole draft when a JSON box has a typo', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/reports/new`);
    await shots(page, '20a-report-editor-empty');
    expect(await seriousViolations()).toEqual([]);
    await page.type('#report-form input[name="id"]', 'weekly');
    await page.type('#report-form input[name="title"]', 'Weekly');
    await page.select('#report-form select[name="savedGoal"]', 'USD purchase');
    await page.select('#report-range', 'fixed');
    await page.$eval(
      '#report-form input[name="start"]',
      (i) => ((i as HTMLInputElement).value = '2024-03-01'),
    );
    await page.$eval(
      '#report-form input[name="end"]',
      (i) => ((i as HTMLInputElement).value = '2024-03-02'),
    );
    await page.select('#report-form select[name="filters.0.subject"]', 'field:device.category');
    await page.type('#report-form input[name="filters.0.value"]', 'mobile');
    // The range changed since the page was drawn: the server adds the section, its pickers
    // listing the new range's events; with the page drawn for that range, the script adds the
    // next ones from their templates.
    await submit('button.add-section-button[data-type="attribution_table"]');
    await page.click('button.add-section-button[data-type="retention"]');
    await page.click('button.add-section-button[data-type="funnel"]');
    expect(
      await page.$$eval('#sections .section', (s) => s.map((x) => (x as HTMLElement).dataset.type)),
    ).toEqual(['kpi_summary', 'attribution_table', 'retention', 'funnel']);
    // The funnel's steps are picked from the range's events and the saved goals.
    expect(await value('select[name="section.3.funnel.steps.1.ref"]')).toBe('goal:USD purchase');
    await page.select('select[name="section.3.funnel.steps.2.ref"]', 'event:add_to_cart');
    await page.select('select[name="section.3.funnel.breakdown"]', 'device_category');
    await shots(page, '20b-report-editor-filled');
    // A trailing comma on line 2 of the funnel's JSON box.
    await page.click('#sections .section:nth-child(4) .section-more summary');
    await page.type('[name="section.3.more"]', '{"funnel":\n {"exclusions": [],}\n}');
    await submit('#report-save');
    expect(await fieldErrorOf(page, '#report-form', 'section.3.more')).toBe(
      'the JSON does not parse at line 2, column 20: a comma before } (remove it). What you typed is kept below.',
    );
    expect(await value('#report-form input[name="id"]')).toBe('weekly');
    expect(await value('#report-form input[name="title"]')).toBe('Weekly');
    expect(await value('#report-form select[name="savedGoal"]')).toBe('USD purchase');
    expect(await value('#report-form input[name="filters.0.value"]')).toBe('mobile');
    expect(await value('select[name="section.3.funnel.steps.2.ref"]')).toBe('event:add_to_cart');
    expect(await value('select[name="section.3.funnel.breakdown"]')).toBe('device_category');
    expect(await value('#section-3-more')).toBe('{"funnel":\n {"exclusions": [],}\n}');
    expect(await page.$$eval('#sections .section', (s) => s.length)).toBe(4);
    await shots(page, '20-report-editor-json-typo');
    expect(await seriousViolations()).toEqual([]);
    await page.$eval('#section-3-more', (t) => ((t as HTMLTextAreaElement).value = ''));
    await page.click('.section:nth-child(4) .section-remove');
  });

  it("names a section's field as the page counts it, in plain words, on the field", async () => {
    const { page } = h;
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
      filters: [{ field: 'device.category', op: 'eq', value: 'mobile' }],
      dateRange: { start: '2024-03-01', end: '2024-03-02' },
      sections: [
        { type: 'kpi_summary' },
        { type: 'attribution_table', lookback: '30d' },
        { type: 'retention', periods: 6 },
      ],
    });
  });
});
