import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { ARTIFACTS, signIn, startHarness, type Harness } from './pagesHarness.js';
import { RANGE } from './pagesFixture.js';

// Every form the pages have, posted as a signed-in browser posts it (session cookie and CSRF
// token) with malformed values: empty, huge, unicode, control characters, wrong types, a field
// sent twice where one is expected, `name[]`, missing fields, impossible dates, negative numbers,
// markup. Whatever arrives, the answer is never a 5xx, never echoes markup unescaped, and an
// error is said in words on the field at fault, without the validator's vocabulary. The cases
// come from a fixed seed: a failure names its case, and the same run reproduces it.

const SEED = 20_261_205;
const CASES = Number(process.env.PATHLIGHT_FUZZ_CASES ?? 24);

type Value = string | string[];

/** Values no field expects; every field is tried with them. */
const MALFORMED: Value[] = [
  '',
  '   ',
  'x'.repeat(5000),
  'Ünïcødé ✓ 🚀 مرحبا 日本',
  'a\u0301\u200b\u202e',
  '\u0000\u0007\u001b',
  '-1',
  '-99999999999999999999',
  '0',
  '1e309',
  'NaN',
  '3.5',
  '2024-02-30',
  '2024-13-01',
  '0000-00-00',
  '99999-12-31',
  '2024-1-1',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{title}}',
  '__proto__',
  'constructor',
  ['a', 'b'],
  ['', ''],
  '{"a":',
  '[1,2,]',
  'null',
  'true',
  '* * * * * *',
  '60 25 32 13 8',
  'Mars/Olympus',
  'not an email',
  'a@b',
];

/** Values each field gets on its own: a NUL the store refuses, a field sent twice, huge text. */
const ALONE: Value[] = ['x\u0000y', ['a', 'b'], 'x'.repeat(5000)];

/** Phrases of the validator and of code that a person should never read. */
const JARGON =
  /Too (small|big)|expected (string|number|boolean|array|object|int)|invalid_type|Invalid (input|option|string|type)|received (undefined|string|number|null)|Unrecognized key|\[\d+\]|CronPattern|ZodError|undefined|\[object Object\]|[a-z]+[A-Z]\w*(\.\w+)*: /;

interface Form {
  readonly name: string;
  readonly method: 'POST' | 'GET';
  /** The path, with its ids as the form has them, or malformed. */
  readonly paths: string[];
  /** Each field with values the form itself would send. */
  readonly fields: Record<string, Value[]>;
  /**
   * False for a page whose messages are not yet held to the plain-words rule (Explore, being
   * rebuilt): its answers are still checked for 5xx and echoed markup.
   */
  readonly wordsChecked?: false;
}

const FUNNEL_QUERY = `from=${RANGE.from}&to=${RANGE.to}&step=event:page_view&step=event:purchase`;
const ODD_IDS = ['no-such', '%C3%BC', '%3Cscript%3E', 'a'.repeat(300), '..%2F..', '%00'];

