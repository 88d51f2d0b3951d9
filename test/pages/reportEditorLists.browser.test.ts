import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { call } from '../http/support/testApp.js';
import { RANGE } from './pagesFixture.js';
import {
  axeCheck,
  fieldErrorOf,
  shots,
  signIn,
  startHarness,
  type Harness,
} from './pagesHarness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Chromium's first pages on a busy machine can take longer than the harness's default.
  h.page.setDefaultTimeout(60_000);
  await signIn(h);
  // A report drawn for the fixture's days, so the pickers list their events.
  await call(`${h.service.url}/api/reports/lists`, {
    method: 'PUT',
    headers: h.auth,
    body: {
      title: 'Lists',
      goal: { event: 'purchase' },
      dateRange: { start: RANGE.from, end: RANGE.to },
      comparison: 'none',
      sections: [{ type: 'kpi_summary' }],
    },
  });
});
afterAll(async () => {
  await h?.stop();
});

const F = 'section.1.funnel';
const value = (name: string) =>
  h.page.$eval(`#report-form [name="${name}"]`, (e) => (e as HTMLInputElement).value);
const stored = async (id: string) =>
  (await call(`${h.service.url}/api/reports/${id}`, { headers: h.auth })).body as {
    sections: Record<string, unknown>[];
  };
async function submit(selector: string) {
  await Promise.all([h.page.waitForNavigation(), h.page.click(selector)]);
}
/** Opens a step's name and conditions and fills them in. */
async function stepDetails(k: number, name: string, device: string) {
  const { page } = h;
  await page.$eval(`[name="${F}.steps.${k}.name"]`, (input) => {
    (input.closest('details') as HTMLDetailsElement).open = true;
  });
  await page.type(`[name="${F}.steps.${k}.name"]`, name);
  await page.select(`[name="${F}.steps.${k}.where.0.subject"]`, 'field:device.category');
  await page.type(`[name="${F}.steps.${k}.where.0.value"]`, device);
}
const device = (v: string) => [{ field: 'device.category', op: 'eq', value: v }];

