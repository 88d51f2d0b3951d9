import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';
import { RANGE } from './pagesFixture.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page as it is: rule ids and where. */
async function seriousViolations(): Promise<string[]> {
  await h.page.addScriptTag({ path: AXE });
  return h.page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
    const results = await axe.run();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
interface AxeResults {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // The machine is shared: a first page of a cold service may take longer than the default.
  h.page.setDefaultTimeout(60_000);
  // axe-core is injected as a script, which the pages' own policy would refuse.
  await h.page.setBypassCSP(true);
  await signIn(h);
  // A saved goal the pickers offer: u1 (day 1) and u3 (day 2) paid in USD.
  await call(`${h.service.url}/api/goals/USD purchase`, {
    method: 'PUT',
    headers: h.auth,
    body: { event: 'purchase', where: [{ param: 'currency', op: 'eq', value: 'USD' }] },
  });
});
afterAll(async () => {
  await h?.stop();
});

const explore = (query: Record<string, string>) =>
  `${h.service.url}/explore?${new URLSearchParams({ run: '1', from: RANGE.from, to: RANGE.to, ...query })}`;

/** The paths table: [step, event, count] per row. */
const nodeRows = () =>
  h.page.$$eval('#paths-nodes tbody tr', (rows) =>
    rows.map((r) => [
      Number((r as HTMLElement).dataset.step),
      (r as HTMLElement).dataset.node,
      Number((r.children[2] as HTMLElement).dataset.count),
    ]),
  );

interface SankeyOption {
  series: {
    data: { name: string; value: number }[];
    links: { source: string; target: string; value: number }[];
  }[];
}

/** The Sankey as ECharts holds it: node values and links, chart names as `step label`. */
const sankey = () =>
  h.page.$eval('#explore-sankey', (el) => {
    const ec = (window as unknown as { echarts: { getInstanceByDom(e: Element): unknown } })
      .echarts;
    const option = (ec.getInstanceByDom(el) as { getOption(): SankeyOption }).getOption();
    const plain = (name: string) => name.replace('\u2009·\u2009', ' ');
    const s = option.series[0]!;
    return {
      nodes: Object.fromEntries(s.data.map((d) => [plain(d.name), d.value])),
      links: s.links.map((l) => `${plain(l.source)} -> ${plain(l.target)}: ${l.value}`).sort(),
    };
  });

/** Which analysis fieldsets are shown. */
const shownFieldsets = () =>
  h.page.$$eval('fieldset.analysis-fields', (sets) =>
    sets
      .filter((s) => (s as HTMLElement).offsetParent !== null)
      .map((s) => (s as HTMLElement).dataset.analysis),
  );

