import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';

// One person on two devices and a stranger, on 2024-03-01 (minutes after midnight):
//   d1 (mobile):  page_view at 1, add_to_cart at 2, then page_view at 3 signed in as alice
//   d2 (desktop): purchase at 10 signed in as alice
//   d3 (mobile):  page_view at 5, never signed in
// Funnel page_view -> purchase, users, closed:
//   blended:  alice is d1 + d2 (page_view at 1, purchase at 10), d3 alone -> [2, 1]
//   device:   d1 never buys, d2 never views, d3 never buys          -> [2, 0]
//   user_id:  only events that resolve to a user: alice's (d1's resolve through its sign-in) -> [1, 1]
const DAY = '2024-03-01';
const T0 = Date.UTC(2024, 2, 1) * 1000;
const ev = (device: string, category: string, minute: number, name: string, userId?: string) =>
  ({
    event_date: '20240301',
    event_timestamp: T0 + minute * 60_000_000,
    event_name: name,
    user_pseudo_id: device,
    ...(userId ? { user_id: userId } : {}),
    event_params: params({ ga_session_id: 1 }),
    device: { category },
  }) as EventRow;
const ROWS = [
  ev('d1', 'mobile', 1, 'page_view'),
  ev('d1', 'mobile', 2, 'add_to_cart'),
  ev('d1', 'mobile', 3, 'page_view', 'alice'),
  ev('d2', 'desktop', 10, 'purchase', 'alice'),
  ev('d3', 'mobile', 5, 'page_view'),
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    PATHLIGHT_DUCKDB_FILE: await createEventsDb({ '20240301': ROWS }),
  });
  await signIn(h);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const counts = () =>
  h.page.$$eval('#funnel-table td[data-count]', (cells) =>
    cells.map((c) => Number((c as HTMLElement).dataset.count)),
  );
const chosen = (form: string) =>
  h.page.$eval(`${form} select[name="identity"]`, (s) => (s as HTMLSelectElement).value);
const funnel = (identity: string) =>
  `${h.service.url}/funnel?from=${DAY}&to=${DAY}&step=event:page_view&step=event:purchase&identity=${identity}`;

describe('whose journey, picked on the pages', () => {
  it('counts the funnel as each identity joins people, with script and without', async () => {
    const { page } = h;
    // Without script: the form's own query.
    for (const [identity, expected] of [
      ['blended', [2, 1]],
      ['device', [2, 0]],
      ['user_id', [1, 1]],
    ] as const) {
      await page.goto(funnel(identity));
      expect(await counts(), identity).toEqual(expected);
      expect(await chosen('#funnel-form')).toBe(identity);
    }
    // With script: the live preview reads the picker too.
    await page.select('#funnel-form select[name="identity"]', 'device');
    await page.click('#funnel-form button[type="submit"]');
    await page.waitForFunction(
      () =>
        !document.getElementById('funnel-result')?.hasAttribute('aria-busy') &&
        document.querySelectorAll('#funnel-table td[data-count]')[1]?.getAttribute('data-count') ===
          '0',
    );
    expect(await counts()).toEqual([2, 0]);
    expect(
      await page.$eval('#funnel-form select[name="identity"] option:checked', (o) => o.textContent),
    ).toBe('each device alone');
    await shots(page, '75-funnel-identity');
  });

  it('names an identity it does not know on the picker', async () => {
    const { page } = h;
    await page.goto(funnel('household'));
    expect(await fieldErrorOf(page, '#funnel-form', 'identity')).toBe(
      'choose one of blended, user_id, device',
    );
  });

  it('follows paths per person on Explore and keeps the choice in its links', async () => {
    const { page, service } = h;
    const explore = (identity: string) =>
      `${service.url}/explore?${new URLSearchParams({ run: '1', analysis: 'paths', from: DAY, to: DAY, pathsScope: 'user', pathsStart: 'event:page_view', identity })}`;
    // Users starting at page_view: blended alice and d3 (2); signed in only alice (1).
    await page.goto(explore('blended'));
    expect(await page.$eval('#explore-summary', (p) => p.textContent)).toMatch(/^2 users /);
    await page.goto(explore('user_id'));
    expect(await page.$eval('#explore-summary', (p) => p.textContent)).toMatch(
      /^1 user starting at page_view /,
    );
    expect(await chosen('#explore-form')).toBe('user_id');
    const focus = await page.$$eval('#paths-nodes a.focus', (a) =>
      a.map((x) => new URL((x as HTMLAnchorElement).href).searchParams.get('identity')),
    );
    expect(focus.length).toBeGreaterThan(0);
    expect(new Set(focus)).toEqual(new Set(['user_id']));
    await shots(page, '76-explore-identity');
  });

  it('draws the journey map per identity, and opens in a report only the blended one', async () => {
    const { page, service } = h;
    const map = (identity: string) =>
      `${service.url}/map?${new URLSearchParams({ run: '1', from: DAY, to: DAY, goal: 'purchase', stages: 'default', identity })}`;
    await page.goto(map('device'));
    expect(await chosen('#map-form')).toBe('device');
    expect(await page.$('#open-in-report')).toBeNull();
    expect(await page.$eval('#map-result, main', (m) => m.textContent ?? '')).toContain(
      'choose both to open this map in a report',
    );
    await page.goto(map('blended'));
    expect(await page.$('#open-in-report')).not.toBeNull();
  });
});
