import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTION_TYPES } from '../../src/reports/reportDefinition.js';
import { applyOp, draftFromForm, type ReportDraft } from '../../src/http/pages/reportForm.js';
import { reportEditorView } from '../../src/http/pages/reportEditorView.js';
import { SECTION_DESCRIPTORS } from '../../src/http/pages/sectionFields.js';
import { sectionsFromForm } from '../../src/http/pages/sectionsFromForm.js';
import type { RunningService } from '../../src/main/startService.js';
import { RANGE } from './support/eventsFixture.js';
import { call, startTestService } from './support/testApp.js';

describe('section descriptors from the definition schema', () => {
  it('describe every section type of the union, in its order', () => {
    expect(SECTION_DESCRIPTORS.map((d) => d.type)).toEqual(SECTION_TYPES);
  });

  it('take each field, kind and limit from the schema', () => {
    const retention = SECTION_DESCRIPTORS.find((d) => d.type === 'retention');
    expect(retention?.fields).toEqual([
      { key: 'title', label: 'Title', optional: true, editor: { kind: 'text', maxLength: 200 } },
      {
        key: 'period',
        label: 'Cohort by',
        optional: true,
        editor: { kind: 'choice', options: ['week', 'month'] },
      },
      {
        key: 'periods',
        label: 'Number of cohorts',
        optional: true,
        editor: { kind: 'number', min: 1, max: 12, step: 1 },
      },
    ]);
    const funnel = SECTION_DESCRIPTORS.find((d) => d.type === 'funnel');
    expect(funnel?.fields.map((f) => [f.key, f.optional, f.editor.kind])).toEqual([
      ['title', true, 'text'],
      ['funnel.identity', true, 'choice'],
      ['funnel.includeIntraday', true, 'checkbox'],
      ['funnel.scope', true, 'choice'],
      ['funnel.type', true, 'choice'],
      ['funnel.window', true, 'text'],
      ['funnel.steps', false, 'steps'],
      ['funnel.breakdown', true, 'choice'],
      ['funnel.breakdownLimit', true, 'number'],
      ['funnel.exclusions', true, 'exclusions'],
      ['funnel.timeToConvert', true, 'group'],
      ['funnel.trend', true, 'group'],
      ['funnel.segments', true, 'segments'],
      ['funnel.nextAction', true, 'group'],
    ]);
    const trend = funnel?.fields.find((f) => f.key === 'funnel.trend')?.editor;
    expect(trend).toEqual({
      kind: 'group',
      fields: [
        {
          key: 'interval',
          label: 'Per',
          optional: true,
          editor: { kind: 'choice', options: ['day', 'week'], fallback: 'day' },
        },
      ],
    });
    const sankey = SECTION_DESCRIPTORS.find((d) => d.type === 'journey_sankey');
    expect(sankey?.fields.map((f) => [f.key, f.editor])).toEqual([
      ['title', { kind: 'text', maxLength: 200 }],
      [
        'paths.identity',
        { kind: 'choice', options: ['blended', 'user_id', 'device'], fallback: 'blended' },
      ],
      ['paths.scope', { kind: 'choice', options: ['session', 'user'], fallback: 'session' }],
      [
        'paths.nodeType',
        {
          kind: 'choice',
          options: ['event', 'page_path', 'page_title', 'channel'],
          fallback: 'event',
        },
      ],
      ['paths.start', { kind: 'anchor' }],
      ['paths.end', { kind: 'anchor' }],
      ['paths.steps', { kind: 'number', min: 2, max: 6, step: 1 }],
      ['paths.topK', { kind: 'number', min: 1, max: 8, step: 1 }],
      ['paths.collapseRepeats', { kind: 'checkbox', defaultOn: true }],
      ['paths.exclude', { kind: 'events' }],
      ['paths.clean', { kind: 'clean' }],
    ]);
    const next = SECTION_DESCRIPTORS.find((d) => d.type === 'next_step');
    expect(next?.fields.find((f) => f.key === 'nextStep.stageMap')?.editor).toEqual({
      kind: 'stageMap',
    });
  });
});

