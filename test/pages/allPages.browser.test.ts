import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import {
  axeCheck,
  shots,
  signIn,
  startHarness,
  watchProblems,
  type Harness,
} from './pagesHarness.js';
import { RANGE } from './pagesFixture.js';

// Every page of the service, as a signed-in marketer reaches it, checked the same way: nothing
// the browser refused or failed to load (a script blocked by the page's own CSP, a missing
// favicon), no serious or critical accessibility violation, no sideways scroll at 390 px, and a
// screenshot at 1366 and 390 px in test-artifacts/pages.

let h: Harness;
let problems: ReturnType<typeof watchProblems>;
let sharedUrl = '';
let outboxFile = '';

const REPORT = {
  id: 'weekly',
  title: 'Weekly figures',
  goal: 'USD purchase',
  dateRange: { start: RANGE.from, end: RANGE.to },
  comparison: 'none',
  sections: [
    { type: 'kpi_summary' },
    {
      type: 'funnel',
      title: 'Checkout',
      funnel: {
        steps: [{ event: 'page_view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
        breakdown: 'device_category',
      },
    },
    { type: 'data_quality' },
  ],
};

beforeAll(async () => {
  h = await startHarness();
  problems = watchProblems(h.page);
  const url = h.service.url;
  const put = (path: string, body: unknown) =>
    call(`${url}${path}`, { method: 'PUT', headers: h.auth, body });
  expect(
    (
      await put('/api/goals/USD purchase', {
        event: 'purchase',
        where: [{ param: 'currency', op: 'eq', value: 'USD' }],
      })
    ).status,
  ).toBe(200);
  expect((await put('/api/reports/weekly', REPORT)).status).toBe(200);
  expect(
    (
      await put('/api/personas/Mobile', {
        description: 'First seen on a phone',
        device: { category: ['mobile'] },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await put('/api/schedules/monday-figures', {
        reportId: 'weekly',
        name: 'Monday figures',
        preset: { kind: 'weekly', day: 1, hour: 8 },
        timeZone: 'Europe/Berlin',
        recipients: { to: ['ceo@example.com', 'cmo@example.com'] },
        formats: { pdf: false, inline: true },
      })
    ).status,
  ).toBe(200);
  const sent = await call(`${url}/api/schedules/monday-figures/send-now`, {
    method: 'POST',
    headers: h.auth,
  });
  expect(sent.status).toBe(202);
  await h.service.scheduler.runOnce();
  const link = await call(`${url}/api/reports/weekly/links`, {
    method: 'POST',
    headers: h.auth,
    body: { ttl: '7d', ranges: ['last_7_days', 'last_28_days'] },
  });
  expect(link.status).toBe(201);
  sharedUrl = link.body.url;
});
afterAll(async () => {
  await h?.stop();
});

/** The page after load, its charts drawn: the checks every page gets. */
async function check(name: string) {
  const { page } = h;
  await page.waitForNetworkIdle({ idleTime: 200 });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        requestAnimationFrame(() => resolve());
      }),
  );
  expect(problems.take(), `${name}: what the browser refused or failed to load`).toEqual([]);
  await axeCheck(page, name);
  await shots(page, name);
  expect(problems.take(), `${name}: problems while resizing`).toEqual([]);
}

const text = (selector: string) =>
  h.page.$eval(selector, (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());

async function open(path: string) {
  const response = await h.page.goto(`${h.service.url}${path}`);
  return response?.status();
}

describe('every page in a real browser', () => {
  it('sign-in, before signing in', async () => {
    expect(await open('/signin')).toBe(200);
    await check('p01-signin');
  });

  it('sign-in with a wrong token', async () => {
    await h.page.type('input[name="token"]', 'not-the-token');
    await Promise.all([h.page.waitForNavigation(), h.page.click('#signin button[type="submit"]')]);
    await check('p02-signin-wrong-token');
    await signIn(h);
  });

  it('events and goals', async () => {
    expect(await open(`/events?from=${RANGE.from}&to=${RANGE.to}`)).toBe(200);
    await h.page.click('tr[data-event="purchase"] details summary');
    await check('p03-events');
  });

  it('events on a range without data', async () => {
    expect(await open('/events?from=2023-01-01&to=2023-01-07')).toBe(200);
    expect(await text('#no-events')).toBe(
      'No events recorded from 2023-01-01 to 2023-01-07. The export may not cover these days yet: pick another range.',
    );
    await check('p04-events-no-data');
  });

  it('events with a goal preview', async () => {
    await open(`/events?from=${RANGE.from}&to=${RANGE.to}`);
    await h.page.select('#goal-form select[name="event"]', 'purchase');
    await h.page.click('#goal-preview');
    await h.page.waitForSelector('#goal-preview-table td[data-units]');
    await check('p05-events-goal-preview');
  });

  it('funnel with a result and a breakdown', async () => {
    const steps = ['page_view', 'add_to_cart', 'purchase'].map((s) => `step=event:${s}`).join('&');
    expect(
      await open(`/funnel?from=${RANGE.from}&to=${RANGE.to}&${steps}&breakdown=device_category`),
    ).toBe(200);
    await h.page.waitForSelector('#funnel-chart svg');
    await check('p06-funnel');
  });

  it('funnel on a range without data', async () => {
    const steps = ['page_view', 'purchase'].map((s) => `step=event:${s}`).join('&');
    expect(await open(`/funnel?from=2023-01-01&to=2023-01-07&${steps}`)).toBe(200);
    expect(await text('#funnel-empty')).toBe(
      'Nobody entered this funnel from 2023-01-01 to 2023-01-07.',
    );
    // Words, not a chart of zeros; the steps picked stay picked though the range lists no event.
    expect(await h.page.$('#funnel-chart')).toBeNull();
    expect(
      await h.page.$$eval('select[name="step"]', (s) =>
        s.map((x) => (x as HTMLSelectElement).value),
      ),
    ).toEqual(['event:page_view', 'event:purchase']);
    await check('p07-funnel-no-data');
  });

  it('explore', async () => {
    expect(await open(`/explore?from=${RANGE.from}&to=${RANGE.to}&run=1`)).toBe(200);
    await check('p08-explore');
  });

  it('reports list', async () => {
    expect(await open('/reports')).toBe(200);
    await check('p09-reports');
  });

  it('report editor, new', async () => {
    expect(await open('/reports/new')).toBe(200);
    await check('p10-report-new');
  });

  it('report editor, a saved report', async () => {
    expect(await open('/reports/weekly/edit')).toBe(200);
    await check('p11-report-edit');
  });

  it("report's HTML preview", async () => {
    expect(await open('/api/reports/weekly/preview')).toBe(200);
    // The report's own script ran (the CSP lets it): it marks the page ready.
    await h.page.waitForSelector('body[data-report-ready="true"]');
    await check('p12-report-preview');
  });

  it('share dialog', async () => {
    expect(await open('/reports/weekly/share')).toBe(200);
    await check('p13-share');
  });

  it('share dialog, a link just made', async () => {
    await h.page.select('#share-form select[name="ttl"]', '7d');
    await Promise.all([
      h.page.waitForNavigation(),
      h.page.click('#share-form button[type="submit"]'),
    ]);
    expect(await h.page.$('#share-created')).not.toBeNull();
    await check('p14-share-created');
  });

  it('the shared page a link opens', async () => {
    expect(await open(new URL(sharedUrl).pathname)).toBe(200);
    await h.page.waitForSelector('body[data-report-ready="true"]');
    await check('p15-shared-link');
  });

  it('schedules', async () => {
    expect(await open('/schedules')).toBe(200);
    await check('p16-schedules');
  });

  it('outbox', async () => {
    expect(await open('/outbox')).toBe(200);
    outboxFile = await h.page.$eval('#outbox-list tbody tr[data-file]', (tr) =>
      String(tr.getAttribute('data-file')),
    );
    await check('p17-outbox');
  });

  it('an outbox message', async () => {
    expect(await open(`/outbox/${outboxFile}`)).toBe(200);
    await check('p18-outbox-message');
  });

  it('predict', async () => {
    expect(await open(`/predict?run=1&goal=purchase&asOf=${RANGE.to}`)).toBe(200);
    await check('p19-predict');
  });

  it('personas', async () => {
    expect(await open('/personas')).toBe(200);
    await check('p22-personas');
  });

  it('the journey map for a persona beside all users', async () => {
    expect(
      await open(`/map?run=1&from=${RANGE.from}&to=${RANGE.to}&goal=purchase&persona=Mobile`),
    ).toBe(200);
    await check('p23-journey-map');
  });

  it('import', async () => {
    expect(await open('/import')).toBe(200);
    await check('p24-import');
  });

  it('the error page', async () => {
    expect(await open('/reports/no-such-report/share')).toBe(404);
    await check('p20-error');
  });

  it('a page that does not exist', async () => {
    expect(await open('/no-such-page')).toBe(404);
    expect(await text('#error-page .error')).toBe('There is no page at /no-such-page.');
    await check('p21-not-found');
  });
});