const FORMS: Form[] = [
  {
    name: 'goal',
    method: 'POST',
    paths: ['/goals'],
    fields: {
      name: ['Fuzz goal'],
      event: ['purchase', 'add_to_cart'],
      condParam: ['currency', ''],
      condOp: ['eq', 'neq', 'contains', 'starts_with'],
      condValue: ['USD', '10'],
      condType: ['string', ''],
      value: ['none', 'param:value', 'ecommerce.purchase_revenue'],
      from: [RANGE.from],
      to: [RANGE.to],
      preview: ['', '1'],
    },
  },
  {
    name: 'funnel saved as a report',
    method: 'POST',
    paths: ['/reports'],
    fields: {
      id: ['fuzz-report'],
      title: ['Fuzz'],
      dateRange: ['last_7_days', 'last_week'],
      comparison: ['none', 'previous_period'],
      sections: ['kpi_summary', 'data_quality'],
      funnelQuery: [FUNNEL_QUERY],
    },
  },
  ...(['/reports/edit', '/reports/preview'] as const).map((path): Form => ({
    name: path === '/reports/edit' ? 'report editor' : "report editor's preview",
    method: 'POST',
    paths: [path],
    fields: {
      id: ['fuzz-edit'],
      storedId: [''],
      title: ['Fuzz'],
      savedGoal: ['', 'USD purchase'],
      goalEvent: ['purchase'],
      goalName: [''],
      goalValue: [''],
      goalWhere: ['', '[{"param":"currency","op":"eq","value":"USD"}]'],
      dateRange: ['last_7_days', 'fixed'],
      start: [RANGE.from],
      end: [RANGE.to],
      comparison: ['none', 'previous_period'],
      timeZone: ['UTC', 'Europe/Berlin'],
      locale: ['en-US'],
      currency: ['USD', 'EUR'],
      includeIntraday: ['', 'on'],
      filters: [''],
      'segments.0.name': ['', 'Cart users'],
      'segments.0.scope': ['user', 'session'],
      'segments.0.event': ['', 'add_to_cart'],
      'goals.0.saved': ['', 'USD purchase'],
      'goals.1.event': ['', 'add_to_cart'],
      'section.0.type': ['kpi_summary'],
      'section.1.type': ['attribution_table'],
      'section.1.lookback': ['30d'],
      'section.2.type': ['retention'],
      'section.2.periods': ['6'],
      ...(path === '/reports/edit'
        ? { op: ['save', 'add:kpi_summary', 'remove:0', 'up:1', 'down:0', 'drop:goals.0', 'rows'] }
        : { format: ['html', 'pdf'] }),
    },
  })),
  {
    name: 'funnel into a report section',
    method: 'POST',
    paths: ['/reports/weekly/sections/0/funnel', '/reports/weekly/sections/99/funnel'].concat(
      ['-1', 'x', '1.5'].map((i) => `/reports/weekly/sections/${i}/funnel`),
      ODD_IDS.map((id) => `/reports/${id}/sections/0/funnel`),
    ),
    fields: { funnelQuery: [FUNNEL_QUERY] },
  },
  {
    name: 'share dialog',
    method: 'POST',
    paths: ['/reports/weekly/share', ...ODD_IDS.map((id) => `/reports/${id}/share`)],
    fields: {
      ttl: ['1d', '7d', '30d', '90d', '366d'],
      range: ['', 'last_7_days'],
      allow: ['none', 'list', 'span'],
      ranges: ['last_7_days', 'last_28_days'],
      maxSpanDays: ['92', '7'],
    },
  },
  {
    name: 'revoke a link',
    method: 'POST',
    // {link}: a link made for the run.
    paths: ['{link}', ...ODD_IDS].map((id) => `/reports/weekly/links/${id}/revoke`),
    fields: {},
  },
  {
    name: 'delete a report',
    method: 'POST',
    paths: ['/reports/fuzz-delete/delete', ...ODD_IDS.map((id) => `/reports/${id}/delete`)],
    fields: {},
  },
  {
    name: 'schedule',
    method: 'POST',
    paths: ['/schedules'],
    fields: {
      id: ['fuzz-schedule'],
      editing: [''],
      name: ['Fuzz'],
      reportId: ['weekly'],
      preset: ['monday-8', 'daily-8', ''],
      cron: ['', '0 8 * * 1'],
      timeZone: ['Europe/Berlin', 'UTC'],
      to: ['a@example.com', 'a@example.com, b@example.com'],
      cc: ['', 'c@example.com'],
      pdf: ['on', ''],
      inline: ['on', ''],
      owner: [''],
    },
  },
  {
    name: 'schedule actions',
    method: 'POST',
    paths: ['pause', 'resume', 'send-now', 'delete', 'explode', '%00'].flatMap((action) =>
      ['fuzz-kept', ...ODD_IDS].map((id) => `/schedules/${id}/${action}`),
    ),
    fields: {},
  },
  {
    name: 'events range',
    method: 'GET',
    paths: ['/events'],
    fields: { from: [RANGE.from], to: [RANGE.to], saved: ['', 'Fuzz'] },
  },
  {
    name: 'funnel builder',
    method: 'GET',
    paths: ['/funnel'],
    fields: {
      from: [RANGE.from],
      to: [RANGE.to],
      step: [
        ['event:page_view', 'event:purchase'],
        ['event:page_view', 'goal:USD purchase'],
      ],
      within: ['', '30m'],
      directly: ['', '2'],
      scope: ['user', 'session'],
      type: ['closed', 'open'],
      window: ['', '7d'],
      breakdown: ['', 'device_category'],
      report: ['', 'weekly'],
      section: ['', '0'],
    },
  },
  {
    name: 'predict',
    method: 'GET',
    paths: ['/predict'],
    fields: {
      run: ['1'],
      goal: ['purchase'],
      nodeType: ['event', 'page_path', 'channel', 'stage'],
      horizonDays: ['7'],
      trainDays: ['28'],
      activeDays: ['7'],
      maxOrder: ['3'],
      minSupport: ['30', '1'],
      asOf: ['', RANGE.to],
    },
  },
  {
    name: 'explore',
    method: 'GET',
    paths: ['/explore'],
    fields: {
      run: ['1'],
      analysis: ['paths', 'next-step', 'stages', 'attribution'],
      from: [RANGE.from],
      to: [RANGE.to],
      pathsStart: ['', 'event:purchase', 'goal:USD purchase'],
      pathsScope: ['session', 'user'],
      pathsSteps: ['4'],
      nextGoal: ['event:purchase'],
      nextScope: ['session'],
      stagesGoal: ['event:purchase'],
      attrGoal: ['event:purchase'],
      attrTouchpoint: ['channel'],
      attrLookback: ['30d'],
    },
  },
  {
    name: 'persona',
    method: 'POST',
    paths: ['/personas'],
    fields: {
      name: ['Fuzz persona'],
      description: ['', 'Phones'],
      editing: ['', 'Fuzz persona'],
      'firstTouch.channel': ['', 'Organic Search'],
      'firstTouch.source': ['', 'google'],
      'device.category': ['mobile', ''],
      'geo.country': ['', 'Germany'],
      'userProperties.0.key': ['', 'plan'],
      'userProperties.0.op': ['eq', 'gt'],
      'userProperties.0.value': ['', 'pro', '3'],
      'behaviour.did.0.event': ['', 'purchase'],
      'behaviour.did.0.atLeast': ['', '2'],
      'behaviour.reachedStage': ['', 'Decision'],
      'behaviour.converted': ['', 'purchase'],
      'behaviour.valueOver.event': ['', 'purchase'],
      'behaviour.valueOver.value': ['', '50'],
      from: [RANGE.from],
      to: [RANGE.to],
      count: ['', '1'],
    },
  },
  {
    name: 'delete a persona',
    method: 'POST',
    paths: ['/personas/Fuzz%20delete/delete', ...ODD_IDS.map((id) => `/personas/${id}/delete`)],
    fields: {},
  },
  {
    name: 'journey map',
    method: 'GET',
    paths: ['/map'],
    fields: {
      run: ['1'],
      from: [RANGE.from],
      to: [RANGE.to],
      goal: ['purchase'],
      persona: ['', 'Fuzz persona'],
      minSupport: ['30', '1'],
      stages: ['default', 'custom'],
      stageMap: [
        '',
        '{"stages":[{"name":"A","rules":[{"event":"page_view"}]},{"name":"B","rules":[{"event":"purchase"}]}]}',
      ],
    },
  },
];

