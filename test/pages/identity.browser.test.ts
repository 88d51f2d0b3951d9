import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsDb } from '../support/loadRows.js';
import { TWO_DEVICES_DAY, TWO_DEVICES_ROWS } from '../support/twoDevices.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';

// The fixture's people (test/support/twoDevices.ts). Funnel page_view -> purchase, users, closed:
//   blended:  alice is d1 + d2 (page_view at 1, purchase at 10), d3 alone -> [2, 1]
//   device:   d1 never buys, d2 never views, d3 never buys          -> [2, 0]
//   user_id:  only events that resolve to a user: alice's (d1's resolve through its sign-in) -> [1, 1]
const DAY = TWO_DEVICES_DAY;
const ROWS = TWO_DEVICES_ROWS;

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

  it('draws the journey map per identity, and opens it in a report with that identity', async () => {
    const { page, service } = h;
    const map = (identity: string) =>
      `${service.url}/map?${new URLSearchParams({ run: '1', from: DAY, to: DAY, goal: 'purchase', stages: 'default', identity })}`;
    await page.goto(map('device'));
    expect(await chosen('#map-form')).toBe('device');
    await Promise.all([
      page.waitForNavigation(),
      page.click('#open-in-report button[type="submit"]'),
    ]);
    expect(
      await page.$eval('select[name="section.0.identity"]', (s) => (s as HTMLSelectElement).value),
    ).toBe('device');
    // Blended is what a section counts when it names none.
    await page.goto(map('blended'));
    expect(await page.$('#open-in-report input[name="section.0.identity"]')).toBeNull();
  });

  it("opens Explore's journey stages in a report with the identity picked", async () => {
    const { page, service } = h;
    await page.goto(
      `${service.url}/explore?${new URLSearchParams({ run: '1', analysis: 'stages', from: DAY, to: DAY, stagesGoal: 'event:purchase', identity: 'user_id' })}`,
    );
    await Promise.all([
      page.waitForNavigation(),
      page.click('#open-in-report button[type="submit"]'),
    ]);
    expect(
      await page.$eval('select[name="section.0.identity"]', (s) => (s as HTMLSelectElement).value),
    ).toBe('user_id');
  });
});