describe('the Explore page in a real browser', () => {
  it('draws paths as a Sankey with its numbers in a table below', async () => {
    const { page } = h;
    await page.goto(
      explore({
        analysis: 'paths',
        pathsStart: 'event:page_view',
        pathsScope: 'session',
        pathsSteps: '4',
      }),
    );
    expect(await shownFieldsets()).toEqual(['paths']);
    // Sessions from page_view (one session each): u1, u2 view, cart, buy; u3 views and buys;
    // u4 views and leaves; u5 leaves after the page view.
    expect(await nodeRows()).toEqual([
      [1, 'page_view', 5],
      [2, 'view_item', 4],
      [2, '(exit)', 1],
      [3, 'add_to_cart', 2],
      [3, 'purchase', 1],
      [3, '(exit)', 1],
      [4, 'purchase', 2],
      [4, '(exit)', 1],
    ]);
    expect(await sankey()).toEqual({
      nodes: {
        '1 page_view': 5,
        '2 view_item': 4,
        '2 (exit)': 1,
        '3 add_to_cart': 2,
        '3 purchase': 1,
        '3 (exit)': 1,
        '4 purchase': 2,
        '4 (exit)': 1,
      },
      links: [
        '1 page_view -> 2 (exit): 1',
        '1 page_view -> 2 view_item: 4',
        '2 view_item -> 3 (exit): 1',
        '2 view_item -> 3 add_to_cart: 2',
        '2 view_item -> 3 purchase: 1',
        '3 add_to_cart -> 4 purchase: 2',
        '3 purchase -> 4 (exit): 1',
      ],
    });
    expect(await page.$eval('#explore-summary', (p) => p.textContent)).toBe(
      '5 sessions starting at page_view from 2024-03-01 to 2024-03-02, followed for 4 steps.',
    );
    await page.click('#explore-sql summary');
    // BigQuery's rendering with the values written in, ready to paste into its console.
    const sql = await page.$eval('#explore-sql pre', (p) => p.textContent ?? '');
    expect(sql).toContain('`your-project.analytics_123456789.events_*`');
    expect(sql).toContain("DATE '2024-03-01'");
    expect(sql).toContain("'page_view'");
    expect(await seriousViolations()).toEqual([]);
    await shots(page, '40-explore-paths');
  });

  it('focuses a node clicked in the Sankey: the paths from that event on', async () => {
    const { page } = h;
    // The screenshots just moved the viewport back to 1366 px; the chart redraws on the resize
    // event, which a loaded machine may deliver after this line: measure the nodes once it has.
    await page.waitForFunction(() => {
      const el = document.querySelector('#explore-sankey')!;
      const chart = (
        window as unknown as { echarts: { getInstanceByDom(e: Element): { getWidth(): number } } }
      ).echarts.getInstanceByDom(el);
      return chart.getWidth() === el.clientWidth && el.clientWidth > 600;
    });
    const at = await page.$eval('#explore-sankey', (el) => {
      el.scrollIntoView({ block: 'center' });
      type Data = {
        indexOfName(n: string): number;
        getItemLayout(i: number): Record<string, number>;
      };
      const chart = (
        window as unknown as {
          echarts: {
            getInstanceByDom(e: Element): {
              getModel(): { getSeriesByIndex(i: number): { getData(): Data } };
            };
          };
        }
      ).echarts.getInstanceByDom(el);
      const series = chart.getModel().getSeriesByIndex(0) as unknown as {
        getData(): Data;
        layoutInfo: { x: number; y: number };
      };
      const data = series.getData();
      const box = data.getItemLayout(data.indexOfName('2\u2009·\u2009view_item'));
      const rect = el.getBoundingClientRect();
      const origin = series.layoutInfo;
      return {
        x: rect.left + origin.x + box.x! + box.dx! / 2,
        y: rect.top + origin.y + box.y! + box.dy! / 2,
      };
    });
    await Promise.all([page.waitForNavigation(), page.mouse.click(at.x, at.y)]);
    expect(new URL(page.url()).searchParams.get('pathsStart')).toBe('event:view_item');
    // From view_item: u1, u2 go to the cart and buy; u3 buys; u4 leaves.
    expect(await nodeRows()).toEqual([
      [1, 'view_item', 4],
      [2, 'add_to_cart', 2],
      [2, 'purchase', 1],
      [2, '(exit)', 1],
      [3, 'purchase', 2],
      [3, '(exit)', 1],
      [4, '(exit)', 2],
    ]);
    expect((await sankey()).nodes).toEqual({
      '1 view_item': 4,
      '2 add_to_cart': 2,
      '2 purchase': 1,
      '2 (exit)': 1,
      '3 purchase': 2,
      '3 (exit)': 1,
      '4 (exit)': 2,
    });
    expect(
      await page.$eval(
        '#explore-form select[name="pathsStart"]',
        (s) => (s as HTMLSelectElement).value,
      ),
    ).toBe('event:view_item');
  });

  it('opens the analysis in a new report draft', async () => {
    const { page } = h;
    await Promise.all([page.waitForNavigation(), page.click('#open-in-report button')]);
    expect(new URL(page.url()).pathname).toBe('/reports/edit');
    expect(await page.$eval('input[name="title"]', (i) => (i as HTMLInputElement).value)).toBe(
      'Journeys',
    );
    expect(await page.$eval('#sections .section', (li) => (li as HTMLElement).dataset.type)).toBe(
      'journey_sankey',
    );
    // The editor shows the paths as its own controls.
    const control = (name: string) =>
      page.$eval(`[name="section.0.paths.${name}"]`, (c) => (c as HTMLInputElement).value);
    expect({
      scope: await control('scope'),
      nodeType: await control('nodeType'),
      steps: await control('steps'),
      start: await control('start'),
    }).toEqual({ scope: 'session', nodeType: 'event', steps: '4', start: 'event:view_item' });
  });

  it('offers saved goals in every picker and shows the models side by side', async () => {
    const { page } = h;
    await page.goto(explore({ analysis: 'attribution', attrGoal: 'goal:USD purchase' }));
    for (const name of ['pathsStart', 'nextGoal', 'stagesGoal', 'attrGoal'])
      expect(
        await page.$$eval(
          `#explore-form select[name="${name}"] optgroup[label="Saved goals"] option`,
          (o) => o.map((x) => (x as HTMLOptionElement).value),
        ),
        name,
      ).toEqual(['goal:USD purchase']);
    expect(await shownFieldsets()).toEqual(['attribution']);
    // Two USD purchases (u1, u3), both in sessions without campaign data: Direct under every model.
    const rows = await page.$$eval('#attribution-table tbody tr', (trs) =>
      trs.map((tr) => [
        (tr as HTMLElement).dataset.touchpoint,
        [...tr.querySelectorAll('td[data-model]')].map((td) => td.textContent),
      ]),
    );
    expect(rows).toEqual([['Direct', ['2.0', '2.0', '2.0', '2.0', '2.0', '2.0', '2.0']]]);
    const series = await page.$eval('#explore-models', (el) => {
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
    });
    expect(series).toEqual(
      [
        'First touch',
        'Last touch',
        'Last non-direct',
        'Linear',
        'Position-based',
        'Time decay',
        'Markov',
      ].map((m) => [m, [2]]),
    );
    expect(await seriousViolations()).toEqual([]);
    await shots(page, '41-explore-attribution');
  });

  it('answers next step and stages with the report’s charts', async () => {
    const { page } = h;
    await page.goto(
      explore({ analysis: 'next-step', nextGoal: 'event:purchase', nextScope: 'session' }),
    );
    // Five sessions, three with a purchase (u1, u2, u3).
    expect(await page.$eval('#explore-summary', (p) => p.textContent)).toMatch(
      /^5 sessions, 3 converted to purchase from 2024-03-01 to 2024-03-02/,
    );
    // From add_to_cart every session bought (u1, u2); from view_item 3 of 4 (u1, u2, u3).
    const rows = await page.$$eval('#next-step-table tbody tr', (trs) =>
      trs.map((tr) => [
        tr.children[0]?.textContent,
        tr.children[2]?.textContent?.replace(/\s+/g, ' ').trim(),
      ]),
    );
    expect(rows.find(([n]) => n === 'add_to_cart')?.[1]).toMatch(/^100\.0% 2 of 2, 95% /);
    expect(rows.find(([n]) => n === 'view_item')?.[1]).toMatch(/^75\.0% 3 of 4, 95% /);
    expect(await page.$('#explore-next-chart svg')).not.toBeNull();
    expect(await seriousViolations()).toEqual([]);
    await shots(page, '42-explore-next-step');
    await page.goto(explore({ analysis: 'stages', stagesGoal: 'goal:USD purchase' }));
    expect(await page.$eval('#explore-summary', (p) => p.textContent)).toBe(
      '5 users from 2024-03-01 to 2024-03-02.',
    );
    expect(await page.$('#explore-stages svg')).not.toBeNull();
    expect(await seriousViolations()).toEqual([]);
    await shots(page, '43-explore-stages');
  });

  it('shows one fieldset per analysis without script', async () => {
    const { page } = h;
    await page.setJavaScriptEnabled(false);
    try {
      await page.goto(explore({ analysis: 'stages' }));
      expect(await shownFieldsets()).toEqual(['paths', 'next-step', 'stages', 'attribution']);
    } finally {
      await page.setJavaScriptEnabled(true);
    }
  });

  it('says so in words when the range holds no data', async () => {
    const { page } = h;
    await page.goto(explore({ analysis: 'paths', from: '2024-04-01', to: '2024-04-02' }));
    expect(await page.$eval('#explore-empty', (p) => p.textContent)).toBe(
      'No sessions from 2024-04-01 to 2024-04-02: there are no paths to draw.',
    );
    expect(await page.$('#explore-sankey')).toBeNull();
    await page.goto(explore({ analysis: 'attribution', from: '2024-04-01', to: '2024-04-02' }));
    expect(await page.$eval('#explore-empty', (p) => p.textContent)).toBe(
      'No conversions (purchase) from 2024-04-01 to 2024-04-02: there is nothing to credit.',
    );
    await shots(page, '44-explore-empty');
  });

  it('shows bad values on their fields, in words, keeping what was typed', async () => {
    const { page } = h;
    await page.goto(explore({ analysis: 'attribution' }));
    const lookback = '#explore-form input[name="attrLookback"]';
    await page.$eval(lookback, (i) => ((i as HTMLInputElement).value = ''));
    await page.type(lookback, 'a month');
    await Promise.all([
      page.waitForNavigation(),
      page.click('#explore-form button[type="submit"]'),
    ]);
    expect(await fieldErrorOf(page, '#explore-form', 'attrLookback')).toBe(
      '"a month" is not a lookback: write a number and a unit (m, h or d), like 30d, up to 90d.',
    );
    expect(await page.$eval(lookback, (i) => (i as HTMLInputElement).value)).toBe('a month');
    expect(await page.$$('.field-error')).toHaveLength(1);
    expect(await shownFieldsets()).toEqual(['attribution']);
    expect(await seriousViolations()).toEqual([]);
    await shots(page, '45-explore-bad-lookback');

    await page.goto(explore({ analysis: 'attribution', attrGoal: 'goal:Nope' }));
    expect(await fieldErrorOf(page, '#explore-form', 'attrGoal')).toBe(
      'There is no saved goal named "Nope"; saved goals: USD purchase.',
    );
    expect(
      await page.$eval('#explore-form select[name="attrGoal"]', (s) => {
        const select = s as HTMLSelectElement;
        return select.selectedOptions[0]?.textContent;
      }),
    ).toBe('Nope (not found)');

    await page.goto(explore({ analysis: 'paths', from: '2024-13-45' }));
    expect(await fieldErrorOf(page, '#explore-form', 'from')).toBe(
      '2024-13-45 is not a date; use YYYY-MM-DD',
    );
    await page.goto(explore({ analysis: 'paths', from: '2024-03-02', to: '2024-03-01' }));
    expect(await fieldErrorOf(page, '#explore-form', 'to')).toBe(
      'must be on or after the start date (2024-03-02)',
    );
    await page.goto(explore({ analysis: 'paths', pathsSteps: 'four' }));
    expect(await fieldErrorOf(page, '#explore-form', 'pathsSteps')).toBe(
      'Steps must be a whole number from 2 to 10.',
    );
    expect(
      await page.$eval(
        '#explore-form input[name="pathsSteps"]',
        (i) => (i as HTMLInputElement).value,
      ),
    ).toBe('four');
    await shots(page, '46-explore-bad-steps');
  });

  it('opens links written before each analysis had its own fields', async () => {
    const res = await fetch(explore({ analysis: 'paths', anchor: 'page_view', scope: 'user' }), {
      headers: h.auth,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(
      '5 users starting at page_view from 2024-03-01 to 2024-03-02, followed for 4 steps.',
    );
  });

  it('answers malformed values with a 400 on a field, never a 500', async () => {
    const bad: Record<string, string>[] = [
      { analysis: 'funnels' },
      { analysis: 'paths', pathsStart: 'event:no such event!' },
      { analysis: 'paths', pathsScope: 'week' },
      { analysis: 'paths', pathsSteps: '99' },
      { analysis: 'next-step', nextGoal: '' },
      { analysis: 'next-step', nextGoal: 'goal:' },
      { analysis: 'stages', stagesGoal: 'event:' },
      { analysis: 'attribution', attrTouchpoint: 'weather' },
      { analysis: 'attribution', attrLookback: '91d' },
      { analysis: 'attribution', to: 'yesterday' },
    ];
    for (const query of bad) {
      const res = await fetch(explore(query), { headers: h.auth });
      const html = await res.text();
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(html, JSON.stringify(query)).toMatch(/class="field-error"/);
    }
  });
});