/** One posted field: left out, as the form sends it, malformed, or as `name[]`. */
const fieldValue = (good: Value[]) =>
  fc.oneof(
    {
      weight: 1,
      arbitrary: fc.constant<{ omit: true } | { value: Value; key?: string }>({ omit: true }),
    },
    { weight: 3, arbitrary: fc.constantFrom(...good).map((value) => ({ value })) },
    { weight: 4, arbitrary: fc.constantFrom(...MALFORMED).map((value) => ({ value })) },
    { weight: 1, arbitrary: fc.constant({ value: '1', key: '[]' }) },
  );

interface Case {
  readonly path: string;
  readonly values: [string, Value][];
}

/** The seeded cases of one form; the first is the form filled in as it should be. */
function casesOf(form: Form): Case[] {
  const good: Case = {
    path: form.paths[0]!,
    values: Object.entries(form.fields).map(([k, v]) => [k, v[0]!]),
  };
  const names = Object.keys(form.fields);
  const arbitrary = fc.record({
    path: fc.constantFrom(...form.paths),
    fields: fc.tuple(...names.map((n) => fieldValue(form.fields[n]!))),
  });
  const sampled = fc
    .sample(arbitrary, { seed: SEED, numRuns: CASES })
    .map(({ path, fields }): Case => ({
      path,
      values: fields.flatMap((f, i): [string, Value][] =>
        'omit' in f ? [] : [[`${names[i]!}${'key' in f ? f.key : ''}`, f.value]],
      ),
    }));
  // Then each field alone made bad, the rest as the form sends them: a fault is pinned to it.
  const alone = names.flatMap((name) =>
    ALONE.map((value): Case => ({
      path: good.path,
      values: good.values.map(([k, v]): [string, Value] => [k, k === name ? value : v]),
    })),
  );
  return [good, ...alone, ...sampled];
}

function encode(values: [string, Value][], csrf?: string): URLSearchParams {
  const body = new URLSearchParams();
  if (csrf !== undefined) body.append('_csrf', csrf);
  for (const [k, v] of values) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
}

interface Shown {
  /** Every error text on the page. */
  readonly errors: string[];
  /** Error texts tied to a control: described by it, or inside its label. */
  readonly onField: string[];
  /** Page-level errors (tied to no control); they may not name a field the page shows. */
  readonly pageLevel: string[];
  /** Page-level errors naming a visible field: they belong on it. */
  readonly misplaced: string[];
  /** Links to an error (an error summary's) with nothing there. */
  readonly dangling: string[];
}