describe('the report editor without JSON', () => {
  it('builds a funnel whose steps keep their own conditions when a middle one goes, with an exclusion and a segment, the section added without a round trip', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/reports/lists/edit`);
    await page.evaluate(() => ((window as unknown as { drawn: boolean }).drawn = true));
    await page.click('button.add-section-button[data-type="funnel"]');
    // Still the page that was drawn: no navigation happened.
    expect(await page.evaluate(() => (window as unknown as { drawn?: boolean }).drawn)).toBe(true);
    expect(
      await page.$$eval('#sections .section', (s) => s.map((x) => (x as HTMLElement).dataset.type)),
    ).toEqual(['kpi_summary', 'funnel']);
    expect(
      await page.$eval('#sections .section:nth-child(2) .section-label', (l) => l.textContent),
    ).toBe('2. Funnel');
    // The new funnel runs from page_view to the report's goal; two empty rows follow.
    expect(await value(`${F}.steps.0.ref`)).toBe('event:page_view');
    expect(await value(`${F}.steps.1.ref`)).toBe('event:purchase');
    await page.select(`[name="${F}.steps.1.ref"]`, 'event:add_to_cart');
    await page.select(`[name="${F}.steps.2.ref"]`, 'event:purchase');
    await stepDetails(0, 'Landed', 'mobile');
    await stepDetails(1, 'Carted', 'desktop');
    await stepDetails(2, 'Bought', 'tablet');
    // A used condition row brings an empty one after it.
    expect(await value(`${F}.steps.0.where.1.subject`)).toBe('');
    await page.select(`[name="${F}.exclusions.0.event"]`, 'view_item');
    await page.select(`[name="${F}.exclusions.0.between.0"]`, '1');
    await page.select(`[name="${F}.exclusions.0.between.1"]`, '2');
    await page.select(`[name="${F}.exclusions.0.where.0.subject"]`, 'param:currency');
    await page.type(`[name="${F}.exclusions.0.where.0.value"]`, 'EUR');
    await page.type(`[name="${F}.segments.0.name"]`, 'Mobile');
    await page.select(`[name="${F}.segments.0.scope"]`, 'session');
    await page.select(`[name="${F}.segments.0.where.0.subject"]`, 'field:device.category');
    await page.type(`[name="${F}.segments.0.where.0.value"]`, 'mobile');
    await shots(page, '23a-report-editor-funnel-lists');
    // The middle step goes, its name and conditions with it; the others keep theirs.
    await page.click(`#sections .section:nth-child(2) .editor-step:nth-child(2) .row-remove`);
    expect(
      await page.$$eval(`#sections .section:nth-child(2) .editor-step select[name$=".ref"]`, (s) =>
        s.map((x) => (x as HTMLSelectElement).value),
      ),
    ).toEqual(['event:page_view', 'event:purchase', '']);
    expect(await value(`${F}.steps.2.where.0.value`)).toBe('tablet');
    // The exclusion's step pickers offer the rows there are now (two steps and the empty row).
    const exclusionSteps = (end: 0 | 1) =>
      page.$$eval(`[name="${F}.exclusions.0.between.${end}"] option`, (options) =>
        options.map(
          (o) => `${(o as HTMLOptionElement).value}${(o as HTMLOptionElement).selected ? '*' : ''}`,
        ),
      );
    expect(await exclusionSteps(0)).toEqual(['1*', '2', '3']);
    expect(await exclusionSteps(1)).toEqual(['1', '2*', '3']);
    // Another step: a row numbered after every other, added in the page.
    await page.click('#sections .section:nth-child(2) .steps-field > .row-add');
    expect(
      await page.$$eval(`#sections .section:nth-child(2) .editor-step select[name$=".ref"]`, (s) =>
        s.map((x) => (x as HTMLSelectElement).name),
      ),
    ).toEqual([`${F}.steps.0.ref`, `${F}.steps.2.ref`, `${F}.steps.3.ref`, `${F}.steps.4.ref`]);
    expect(await page.evaluate(() => (window as unknown as { drawn?: boolean }).drawn)).toBe(true);
    // What people read follows the rows: numbered 1 to 4 again, whatever the fields' own numbers,
    // and the row added in the page can be removed in the page.
    const stepLabels = () =>
      page.$$eval(
        '#sections .section:nth-child(2) .editor-step > .row-line > label:first-child',
        (labels) => labels.map((l) => (l.firstChild?.textContent ?? '').trim()),
      );
    expect(await stepLabels()).toEqual(['Step 1', 'Step 2', 'Step 3', 'Step 4']);
    expect(await exclusionSteps(1)).toEqual(['1', '2*', '3', '4']);
    expect(
      await page.$eval(
        '#sections .section:nth-child(2) .editor-step:nth-child(4) .row-line > .row-remove',
        (b) => b.getAttribute('aria-label'),
      ),
    ).toBe('Remove step 4');
    await page.click(
      '#sections .section:nth-child(2) .editor-step:nth-child(4) .row-line > .row-remove',
    );
    expect(await stepLabels()).toEqual(['Step 1', 'Step 2', 'Step 3']);
    expect(await exclusionSteps(1)).toEqual(['1', '2*', '3']);
    await submit('#report-save');
    expect(new URL(page.url()).pathname).toBe('/reports');
    const saved = await stored('lists');
    expect(saved.sections[1]).toEqual({
      type: 'funnel',
      funnel: {
        identity: 'blended',
        scope: 'user',
        type: 'closed',
        breakdownLimit: 5,
        steps: [
          { name: 'Landed', event: 'page_view', where: device('mobile') },
          { name: 'Bought', event: 'purchase', where: device('tablet') },
        ],
        exclusions: [
          {
            event: 'view_item',
            where: [{ param: 'currency', op: 'eq', value: 'EUR' }],
            between: [1, 2],
          },
        ],
        segments: [{ name: 'Mobile', scope: 'session', where: device('mobile') }],
      },
    });
    // Reopened, every option is in its control and the JSON box is empty.
    await page.goto(`${service.url}/reports/lists/edit`);
    expect(await value(`${F}.steps.1.name`)).toBe('Bought');
    expect(await value(`${F}.steps.1.where.0.value`)).toBe('tablet');
    expect(await value(`${F}.exclusions.0.event`)).toBe('view_item');
    expect(await value(`${F}.segments.0.name`)).toBe('Mobile');
    expect(await value('section.1.more')).toBe('');
    await shots(page, '23b-report-editor-funnel-reopened');
    await axeCheck(page, 'report editor with lists');
  });

  it("shows a number comparison given text on that row's value, everything typed kept", async () => {
    const { page } = h;
    await page.$eval(
      '#report-form input[name="title"]',
      (i) => ((i as HTMLInputElement).value = ''),
    );
    await page.type('#report-form input[name="title"]', 'Lists again');
    await page.select(`[name="${F}.steps.1.where.1.subject"]`, 'param:value');
    await page.select(`[name="${F}.steps.1.where.1.op"]`, 'gt');
    await page.type(`[name="${F}.steps.1.where.1.value"]`, 'lots');
    await page.type(`[name="${F}.segments.1.name"]`, 'Desktop');
    await page.select(`[name="${F}.segments.1.event"]`, 'add_to_cart');
    await submit('#report-save');
    expect(new URL(page.url()).pathname).toBe('/reports/edit');
    expect(await fieldErrorOf(page, '#report-form', `${F}.steps.1.where.1.value`)).toBe(
      'must be a number',
    );
    expect(await page.$eval('#error-summary a', (a) => a.textContent)).toBe(
      'Section 2 · funnel · Step 2 · condition 2 · value',
    );
    expect(await page.$eval('#error-summary a', (a) => a.getAttribute('href'))).toBe(
      `#error-section-1-funnel-steps-1-where-1-value`,
    );
    expect(await value(`${F}.steps.1.where.1.value`)).toBe('lots');
    expect(await value(`${F}.steps.1.where.1.op`)).toBe('gt');
    expect(await value(`${F}.steps.1.where.1.subject`)).toBe('param:value');
    expect(await value('title')).toBe('Lists again');
    expect(await value(`${F}.steps.0.where.0.value`)).toBe('mobile');
    expect(await value(`${F}.steps.1.where.0.value`)).toBe('tablet');
    expect(await value(`${F}.segments.1.name`)).toBe('Desktop');
    expect(await value(`${F}.segments.1.event`)).toBe('add_to_cart');
    // The row at fault is open, not folded away.
    expect(
      await page.$eval(
        `[name="${F}.steps.1.where.1.value"]`,
        (i) => (i.closest('details') as HTMLDetailsElement).open,
      ),
    ).toBe(true);
    await shots(page, '24-report-editor-condition-error');
    await axeCheck(page, 'report editor with a condition error');
    expect((await stored('lists')).sections[1]).toMatchObject({
      funnel: { segments: [{ name: 'Mobile' }] },
    });
  });

  it('removes a step and a condition without script, by round trips', async () => {
    const { page, service } = h;
    await page.setJavaScriptEnabled(false);
    try {
      await page.goto(`${service.url}/reports/lists/edit`);
      await submit(`#sections .section:nth-child(2) .editor-step:nth-child(1) .row-remove`);
      expect(await value(`${F}.steps.0.ref`)).toBe('event:purchase');
      expect(await value(`${F}.steps.0.name`)).toBe('Bought');
      expect(await value(`${F}.steps.0.where.0.value`)).toBe('tablet');
      await submit(
        `#sections .section:nth-child(2) .editor-step:nth-child(1) .condition-row .row-remove`,
      );
      expect(await value(`${F}.steps.0.name`)).toBe('Bought');
      expect(await value(`${F}.steps.0.where.0.value`)).toBe('');
      expect(await value(`${F}.segments.0.where.0.value`)).toBe('mobile');
    } finally {
      await page.setJavaScriptEnabled(true);
    }
  });

  it.each([true, false])(
    "moves an exclusion's steps up with the steps when an earlier step is removed (script: %s)",
    async (script) => {
      const { page, service } = h;
      await call(`${service.url}/api/reports/shift`, {
        method: 'PUT',
        headers: h.auth,
        body: {
          title: 'Shift',
          goal: { event: 'purchase' },
          dateRange: { start: RANGE.from, end: RANGE.to },
          comparison: 'none',
          sections: [
            {
              type: 'funnel',
              funnel: {
                steps: [{ event: 'page_view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
                exclusions: [{ event: 'view_item', between: [2, 3] }],
              },
            },
          ],
        },
      });
      await page.setJavaScriptEnabled(script);
      try {
        await page.goto(`${service.url}/reports/shift/edit`);
        const E = 'section.0.funnel.exclusions.0.between';
        expect([await value(`${E}.0`), await value(`${E}.1`)]).toEqual(['2', '3']);
        const remove = '#sections .section:nth-child(1) .editor-step:nth-child(1) .row-remove';
        if (script) await page.click(remove);
        else await submit(remove);
        // Add to cart and purchase are steps 1 and 2 now: the exclusion still lies between them.
        expect([await value(`${E}.0`), await value(`${E}.1`)]).toEqual(['1', '2']);
        await submit('#report-save');
        expect(new URL(page.url()).pathname).toBe('/reports');
      } finally {
        await page.setJavaScriptEnabled(true);
      }
      const saved = (await stored('shift')).sections[0] as { funnel: Record<string, unknown> };
      expect([saved.funnel.steps, saved.funnel.exclusions]).toEqual([
        [{ event: 'add_to_cart' }, { event: 'purchase' }],
        [{ event: 'view_item', between: [1, 2] }],
      ]);
    },
  );

  it.each(['weekly-ecommerce', 'lead-generation'])(
    'opens the %s example with every option in a control, and saves it unchanged',
    async (name) => {
      const { page, service } = h;
      await call(`${service.url}/api/reports/${name}`, {
        method: 'PUT',
        headers: h.auth,
        body: parse(readFileSync(`examples/reports/${name}.yaml`, 'utf8')) as object,
      });
      const before = await stored(name);
      await page.goto(`${service.url}/reports/${name}/edit`);
      const boxes = await page.$$eval('#sections .section-more textarea', (t) =>
        t.map((x) => (x as HTMLTextAreaElement).value),
      );
      expect(boxes).toEqual(before.sections.map(() => ''));
      if (name === 'weekly-ecommerce') await shots(page, '25-report-editor-example');
      await submit('#report-save');
      expect(new URL(page.url()).pathname).toBe('/reports');
      expect(await stored(name)).toEqual(before);
    },
  );
});
