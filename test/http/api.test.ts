import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/main/startService.js';
import { RANGE } from './support/eventsFixture.js';
import { call, startTestService } from './support/testApp.js';

let service: RunningService;
let auth: Record<string, string>;
const api = (path: string, init: Parameters<typeof call>[1] = {}) =>
  call(`${service.url}/api${path}`, { ...init, headers: { ...auth, ...init.headers } });

beforeAll(async () => {
  service = await startTestService(
    { PATHLIGHT_BODY_LIMIT_KB: '4' },
    { keyEvents: async () => ['purchase'] },
  );
  auth = { Authorization: `Bearer ${service.adminToken}` };
});
afterAll(() => service.stop());

describe('errors', () => {
  it('answers bad input with 400 and the field at fault', async () => {
    const res = await api('/events?from=2024-02-30&to=2024-03-03');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'invalid_input', message: expect.stringMatching(/^from: /), field: 'from' },
    });
    const goal = await api('/goals/Bad', { method: 'PUT', body: { event: 'no spaces!?' } });
    expect(goal.status).toBe(400);
    expect(goal.body.error.field).toBe('event');
    const funnel = await api('/funnels/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        steps: [{ event: 'a' }, { event: 'b', within: '5 minutes' }],
      },
    });
    expect(funnel.status).toBe(400);
    expect(funnel.body.error.field).toBe('steps[1].within');
  });

  it('answers unknown routes, malformed JSON and oversized bodies in the same shape', async () => {
    expect((await api('/nothing-here')).body.error.code).toBe('not_found');
    const bad = await api('/funnels/run', { method: 'POST', body: '{"steps": [' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const big = await api('/funnels/run', { method: 'POST', body: { pad: 'x'.repeat(5000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('honours X-Request-Id, or makes one, and sets the security headers', async () => {
    const given = await api('/goals', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await api('/goals', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(made.headers.get('x-content-type-options')).toBe('nosniff');
    expect(made.headers.get('x-powered-by')).toBeNull();
  });
});

describe('use-cases through the API', () => {
  it('lists the events of the range with counts, top values and a daily trend', async () => {
    const res = await api(`/events?from=${RANGE.from}&to=${RANGE.to}`);
    expect(res.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read field by field below
    const byName: Record<string, any> = Object.fromEntries(
      (res.body.events as { name: string }[]).map((e) => [e.name, e]),
    );
    expect(byName.page_view).toMatchObject({ events: 6, users: 5 });
    expect(byName.add_to_cart).toMatchObject({ events: 3, users: 3 });
    expect(byName.purchase).toMatchObject({ events: 2, users: 2, keyEvent: true });
    expect(byName.page_view.keyEvent).toBe(false);
    const pageType = byName.page_view.params.find((p: { key: string }) => p.key === 'page_type');
    expect(pageType.topValues[0]).toMatchObject({ value: 'product', events: 4 });
    expect(byName.page_view.daily.map((d: { events: number }) => d.events)).toEqual([2, 2, 2]);
    expect(byName.purchase.daily.map((d: { events: number }) => d.events)).toEqual([1, 1, 0]);
    // The page marks the same key event, and only it.
    const page = await (
      await fetch(`${service.url}/events?from=${RANGE.from}&to=${RANGE.to}`, { headers: auth })
    ).text();
    const rows = [...page.matchAll(/<tr data-event='([^']+)'>([\s\S]*?)<\/tr>/g)];
    expect(rows.filter((r) => r[2]?.includes("class='key-event'")).map((r) => r[1])).toEqual([
      'purchase',
    ]);
    expect(page).not.toContain('key-events-off');
  });

  it('saves goals and runs a funnel with a goal step', async () => {
    const saved = await api('/goals/Product view', {
      method: 'PUT',
      body: { event: 'page_view', where: [{ param: 'page_type', op: 'eq', value: 'product' }] },
    });
    expect(saved.status).toBe(200);
    expect((await api('/goals')).body.goals.map((g: { name: string }) => g.name)).toContain(
      'Product view',
    );
    const run = await api('/funnels/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        steps: [{ goal: 'Product view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
      },
    });
    expect(run.status).toBe(200);
    expect(run.body.steps.map((s: { count: number }) => s.count)).toEqual([4, 3, 2]);
    // Time to convert and trend: u1 and u3 take 2 minutes; entries u1, u2 (day 1), u3, u5.
    const more = await api('/funnels/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        steps: [{ goal: 'Product view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
        timeToConvert: {},
        trend: { interval: 'day' },
      },
    });
    expect(more.status).toBe(200);
    expect(more.body.timeToConvert).toMatchObject({ toStep: 3, count: 2, medianSeconds: 120 });
    expect(
      more.body.trend.periods.map((p: { start: string; steps: { count: number }[] }) => [
        p.start,
        ...p.steps.map((s) => s.count),
      ]),
    ).toEqual([
      ['2024-03-01', 2, 2, 1],
      ['2024-03-02', 1, 1, 1],
      ['2024-03-03', 1, 0, 0],
    ]);
    const bad = await api('/funnels/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        steps: [{ event: 'page_view' }, { event: 'purchase' }],
        timeToConvert: { toStep: 5 },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('timeToConvert.toStep');
    // Before saving: users reaching the goal per day (u1, u2 on day 1; u3 on day 2; u5 on day 3).
    const preview = await api('/goals/preview', {
      method: 'POST',
      body: {
        event: 'page_view',
        where: [{ param: 'page_type', op: 'eq', value: 'product' }],
        dateRange: { start: RANGE.from, end: RANGE.to },
      },
    });
    expect(preview.body.days.map((d: { units: number }) => d.units)).toEqual([2, 1, 1]);
    expect((await api('/goals/Product view', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/goals/Product view')).status).toBe(404);
  });

  it('answers next actions after each funnel step', async () => {
    const run = await api('/funnels/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        steps: [
          { event: 'page_view', where: [{ param: 'page_type', op: 'eq', value: 'product' }] },
          { event: 'add_to_cart' },
          { event: 'purchase' },
        ],
        nextAction: { by: 'event' },
      },
    });
    expect(run.status).toBe(200);
    // After the product view: u1, u2, u3 add to cart (all go on), u5 does nothing more. After the
    // cart: u1 and u3 buy, u2 stops. After the purchase nobody does anything.
    expect(run.body.steps.map((s: { nextActions: unknown }) => s.nextActions)).toEqual([
      [
        { value: 'add_to_cart', units: 3, share: 0.75, reachedNext: 3 },
        { value: '(none)', units: 1, share: 0.25, reachedNext: 0 },
      ],
      [
        { value: 'purchase', units: 2, share: 0.6667, reachedNext: 2 },
        { value: '(none)', units: 1, share: 0.3333, reachedNext: 0 },
      ],
      [{ value: '(none)', units: 2, share: 1, reachedNext: null }],
    ]);
    const bad = await api('/funnels/run', {
      method: 'POST',
      body: {
        dateRange: { start: RANGE.from, end: RANGE.to },
        steps: [{ event: 'page_view' }, { event: 'purchase' }],
        nextAction: { by: 'page', top: 20 },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      field: 'nextAction.top',
      message: 'nextAction.top: expected 1 to 10',
    });
  });

  it('runs paths and next step, and estimates a funnel’s bytes (none on DuckDB)', async () => {
    const dateRange = { start: RANGE.from, end: RANGE.to };
    const paths = await api('/paths/run', {
      method: 'POST',
      body: { dateRange, scope: 'user', start: 'add_to_cart', steps: 2 },
    });
    expect(paths.status).toBe(200);
    const next = await api('/next-step/run', {
      method: 'POST',
      body: { dateRange, nodeType: 'event', goal: 'purchase', minSupport: 1 },
    });
    expect(next.status).toBe(200);
    const stages = await api('/stages/run', { method: 'POST', body: { dateRange } });
    expect(stages.status).toBe(200);
    const badPaths = await api('/paths/run', { method: 'POST', body: { dateRange, steps: 0 } });
    expect(badPaths.body.error.field).toBe('steps');
    const estimate = await api('/funnels/estimate', {
      method: 'POST',
      body: { dateRange, steps: [{ event: 'page_view' }, { event: 'purchase' }] },
    });
    expect(estimate.body).toEqual({ engine: 'duckdb', bytesProcessed: null });
  });

  it('keeps schedules: validation, presets, pause and resume, send now, run history', async () => {
    const badReport = await api('/reports/weekly', { method: 'PUT', body: { title: 'Weekly' } });
    expect(badReport.status).toBe(400);
    expect(badReport.body.error.field).toBe('goal');
    const report = await api('/reports/weekly', {
      method: 'PUT',
      body: {
        title: 'Weekly',
        goal: { event: 'purchase' },
        dateRange: { start: RANGE.from, end: RANGE.to },
        sections: [
          { type: 'funnel', funnel: { steps: [{ event: 'page_view' }, { event: 'purchase' }] } },
        ],
      },
    });
    expect(report.status).toBe(200);
    const bad = await api('/schedules/weekly-mail', {
      method: 'PUT',
      body: {
        reportId: 'weekly',
        name: 'W',
        cron: '0 8 * * 1',
        timeZone: 'Mars/Base',
        recipients: { to: ['a@example.com'] },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('timeZone');
    const badTo = await api('/schedules/weekly-mail', {
      method: 'PUT',
      body: {
        reportId: 'weekly',
        name: 'W',
        cron: '0 8 * * 1',
        timeZone: 'Europe/Berlin',
        recipients: { to: ['not-an-email'] },
      },
    });
    expect(badTo.body.error.field).toBe('recipients.to[0]');
    const ok = await api('/schedules/weekly-mail', {
      method: 'PUT',
      body: {
        reportId: 'weekly',
        name: 'Weekly mail',
        preset: { kind: 'weekly', day: 1, hour: 8 },
        timeZone: 'Europe/Berlin',
        recipients: { to: ['ceo@example.com'] },
        formats: { pdf: false, inline: true },
      },
    });
    expect(ok.body).toMatchObject({
      cron: '0 8 * * 1',
      owner: 'admin@pathlight.local',
      paused: false,
    });
    expect((await api('/schedules/weekly-mail/pause', { method: 'POST' })).body.paused).toBe(true);
    expect((await api('/schedules/weekly-mail/resume', { method: 'POST' })).body.paused).toBe(
      false,
    );
    const sent = await api('/schedules/weekly-mail/send-now', { method: 'POST' });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({
      kind: 'send_now',
      status: 'claimed',
      scheduleId: 'weekly-mail',
    });
    // The real renderer (HTML only: this schedule asks for no PDF), then the outbox.
    await service.scheduler.runOnce();
    const history = await api('/schedules/weekly-mail/runs');
    expect(history.body.runs[0]).toMatchObject({ id: sent.body.id, status: 'sent' });
    expect(history.body.runs[0].deliveries).toMatchObject([
      { recipient: 'ceo@example.com', status: 'sent' },
    ]);
    expect(Object.keys(history.body.runs[0].stageMs)).toEqual(
      expect.arrayContaining(['query', 'send']),
    );
    const outbox = await api('/outbox');
    expect(outbox.body.messages).toHaveLength(1);
    expect(outbox.body.messages[0].subject).toMatch(/^Weekly · /);
    // A test send of an unsaved schedule: validated like a saved one, sent once, no schedule row.
    const badTest = await api('/schedules/test-send', {
      method: 'POST',
      body: { reportId: 'weekly', name: 'Draft', timeZone: 'UTC', recipients: { to: ['x'] } },
    });
    expect([badTest.status, badTest.body.error.field]).toEqual([400, 'recipients.to[0]']);
    const noReport = await api('/schedules/test-send', {
      method: 'POST',
      body: {
        reportId: 'nope',
        name: 'Draft',
        timeZone: 'UTC',
        recipients: { to: ['a@example.com'] },
      },
    });
    expect([noReport.status, noReport.body.error.field]).toEqual([404, 'reportId']);
    const test = await api('/schedules/test-send', {
      method: 'POST',
      body: {
        reportId: 'weekly',
        name: 'Draft',
        timeZone: 'UTC',
        recipients: { to: ['cmo@example.com'] },
        formats: { pdf: false, inline: true },
      },
    });
    expect(test.status).toBe(202);
    expect(test.body).toMatchObject({ kind: 'test', status: 'claimed', scheduleId: null });
    await service.scheduler.runOnce();
    const after = await api('/outbox');
    expect(after.body.messages).toHaveLength(2);
    expect((await api('/schedules')).body.schedules.map((s: { id: string }) => s.id)).toEqual([
      'weekly-mail',
    ]);
  });
});