let h: Harness;
let dumped = 0;
let linkId = '';
let cookie = '';
let csrf = '';

/** The errors a page shows, read by the browser's own HTML parser (nothing runs or loads). */
const shownErrors = (html: string): Promise<Shown> =>
  h.page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'text/html');
    const text = (e: Element | null) => (e?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const isError = (e: Element | null) =>
      !!e && (e.matches('.field-error, .error') || e.getAttribute('role') === 'alert');
    const errors = [...doc.querySelectorAll('.field-error, .error, [role="alert"]')]
      .map(text)
      .filter(Boolean);
    const onField: string[] = [];
    const tied = new Set<Element>();
    for (const control of doc.querySelectorAll('input, select, textarea, [aria-describedby]')) {
      for (const id of (control.getAttribute('aria-describedby') ?? '').split(/\s+/)) {
        const described = id ? doc.getElementById(id) : null;
        if (described && isError(described) && text(described)) {
          onField.push(text(described));
          tied.add(described);
        }
      }
      control
        .closest('label')
        ?.querySelectorAll('.error, .field-error')
        .forEach((e) => {
          if (!text(e)) return;
          onField.push(text(e));
          tied.add(e);
        });
    }
    const loose = [...doc.querySelectorAll('.error, [role="alert"]')].filter(
      (e) => !tied.has(e) && text(e),
    );
    const visible = (name: string) =>
      [...doc.getElementsByName(name)].some((c) => c.getAttribute('type') !== 'hidden');
    return {
      errors,
      onField,
      pageLevel: loose.map(text),
      misplaced: loose
        .filter((e) => visible(e.getAttribute('data-field') ?? ''))
        .map((e) => `${e.getAttribute('data-field')}: ${text(e)}`),
      dangling: [...doc.querySelectorAll('a[href^="#error-"]')]
        .filter((a) => !doc.getElementById(a.getAttribute('href')!.slice(1)))
        .map(text),
    };
  }, html);

async function send(form: Form, c: Case) {
  const headers: Record<string, string> = { Cookie: cookie, Accept: 'text/html' };
  if (form.method === 'GET') {
    const query = encode(c.values).toString();
    return fetch(`${h.service.url}${c.path}?${query}`, { headers, redirect: 'manual' });
  }
  return fetch(`${h.service.url}${c.path.replace('{link}', linkId)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: encode(c.values, csrf).toString(),
  });
}

/** What is wrong with one answer, in a line naming the case; '' when nothing is. */
async function judge(form: Form, c: Case, res: Response): Promise<string[]> {
  const html = await res.text();
  const at = `${form.name} ${form.method} ${c.path} ${JSON.stringify(c.values).slice(0, 300)}`;
  const faults: string[] = [];
  if (res.status >= 500) faults.push(`${res.status}: ${at}`);
  if (/<script>alert\(1\)|<img src=x onerror/.test(html)) faults.push(`markup echoed: ${at}`);
  const isHtml = (res.headers.get('content-type') ?? '').startsWith('text/html');
  if (!isHtml || form.wordsChecked === false) return faults;
  const shown = await shownErrors(html);
  for (const e of shown.errors)
    if (JARGON.test(e)) faults.push(`jargon "${e.slice(0, 160)}": ${at}`);
  if (res.status === 400 && shown.onField.length + shown.pageLevel.length === 0)
    faults.push(`400 without an error shown (${shown.errors.join(' | ')}): ${at}`);
  for (const e of shown.misplaced) faults.push(`error not on its field: ${e}: ${at}`);
  for (const e of shown.dangling) faults.push(`error link to nothing: ${e}: ${at}`);
  if (res.status >= 400 && shown.errors.length === 0)
    faults.push(`${res.status} says nothing: ${at}`);
  if (faults.length) {
    // The answer as it came, to read beside the failure.
    const dir = join(ARTIFACTS, 'fuzz');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${form.name.replace(/\W+/g, '-')}-${++dumped}.html`);
    writeFileSync(file, html);
    faults[0] = `${faults[0]!} (answer in ${file})`;
  }
  return faults;
}