describe('the editor form', () => {
  it('reads sections in the order of their form positions, skipping empty fields', () => {
    const sections = sectionsFromForm({
      'section.3.type': 'retention',
      'section.3.periods': '6',
      'section.3.period': '',
      'section.0.type': 'kpi_summary',
      'section.0.title': '  Headline  ',
      'section.1.type': 'funnel',
      'section.1.funnel.steps.0.ref': 'event:a',
      'section.1.funnel.steps.1.ref': 'goal:B',
      'section.1.funnel.steps.1.within': '1h',
      'section.1.funnel.steps.1.directly': 'on',
      'section.1.funnel.steps.2.ref': '',
      'section.1.funnel.breakdown': 'device_category',
      // What no control edits comes from the JSON box, a step's conditions by position.
      'section.1.more':
        '{"funnel": {"steps": [{"where": [{"param": "x", "op": "eq", "value": 1}]}]}}',
    });
    expect(sections).toEqual([
      { type: 'kpi_summary', title: 'Headline' },
      {
        type: 'funnel',
        funnel: {
          steps: [
            { event: 'a', where: [{ param: 'x', op: 'eq', value: 1 }] },
            { goal: 'B', within: '1h', directly: true },
          ],
          breakdown: 'device_category',
        },
      },
      { type: 'retention', periods: 6 },
    ]);
  });

  it('names the section at fault when a value cannot be read', () => {
    expect(() =>
      sectionsFromForm({
        'section.0.type': 'kpi_summary',
        'section.4.type': 'retention',
        'section.4.periods': 'six',
      }),
    ).toThrow('sections[1].periods: must be a number');
    expect(() =>
      sectionsFromForm({ 'section.0.type': 'funnel', 'section.0.more': '{steps' }),
    ).toThrow(
      'sections[0].more: the JSON does not parse at line 1, column 2: unexpected "s": expected a "quoted" field name.',
    );
    expect(() => sectionsFromForm({ 'section.0.type': 'pie_chart' })).toThrow(
      /^sections\[0\]\.type: expected one of kpi_summary, /,
    );
  });

  it('reads a fixed date range and the header fields', () => {
    const draft = draftFromForm({
      id: 'weekly',
      title: 'Weekly',
      goalEvent: 'purchase',
      goalName: '',
      dateRange: 'fixed',
      start: '2024-03-01',
      end: '2024-03-03',
      comparison: 'none',
      timeZone: 'Europe/Berlin',
      'section.0.type': 'data_quality',
    });
    expect(draft).toEqual({
      id: 'weekly',
      title: 'Weekly',
      goal: { event: 'purchase' },
      dateRange: { start: '2024-03-01', end: '2024-03-03' },
      comparison: 'none',
      timeZone: 'Europe/Berlin',
      locale: 'en-US',
      currency: 'USD',
      sections: [{ type: 'data_quality' }],
    });
  });

  it('reads the goal’s conditions and value, a saved goal, filters and segments', () => {
    const base = { id: 'r', title: 'R', dateRange: 'last_week', 'section.0.type': 'kpi_summary' };
    const draft = draftFromForm({
      ...base,
      goalEvent: 'purchase',
      'goalWhere.0.subject': 'param:currency',
      'goalWhere.0.op': 'eq',
      'goalWhere.0.value': 'USD',
      'goalWhere.1.subject': 'param:value',
      'goalWhere.1.op': 'between',
      'goalWhere.1.value': '10, 50',
      'goalWhere.2.subject': 'param:order',
      'goalWhere.2.op': 'eq',
      'goalWhere.2.value': '"42"',
      'goalWhere.3.subject': '',
      goalValue: 'param:value',
      'filters.0.subject': 'field:device.category',
      'filters.0.op': 'in',
      'filters.0.value': 'mobile, tablet',
      'segments.0.name': 'Cart users',
      'segments.0.scope': 'user',
      'segments.0.event': 'add_to_cart',
      'segments.0.where.0.subject': '',
      'segments.2.name': 'Mobile',
      'segments.2.scope': 'session',
      'segments.2.event': '',
      'segments.2.where.0.subject': 'field:device.category',
      'segments.2.where.0.op': 'eq',
      'segments.2.where.0.value': 'mobile',
      'segments.3.name': '',
      'segments.3.event': '',
      'goals.0.saved': 'Newsletter',
      'goals.1.saved': '',
      'goals.1.event': 'generate_lead',
      'goals.1.name': 'Leads',
      'goals.1.value': 'param:value',
      'goals.1.where.0.subject': 'param:form',
      'goals.1.where.0.op': 'eq',
      'goals.1.where.0.value': 'demo',
      'goals.2.saved': '',
      'goals.2.event': '',
    });
    expect(draft).toMatchObject({
      goal: {
        event: 'purchase',
        where: [
          { param: 'currency', op: 'eq', value: 'USD' },
          { param: 'value', op: 'between', values: [10, 50] },
          { param: 'order', op: 'eq', value: '42' },
        ],
        value: 'param:value',
      },
      filters: [{ field: 'device.category', op: 'in', values: ['mobile', 'tablet'] }],
    });
    // Rows keep their own conditions; blank rows say nothing.
    expect(draft.segments).toEqual([
      { name: 'Cart users', scope: 'user', event: 'add_to_cart' },
      {
        name: 'Mobile',
        scope: 'session',
        where: [{ field: 'device.category', op: 'eq', value: 'mobile' }],
      },
    ]);
    expect(draft.goals).toEqual([
      'Newsletter',
      {
        event: 'generate_lead',
        name: 'Leads',
        where: [{ param: 'form', op: 'eq', value: 'demo' }],
        value: 'param:value',
      },
    ]);
    expect(draftFromForm({ ...base, goalEvent: 'purchase', savedGoal: 'USD' }).goal).toBe('USD');
    // What the form shows of a stored definition is what it reads back.
    const shown = reportEditorView(draft, { events: [] });
    const picked = (options: { value: string; selected: boolean }[]) =>
      options.find((o) => o.selected)?.value ?? '';
    const conditions = (list: typeof shown.filters) =>
      list.flatMap((r) => [
        [r.subjectName, picked(r.subjects)],
        [r.opName, picked(r.ops)],
        [r.valueName, r.value],
      ]);
    const rows = Object.fromEntries([
      ...conditions([...shown.goalWhere, ...shown.filters]),
      ...shown.segments.flatMap((r) => [
        [r.nameName, r.nameValue],
        [r.scopeName, picked(r.scopes)],
        [r.eventName, picked(r.events)],
        ...conditions(r.where),
      ]),
      ...shown.goals.flatMap((r) => [
        [r.savedName, picked(r.saved)],
        [r.eventName, picked(r.events)],
        [r.nameName, r.nameValue],
        [r.valueName, r.value],
        ...conditions(r.where),
      ]),
    ]);
    const again = draftFromForm({ ...base, goalEvent: 'purchase', ...shown.draft, ...rows });
    expect(again.goal).toEqual(draft.goal);
    expect(again.filters).toEqual(draft.filters);
    expect(again.segments).toEqual(draft.segments);
    expect(again.goals).toEqual(draft.goals);
  });

  it('adds, removes and moves sections without touching the others', () => {
    const draft: ReportDraft = {
      goal: { event: 'purchase' },
      sections: [{ type: 'kpi_summary' }, { type: 'stages' }, { type: 'data_quality' }],
    };
    const types = (d: ReportDraft) => d.sections.map((s) => s.type);
    expect(types(applyOp(draft, 'up:2'))).toEqual(['kpi_summary', 'data_quality', 'stages']);
    expect(types(applyOp(draft, 'down:0'))).toEqual(['stages', 'kpi_summary', 'data_quality']);
    expect(types(applyOp(draft, 'up:0'))).toEqual(['kpi_summary', 'stages', 'data_quality']);
    expect(types(applyOp(draft, 'remove:1'))).toEqual(['kpi_summary', 'data_quality']);
    expect(applyOp(draft, 'add:funnel').sections[3]).toEqual({
      type: 'funnel',
      funnel: { steps: [{ event: 'page_view' }, { event: 'purchase' }] },
    });
    expect(() => applyOp(draft, 'add:pie_chart')).toThrow('add: no section type pie_chart');
    expect(types(draft)).toEqual(['kpi_summary', 'stages', 'data_quality']);
  });
});

describe('the report editor pages', () => {
  let service: RunningService;
  let auth: Record<string, string>;
  const form = (path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return fetch(`${service.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
  };
  // The templates quote attributes with ' (Handlebars escapes a ' in a value) over several
  // lines, and escapes = and &: compare with ", single spaces and those two decoded.
  const page = async (res: Response) =>
    (await res.text())
      .replaceAll("'", '"')
      .replace(/\s+/g, ' ')
      .replaceAll('&#x3D;', '=')
      .replaceAll('&amp;', '&');
  const header = {
    id: 'march-checkout',
    title: 'March checkout',
    goalEvent: 'purchase',
    goalName: 'Purchase',
    dateRange: 'fixed',
    start: RANGE.from,
    end: RANGE.to,
    comparison: 'none',
  };

  beforeAll(async () => {
    service = await startTestService({
      PATHLIGHT_BROWSER_PATH: process.env.PATHLIGHT_BROWSER_PATH ?? '/usr/bin/chromium',
    });
    auth = { Authorization: `Bearer ${service.adminToken}` };
    // A goal the funnel section names; the saved report refers to it by name.
    await call(`${service.url}/api/goals/Product view`, {
      method: 'PUT',
      headers: auth,
      body: { event: 'page_view', where: [{ param: 'page_type', op: 'eq', value: 'product' }] },
    });
  });
  afterAll(() => service.stop());

  it('offers every section type and starts with key figures', async () => {
    const res = await fetch(`${service.url}/reports/new`, { headers: auth });
    const html = await page(res);
    expect(res.status).toBe(200);
    const buttons = [...html.matchAll(/value="add:([a-z_]+)"/g)].map((m) => m[1]);
    expect(buttons).toEqual(SECTION_TYPES);
    expect(html).toContain('name="section.0.type" value="kpi_summary"');
  });

  it('adds a section with a round trip, keeping what was typed', async () => {
    const res = await form('/reports/edit', {
      ...header,
      'section.0.type': 'kpi_summary',
      'section.0.title': 'Headline',
      op: 'add:retention',
    });
    const html = await page(res);
    expect(res.status).toBe(200);
    expect(html).toContain('name="section.0.title" id="section-0-title" value="Headline"');
    expect(html).toContain('name="section.1.type" value="retention"');
    expect(html).toMatch(/name="section\.1\.periods"[^>]*min="1"[^>]*max="12"/);
    expect(html).toContain('value="March checkout"');
  });

  it('refuses a bad section option, naming it, and keeps the form', async () => {
    const res = await form('/reports/edit', {
      ...header,
      'section.0.type': 'kpi_summary',
      'section.1.type': 'retention',
      'section.1.periods': '13',
      op: 'save',
    });
    const html = await page(res);
    expect(res.status).toBe(400);
    // The error sits under the field, in plain words; the summary names the section as the page
    // counts it.
    expect(html).toContain(
      '<p class="field-error" id="error-section-1-periods" role="alert">must be 12 or less</p>',
    );
    expect(html).toContain('<a href="#error-section-1-periods">Section 2 · periods</a>');
    expect(html).toMatch(/name="section\.1\.periods"[^>]*value="13"/);
    const stored = await call(`${service.url}/api/reports/march-checkout`, { headers: auth });
    expect(stored.status).toBe(404);
  });

  it('saves sections in order, a funnel section naming its saved goal', async () => {
    const res = await form('/reports/edit', {
      ...header,
      'section.0.type': 'kpi_summary',
      'section.1.type': 'funnel',
      'section.1.title': 'Checkout',
      'section.1.funnel.steps.0.ref': 'goal:Product view',
      'section.1.funnel.steps.1.ref': 'event:add_to_cart',
      'section.1.funnel.steps.2.ref': 'event:purchase',
      'section.2.type': 'retention',
      'section.2.period': 'week',
      'section.2.periods': '4',
      op: 'save',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reports?saved=march-checkout');
    const stored = await call(`${service.url}/api/reports/march-checkout`, { headers: auth });
    expect(stored.body).toMatchObject({
      id: 'march-checkout',
      title: 'March checkout',
      goal: { event: 'purchase', name: 'Purchase' },
      dateRange: { start: RANGE.from, end: RANGE.to },
      comparison: 'none',
      sections: [
        { type: 'kpi_summary' },
        {
          type: 'funnel',
          title: 'Checkout',
          funnel: {
            // A reference: a change to the saved goal reaches the report.
            steps: [{ goal: 'Product view' }, { event: 'add_to_cart' }, { event: 'purchase' }],
          },
        },
        { type: 'retention', period: 'week', periods: 4 },
      ],
    });
    // A second "new" report with the same id does not overwrite it.
    const again = await form('/reports/edit', { ...header, 'section.0.type': 'stages' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('a report march-checkout exists already');
  });

  it('reopens a saved report with each section configured, and moves one up', async () => {
    const html = await page(
      await fetch(`${service.url}/reports/march-checkout/edit`, { headers: auth }),
    );
    expect(html).toMatch(
      /name="section\.1\.funnel\.steps\.0\.ref"(?:(?!<\/select>).)*<option value="goal:Product view" selected ?>/,
    );
    expect(html).toMatch(
      /name="section\.2\.period"[^>]*>(?:(?!<\/select>).)*<option value="week" selected ?>/,
    );
    expect(html).toContain('href="/funnel?step=goal%3AProduct+view');
    expect(html).toContain('&report=march-checkout&section=1');
    const moved = await form('/reports/edit', {
      ...header,
      storedId: 'march-checkout',
      'section.0.type': 'kpi_summary',
      'section.1.type': 'data_quality',
      'section.2.type': 'stages',
      op: 'up:2',
    });
    const shown = await page(moved);
    expect(shown.indexOf('value="stages"')).toBeLessThan(shown.indexOf('value="data_quality"'));
    expect(shown).toContain('name="storedId" value="march-checkout"');
  });

  it('previews the draft as HTML and as PDF without saving it', async () => {
    const draft = {
      ...header,
      id: 'not-saved',
      'section.0.type': 'funnel',
      'section.0.funnel.steps.0.ref': 'goal:Product view',
      'section.0.funnel.steps.1.ref': 'event:add_to_cart',
      'section.0.funnel.steps.2.ref': 'event:purchase',
    };
    const html = await form('/reports/preview', { ...draft, format: 'html' });
    expect(html.status).toBe(200);
    const text = await html.text();
    expect(text).toContain('March checkout');
    const pdf = await form('/reports/preview', { ...draft, format: 'pdf' });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await call(`${service.url}/api/reports/not-saved`, { headers: auth })).status).toBe(
      404,
    );
  });

  it('takes a funnel back from the builder into its section, with its trend and segments', async () => {
    const query = new URLSearchParams([
      ['from', RANGE.from],
      ['to', RANGE.to],
      ['step', 'event:page_view'],
      ['within', ''],
      ['step', 'event:purchase'],
      ['within', '1d'],
      ['scope', 'session'],
      ['type', 'open'],
      ['trend', 'on'],
      ['interval', 'week'],
      ['segments.0.name', 'Big orders'],
      ['segments.0.scope', 'session'],
      ['segments.0.event', 'purchase'],
      ['segments.0.where.0.subject', 'param:value'],
      ['segments.0.where.0.op', 'gte'],
      ['segments.0.where.0.value', '25'],
      ['segments.0.where.1.subject', ''],
      ['segments.0.where.1.op', 'eq'],
      ['segments.0.where.1.value', ''],
      // The blank row the builder draws to add another is no segment.
      ['segments.1.name', ''],
      ['segments.1.scope', 'user'],
      ['segments.1.event', ''],
    ]).toString();
    const res = await form('/reports/march-checkout/sections/1/funnel', { funnelQuery: query });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reports/march-checkout/edit');
    const stored = await call(`${service.url}/api/reports/march-checkout`, { headers: auth });
    expect(stored.body.sections[1]).toEqual({
      type: 'funnel',
      title: 'Checkout',
      funnel: {
        identity: 'blended',
        scope: 'session',
        type: 'open',
        breakdownLimit: 5,
        steps: [{ event: 'page_view' }, { event: 'purchase', within: '1d' }],
        trend: { interval: 'week' },
        segments: [
          {
            name: 'Big orders',
            scope: 'session',
            event: 'purchase',
            where: [{ param: 'value', op: 'gte', value: 25 }],
          },
        ],
      },
    });
    expect(stored.body.sections.map((s: { type: string }) => s.type)).toEqual([
      'kpi_summary',
      'funnel',
      'retention',
    ]);
  });

  // One bad value per section type, each posted alone: the form comes back with the value as it
  // was typed in its field, the error under it in plain words, and the rest of the draft.
  const long = 'x'.repeat(201);
  const BAD: [string, Record<string, string>, string, string, string][] = [
    ['kpi_summary', { title: long }, 'title', long, 'can have at most 200 characters'],
    ['data_quality', { title: long }, 'title', long, 'can have at most 200 characters'],
    [
      'funnel',
      {
        'funnel.steps.0.ref': 'event:page_view',
        'funnel.steps.1.ref': 'event:purchase',
        'funnel.steps.1.within': 'soon',
      },
      'funnel.steps.1.within',
      'soon',
      'expected a duration like 30m, 2h, 7d',
    ],
    [
      'trended_funnel',
      { 'funnel.steps.0.ref': 'event:page_view', 'funnel.window': '2h' },
      'funnel.steps',
      '',
      'expected 2 to 20 steps',
    ],
    ['stages', { title: long }, 'title', long, 'can have at most 200 characters'],
    ['journey_map', { minSupport: '0' }, 'minSupport', '0', 'must be 1 or more'],
    ['journey_sankey', { 'paths.steps': '9' }, 'paths.steps', '9', 'expected 2 to 6 steps'],
    ['next_step', { nodes: '30', 'nextStep.top': '3' }, 'nodes', '30', 'expected 1 to 20'],
    ['retention', { periods: 'six' }, 'periods', 'six', 'must be a number'],
    ['attribution_table', { lookback: '120d' }, 'lookback', '120d', 'expected at most 90d'],
    [
      'touchpoint_value',
      { lookback: 'forever' },
      'lookback',
      'forever',
      'expected a duration like 30m, 2h, 7d',
    ],
    ['conversion_paths', { top: '0' }, 'top', '0', 'must be 1 or more'],
    [
      'journey_sankey',
      { more: '{"paths": {"clean": [{"pattern": "(", }]}}' },
      'more',
      '{&quot;paths&quot;: {&quot;clean&quot;: [{&quot;pattern&quot;: &quot;(&quot;, }]}}',
      'the JSON does not parse at line 1, column 39: a comma before } (remove it). What you typed is kept below.',
    ],
  ];
  it.each(BAD)(
    'keeps the draft and names the bad value of a %s section',
    async (type, values, key, kept, message) => {
      const sectionFields = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [`section.1.${k}`, v]),
      );
      const res = await form('/reports/edit', {
        ...header,
        id: 'bad-values',
        'section.0.type': 'kpi_summary',
        'section.0.title': 'Headline',
        'section.1.type': type,
        ...sectionFields,
        op: 'save',
      });
      const html = await page(res);
      expect(res.status).toBe(400);
      const name = `section.1.${key}`;
      const id = `error-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;
      expect(html).toContain(`<p class="field-error" id="${id}" role="alert">${message}</p>`);
      expect(html).toContain(`<a href="#${id}">Section 2 · `);
      if (kept && key !== 'more')
        expect(html).toMatch(
          new RegExp(`name="${name.replaceAll('.', '\\.')}"[^>]*value="${kept}"`),
        );
      if (key === 'more') expect(html).toContain(`>${kept}</textarea>`);
      // Everything else typed is still there.
      expect(html).toContain('value="March checkout"');
      expect(html).toContain('name="section.0.title" id="section-0-title" value="Headline"');
      for (const [k, v] of Object.entries(values))
        if (k !== key && !k.endsWith('.ref') && k !== 'more')
          expect(html).toMatch(
            new RegExp(`name="section\\.1\\.${k.replaceAll('.', '\\.')}"[^>]*value="${v}"`),
          );
      expect((await call(`${service.url}/api/reports/bad-values`, { headers: auth })).status).toBe(
        404,
      );
    },
  );

  it('saves every section type from its controls alone', async () => {
    const res = await form('/reports/edit', {
      ...header,
      id: 'all-sections',
      'goalWhere.0.subject': 'param:currency',
      'goalWhere.0.op': 'eq',
      'goalWhere.0.value': 'USD',
      'filters.0.subject': 'field:device.category',
      'filters.0.op': 'neq',
      'filters.0.value': 'tablet',
      'section.0.type': 'kpi_summary',
      'section.1.type': 'trended_funnel',
      'section.1.funnel.steps.0.ref': 'goal:Product view',
      'section.1.funnel.steps.1.ref': 'event:purchase',
      'section.1.funnel.steps.1.within': '1d',
      'section.1.funnel.scope': 'session',
      'section.1.interval': 'week',
      'section.2.type': 'journey_sankey',
      'section.2.paths.start': 'goal:Product view',
      'section.2.paths.nodeType': 'event',
      'section.2.paths.steps': '3',
      'section.2.paths.collapseRepeats': ['off'],
      'section.2.paths.exclude': ['view_item', 'add_to_cart'],
      'section.3.type': 'next_step',
      'section.3.nodes': '5',
      'section.3.nextStep.goal': 'event:purchase',
      'section.3.nextStep.nodeType': 'event',
      'section.3.nextStep.minSupport': '1',
      'section.3.nextStep.collapseRepeats': ['off', 'on'],
      'section.4.type': 'conversion_paths',
      'section.4.touchpoint': 'source_medium',
      'section.4.lookback': '14d',
      'section.4.top': '5',
      'section.5.type': 'journey_map',
      'section.5.minSupport': '2',
      op: 'save',
    });
    expect(res.status).toBe(303);
    const stored = await call(`${service.url}/api/reports/all-sections`, { headers: auth });
    expect(stored.body).toMatchObject({
      goal: { event: 'purchase', where: [{ param: 'currency', op: 'eq', value: 'USD' }] },
      filters: [{ field: 'device.category', op: 'neq', value: 'tablet' }],
      sections: [
        { type: 'kpi_summary' },
        {
          type: 'trended_funnel',
          interval: 'week',
          funnel: {
            scope: 'session',
            steps: [{ goal: 'Product view' }, { event: 'purchase', within: '1d' }],
          },
        },
        {
          type: 'journey_sankey',
          paths: {
            start: { goal: 'Product view' },
            nodeType: 'event',
            steps: 3,
            collapseRepeats: false,
            exclude: ['view_item', 'add_to_cart'],
          },
        },
        {
          type: 'next_step',
          nodes: 5,
          nextStep: { goal: 'purchase', nodeType: 'event', minSupport: 1, collapseRepeats: true },
        },
        { type: 'conversion_paths', touchpoint: 'source_medium', lookback: '14d', top: 5 },
        { type: 'journey_map', minSupport: 2 },
      ],
    });
    // Reopened, the form shows what was saved in its controls.
    const html = await page(
      await fetch(`${service.url}/reports/all-sections/edit`, { headers: auth }),
    );
    expect(html).toMatch(
      /name="section\.2\.paths\.start"(?:(?!<\/select>).)*<option value="goal:Product view" selected ?>/,
    );
    expect(html).toMatch(
      /name="section\.3\.nextStep\.goal"(?:(?!<\/select>).)*<option value="event:purchase" selected ?>/,
    );
    expect(html).toMatch(/name="filters\.0\.value" value="tablet"/);
    await form('/reports/all-sections/delete', {});
  });

  it('answers every malformed value the form can send with the form again, never a 500', async () => {
    // Every field of a form holding one section of each type, as the page names them.
    const draft: ReportDraft = {
      goal: { event: 'purchase', where: [{ param: 'currency', op: 'eq', value: 'USD' }] },
      filters: [{ field: 'device.category', op: 'eq', value: 'mobile' }],
      sections: SECTION_TYPES.map((type) => ({ type })),
    };
    const names = reportEditorView(draft, { events: ['purchase'] }).fieldNames.filter(
      (n) => !n.endsWith('.type'),
    );
    expect(names.length).toBeGreaterThan(80);
    const nasty = [
      '',
      ' ',
      'x'.repeat(5000),
      '{',
      '-1',
      '1e400',
      '<script>alert(1)</script>',
      'event:',
      'goal:no such goal',
      '__proto__:x',
      'NaN',
      '[]',
    ];
    const base = {
      id: 'fuzz',
      title: 'Fuzz',
      goalEvent: 'purchase',
      dateRange: 'fixed',
      start: RANGE.from,
      end: RANGE.to,
      ...Object.fromEntries(SECTION_TYPES.map((type, i) => [`section.${i}.type`, type])),
    };
    const statuses = new Set<number>();
    // All fields at once with one bad value (a long one would pass the body's size limit), then
    // each field alone with a bad value in turn.
    for (const value of nasty.filter((v) => v.length < 100)) {
      const res = await form('/reports/edit', {
        ...base,
        ...Object.fromEntries(names.map((n) => [n, value])),
        op: 'save',
      });
      statuses.add(res.status);
      await res.arrayBuffer();
    }
    for (const [i, name] of names.entries()) {
      const res = await form('/reports/edit', {
        ...base,
        [name]: [nasty[i % nasty.length]!, nasty[(i + 3) % nasty.length]!],
        op: 'save',
      });
      statuses.add(res.status);
      await res.arrayBuffer();
    }
    expect([...statuses].filter((st) => st !== 400 && st !== 303)).toEqual([]);
    await form('/reports/fuzz/delete', {});
  });

  it('opens what Explore sends with every option in a control, the JSON box empty', async () => {
    const sent = [
      {
        type: 'journey_sankey',
        more: JSON.stringify({
          paths: { scope: 'session', nodeType: 'event', steps: 4, start: { goal: 'Product view' } },
        }),
      },
      {
        type: 'next_step',
        nodes: '20',
        more: JSON.stringify({ nextStep: { scope: 'session', nodeType: 'event', minSupport: 1 } }),
      },
      { type: 'attribution_table', touchpoint: 'channel', lookback: '30d' },
    ];
    for (const section of sent) {
      const fields = Object.fromEntries(
        Object.entries(section).map(([k, v]) => [`section.0.${k}`, v]),
      );
      const html = await page(
        await form('/reports/edit', { ...header, id: '', ...fields, op: 'open' }),
      );
      expect(html).toMatch(/name="section\.0\.more"[^>]*><\/textarea>/);
      expect(html).not.toContain('<details class="section-more" open');
    }
  });

  it("saves trend, time to convert, an anchor's conditions, cleaning rules and stages from their controls, and removes a row without script", async () => {
    const fields = {
      ...header,
      id: 'options',
      'section.0.type': 'funnel',
      'section.0.funnel.steps.0.ref': 'event:page_view',
      'section.0.funnel.steps.0.where.0.subject': 'param:page_type',
      'section.0.funnel.steps.0.where.0.op': 'eq',
      'section.0.funnel.steps.0.where.0.value': 'product',
      'section.0.funnel.steps.1.ref': 'event:add_to_cart',
      'section.0.funnel.steps.1.where.0.subject': 'param:currency',
      'section.0.funnel.steps.1.where.0.op': 'eq',
      'section.0.funnel.steps.1.where.0.value': 'EUR',
      'section.0.funnel.steps.2.ref': 'event:purchase',
      'section.0.funnel.steps.2.where.0.subject': 'param:value',
      'section.0.funnel.steps.2.where.0.op': 'gte',
      'section.0.funnel.steps.2.where.0.value': '10',
      'section.0.funnel.trend': 'on',
      'section.0.funnel.trend.interval': 'week',
      'section.0.funnel.timeToConvert': 'on',
      'section.0.funnel.timeToConvert.toStep': '2',
      'section.1.type': 'journey_sankey',
      'section.1.paths.nodeType': 'page_path',
      'section.1.paths.start': 'event:page_view',
      'section.1.paths.start.where.0.subject': 'param:page_type',
      'section.1.paths.start.where.0.op': 'eq',
      'section.1.paths.start.where.0.value': 'product',
      'section.1.paths.clean.0.pattern': '/product/\\d+',
      'section.1.paths.clean.0.replace': '/product/:id',
      'section.1.paths.clean.1.pattern': '',
      'section.1.paths.clean.1.replace': '',
      'section.2.type': 'next_step',
      'section.2.nextStep.nodeType': 'stage',
      'section.2.nextStep.stageMap.stages.0.name': 'Browse',
      'section.2.nextStep.stageMap.stages.0.events': ['page_view', 'view_item'],
      'section.2.nextStep.stageMap.stages.1.name': 'Buy',
      'section.2.nextStep.stageMap.stages.1.events': 'purchase',
    };
    // The middle step's remove button: the third step moves up with its own condition.
    const dropped = await page(
      await form('/reports/edit', { ...fields, op: 'drop:section.0.funnel.steps.1' }),
    );
    expect(dropped).toMatch(
      /name="section\.0\.funnel\.steps\.1\.ref"(?:(?!<\/select>).)*<option value="event:purchase" selected ?>/,
    );
    expect(dropped).toContain('name="section.0.funnel.steps.1.where.0.value" value="10"');
    expect(dropped).toContain('name="section.0.funnel.steps.0.where.0.value" value="product"');
    expect(dropped).not.toContain('value="EUR"');
    const res = await form('/reports/edit', fields);
    expect(res.status).toBe(303);
    const stored = await call(`${service.url}/api/reports/options`, { headers: auth });
    const cond = (param: string, op: string, value: string | number) => [{ param, op, value }];
    expect(stored.body.sections[0].funnel).toMatchObject({
      steps: [
        { event: 'page_view', where: cond('page_type', 'eq', 'product') },
        { event: 'add_to_cart', where: cond('currency', 'eq', 'EUR') },
        { event: 'purchase', where: cond('value', 'gte', 10) },
      ],
      trend: { interval: 'week' },
      timeToConvert: { toStep: 2 },
    });
    expect(stored.body.sections[1].paths.start).toEqual({
      event: 'page_view',
      where: cond('page_type', 'eq', 'product'),
    });
    expect(stored.body.sections[1].paths.clean).toEqual([
      { pattern: '/product/\\d+', replace: '/product/:id' },
    ]);
    expect(stored.body.sections[2].nextStep.stageMap).toEqual({
      stages: [
        {
          name: 'Browse',
          rules: [
            { event: 'page_view', occurrence: 1 },
            { event: 'view_item', occurrence: 1 },
          ],
        },
        { name: 'Buy', rules: [{ event: 'purchase', occurrence: 1 }] },
      ],
    });
    const html = await page(await fetch(`${service.url}/reports/options/edit`, { headers: auth }));
    for (const i of [0, 1, 2])
      expect(html).toMatch(new RegExp(`name="section\\.${i}\\.more"[^>]*><\\/textarea>`));
    expect(html).toMatch(/name="section\.0\.funnel\.trend" value="on" class="group-on" checked/);
    expect(html).toContain('name="section.1.paths.clean.0.replace" value="/product/:id"');
    expect(html).toContain('name="section.1.paths.start.where.0.value" value="product"');
    expect(html).toContain('name="section.2.nextStep.stageMap.stages.1.name" value="Buy"');
    await form('/reports/options/delete', {});
  });

  it('deletes a report', async () => {
    const res = await form('/reports/march-checkout/delete', {});
    expect(res.status).toBe(303);
    expect(
      (await call(`${service.url}/api/reports/march-checkout`, { headers: auth })).status,
    ).toBe(404);
  });
});