beforeAll(async () => {
  h = await startHarness();
  const put = (path: string, body: unknown) =>
    call(`${h.service.url}${path}`, { method: 'PUT', headers: h.auth, body });
  await put('/api/goals/USD purchase', {
    event: 'purchase',
    where: [{ param: 'currency', op: 'eq', value: 'USD' }],
  });
  for (const id of ['weekly', 'fuzz-delete'])
    await put(`/api/reports/${id}`, {
      title: 'Weekly',
      goal: { event: 'purchase' },
      dateRange: { start: RANGE.from, end: RANGE.to },
      comparison: 'none',
      sections: [{ type: 'kpi_summary' }],
    });
  await put('/api/personas/Fuzz delete', { device: { category: ['mobile'] } });
  await put('/api/schedules/fuzz-kept', {
    reportId: 'weekly',
    name: 'Kept',
    cron: '0 8 * * 1',
    timeZone: 'UTC',
    recipients: { to: ['a@example.com'] },
  });
  const link = await call(`${h.service.url}/api/reports/weekly/links`, {
    method: 'POST',
    headers: h.auth,
    body: { ttl: '7d' },
  });
  linkId = link.body.id;
  await signIn(h);
  cookie = (await h.page.cookies()).map((k) => `${k.name}=${k.value}`).join('; ');
  csrf = await h.page.$eval('meta[name="csrf-token"]', (m) => m.getAttribute('content') ?? '');
});
afterAll(async () => {
  await h?.stop();
});

describe('every form posted with malformed values', () => {
  for (const form of FORMS) {
    it(`${form.name}: no 5xx, errors on their field in plain words`, async () => {
      const cases = casesOf(form);
      const faults: string[] = [];
      for (const [i, c] of cases.entries()) {
        const res = await send(form, c);
        // The form filled in as it should be goes through.
        if (i === 0) expect(res.status, `${form.name}: the form as it should be`).toBeLessThan(400);
        faults.push(...(await judge(form, c, res)));
      }
      expect(faults).toEqual([]);
    });
  }

  it('sign-in: no 5xx, the token error on its field', async () => {
    const page = await fetch(`${h.service.url}/signin`);
    const pre = /pathlight_signin=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!;
    const token = /name='csrf-token' content='([^']+)'/.exec(await page.text())![1]!;
    const form: Form = {
      name: 'sign-in',
      method: 'POST',
      paths: ['/signin'],
      fields: { token: ['wrong-token'], next: ['/events', '//evil.example.com', 'https://x.y'] },
    };
    const faults: string[] = [];
    for (const c of casesOf(form)) {
      const res = await fetch(`${h.service.url}/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: `pathlight_signin=${pre}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: encode(c.values, token).toString(),
      });
      // A sign-in that worked never leaves the site.
      if (res.status === 303) expect(res.headers.get('location')).toMatch(/^\/(?![/\\])/);
      faults.push(...(await judge(form, c, res)));
    }
    expect(faults).toEqual([]);
  });

  it('the live funnel preview (JSON): no 5xx, errors named in plain words', async () => {
    const json = fc.oneof(
      fc.constantFrom<unknown>(
        null,
        true,
        0,
        -1,
        Number.MAX_VALUE,
        '',
        'x'.repeat(5000),
        '2024-02-30',
        [],
        {},
      ),
      fc.string(),
      fc.integer(),
    );
    const step = fc.oneof(
      fc.record({ event: fc.oneof(fc.constantFrom('page_view', 'purchase'), json) }),
      fc.record({ goal: fc.oneof(fc.constant('USD purchase'), json) }),
      json,
    );
    const body = fc.record(
      {
        dateRange: fc.oneof(
          fc.record({
            start: fc.oneof(fc.constant(RANGE.from), json),
            end: fc.oneof(fc.constant(RANGE.to), json),
          }),
          json,
        ),
        steps: fc.oneof(fc.array(step, { maxLength: 25 }), json),
        scope: fc.oneof(fc.constantFrom('user', 'session'), json),
        type: fc.oneof(fc.constantFrom('closed', 'open'), json),
        window: fc.oneof(fc.constantFrom('7d', '30m'), json),
        breakdown: fc.oneof(fc.constant('device_category'), json),
      },
      { requiredKeys: [] },
    );
    const faults: string[] = [];
    for (const sent of fc.sample(body, { seed: SEED, numRuns: CASES * 2 })) {
      const res = await call(`${h.service.url}/funnel/preview`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrf },
        body: sent,
      });
      const at = JSON.stringify(sent).slice(0, 300);
      if (res.status >= 500) faults.push(`${res.status}: ${at}`);
      if (res.status === 400) {
        const message = String(res.body?.error?.message ?? '');
        if (!res.body?.error?.field) faults.push(`400 without a field: ${message}: ${at}`);
        if (JARGON.test(message)) faults.push(`jargon "${message}": ${at}`);
      }
    }
    expect(faults).toEqual([]);
  });
});
