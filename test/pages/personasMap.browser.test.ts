import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../http/support/testApp.js';
import { createEventsDb } from '../support/loadRows.js';
import { MAP_ROWS, MAP_STAGES } from '../map/mapFixture.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';

// The hand-worked map of test/map/mapFixture.ts: six users on 2020-11-01. u1, u2, u3 are mobile;
// u1, u2, u5 searched. Mobile and Searchers share u1 and u2: 2 users in both, 2 of the 4 users the
// two personas hold together (50.0%).
const DAY = '2020-11-01';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ PATHLIGHT_DUCKDB_FILE: await createEventsDb({ '20201101': MAP_ROWS }) });
  await signIn(h);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

async function submit(selector: string) {
  await Promise.all([h.page.waitForNavigation(), h.page.click(selector)]);
}
const text = (selector: string) =>
  h.page.$eval(selector, (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
const valueOf = (selector: string) =>
  h.page.$eval(selector, (e) => (e as HTMLInputElement | HTMLTextAreaElement).value);
/** A date input takes its value as set, not as typed (typing follows the browser's locale). */
const setDate = (selector: string, value: string) =>
  h.page.$eval(selector, (e, v) => ((e as HTMLInputElement).value = v), value);
async function fill(selector: string, value: string) {
  await h.page.$eval(selector, (e) => ((e as HTMLInputElement).value = ''));
  await h.page.type(selector, value);
}
const F = '#persona-form';
const M = '#map-form';

describe('the personas page in a real browser', () => {
  it('says a persona needs a condition, keeping what was typed', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/personas`);
    await page.type(`${F} input[name="name"]`, 'Mobile');
    await page.type(`${F} input[name="description"]`, 'First seen on a phone');
    await submit(`${F} button[type="submit"]`);
    expect(await text('p.error[role="alert"]')).toBe(
      'Fill in at least one condition: a channel, a source, a device, a place, a user property or a behaviour.',
    );
    expect(await valueOf(`${F} input[name="name"]`)).toBe('Mobile');
    expect(await valueOf(`${F} input[name="description"]`)).toBe('First seen on a phone');
  });

  it('names a count that is not a number on its field, every box and list kept', async () => {
    const { page } = h;
    await page.click(`${F} input[name="device.category"][value="mobile"]`);
    await page.click(`${F} input[name="firstTouch.channel"][value="Organic Search"]`);
    await page.type(`${F} input[name="geo.country"]`, 'Germany, Austria');
    await page.type(`${F} input[name="behaviour.did.0.event"]`, 'view_search_results');
    await page.type(`${F} input[name="behaviour.did.0.atLeast"]`, 'two');
    await submit(`${F} button[type="submit"]`);
    expect(await fieldErrorOf(page, F, 'behaviour.did.0.atLeast')).toBe(
      'must be a whole number, like 2',
    );
    expect(
      await page.$$eval(`${F} input[type="checkbox"]:checked`, (l) =>
        l.map((i) => (i as HTMLInputElement).value),
      ),
    ).toEqual(['Organic Search', 'mobile']);
    expect(await valueOf(`${F} input[name="geo.country"]`)).toBe('Germany, Austria');
    expect(await valueOf(`${F} input[name="behaviour.did.0.event"]`)).toBe('view_search_results');
    await shots(page, '60-personas-count-error');
  });

  it('names a user property compared with words on its value field', async () => {
    const { page } = h;
    await fill(`${F} input[name="behaviour.did.0.atLeast"]`, '1');
    await page.type(`${F} input[name="userProperties.0.key"]`, 'plan');
    await page.select(`${F} select[name="userProperties.0.op"]`, 'gt');
    await page.type(`${F} input[name="userProperties.0.value"]`, 'lots');
    await submit(`${F} button[type="submit"]`);
    expect(await fieldErrorOf(page, F, 'userProperties.0.value')).toBe(
      '“more than” compares numbers: write a number',
    );
    expect(await valueOf(`${F} select[name="userProperties.0.op"]`)).toBe('gt');
    expect(await valueOf(`${F} input[name="userProperties.0.value"]`)).toBe('lots');
  });

  it('refuses a name with a slash on the name field', async () => {
    const { page } = h;
    await fill(`${F} input[name="userProperties.0.key"]`, '');
    await fill(`${F} input[name="userProperties.0.value"]`, '');
    await fill(`${F} input[name="name"]`, 'Mobile/phones');
    await submit(`${F} button[type="submit"]`);
    expect(await fieldErrorOf(page, F, 'name')).toBe(
      'expected 1 to 60 letters, digits, spaces, _ . -',
    );
  });

  it('saves personas, then counts each one and says how many are in more than one', async () => {
    const { page, service } = h;
    // Down to the device alone: the Mobile persona.
    await fill(`${F} input[name="name"]`, 'Mobile');
    await page.click(`${F} input[name="firstTouch.channel"][value="Organic Search"]`);
    await fill(`${F} input[name="geo.country"]`, '');
    await fill(`${F} input[name="behaviour.did.0.event"]`, '');
    await fill(`${F} input[name="behaviour.did.0.atLeast"]`, '');
    await submit(`${F} button[type="submit"]`);
    expect(await text('#toast')).toBe('Persona Mobile saved.');
    await page.goto(`${service.url}/personas`);
    await page.type(`${F} input[name="name"]`, 'Searchers');
    await page.type(`${F} input[name="behaviour.did.0.event"]`, 'view_search_results');
    await submit(`${F} button[type="submit"]`);
    await page.goto(`${service.url}/personas`);
    await page.type(`${F} input[name="name"]`, 'Pro plan');
    await page.type(`${F} input[name="userProperties.0.key"]`, 'plan');
    await page.type(`${F} input[name="userProperties.0.value"]`, 'pro');
    await submit(`${F} button[type="submit"]`);
    const saved = await call(`${service.url}/api/personas`, { headers: h.auth });
    expect(saved.body.personas).toEqual([
      {
        name: 'Mobile',
        description: 'First seen on a phone',
        device: { category: ['mobile'] },
      },
      {
        name: 'Pro plan',
        description: '',
        userProperties: [{ key: 'plan', op: 'eq', value: 'pro' }],
      },
      {
        name: 'Searchers',
        description: '',
        behaviour: { did: [{ event: 'view_search_results', atLeast: 1 }] },
      },
    ]);
    // Counting runs on request: the list opens without it.
    expect(await text('#personas tr[data-persona="Mobile"] td.users')).toBe('–');
    await setDate('#persona-range input[name="from"]', DAY);
    await setDate('#persona-range input[name="to"]', DAY);
    await submit('#persona-range button[type="submit"]');
    const rows = await page.$$eval('#personas tbody tr', (trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td')]
          .slice(0, 5)
          .map((td) => td.innerText.replace(/\s+/g, ' ').trim()),
      ),
    );
    // Pro plan: u4 alone, in no other persona. Mobile u1 u2 u3, Searchers u1 u2 u5.
    expect(rows).toEqual([
      ['Mobile First seen on a phone', 'device mobile', '3', '50.0%', '2'],
      ['Pro plan', 'plan is pro', '1', '16.7%', '0'],
      ['Searchers', 'did view_search_results at least 1×', '3', '50.0%', '2'],
    ]);
    // Users once: 3 + 1 + 3 = 7 memberships, 2 users counted twice, 5 users; 2 of 5 in several.
    expect(await text('#persona-overlap')).toBe(
      "2 users (40.0% of the personas' users) are in more than one persona.",
    );
    await shots(page, '61-personas-list');
  });

  it('edits a persona in place and deletes another', async () => {
    const { page, service } = h;
    await submit('tr[data-persona="Pro plan"] a.edit-persona');
    expect(await valueOf(`${F} input[name="userProperties.0.value"]`)).toBe('pro');
    await fill(`${F} input[name="description"]`, 'Paying for the pro plan');
    await submit(`${F} button[type="submit"]`);
    const one = await call(`${service.url}/api/personas/Pro%20plan`, { headers: h.auth });
    expect(one.body.description).toBe('Paying for the pro plan');
    page.once('dialog', (d) => void d.accept());
    await submit('tr[data-persona="Pro plan"] .delete-persona button');
    expect(await page.$('tr[data-persona="Pro plan"]')).toBeNull();
    const gone = await call(`${service.url}/api/personas/Pro%20plan`, { headers: h.auth });
    expect(gone.status).toBe(404);
  });
});

describe('the journey map page in a real browser', () => {
  it('names a stage map that does not parse, keeping its text', async () => {
    const { page, service } = h;
    await page.goto(`${service.url}/map`);
    await setDate(`${M} input[name="from"]`, DAY);
    await setDate(`${M} input[name="to"]`, DAY);
    await page.click(`${M} input[name="stages"][value="custom"]`);
    const broken = '{"stages": [\n  {"name": "Visit", "rules": [{"event": "session_start"}]},\n]}';
    await fill(`${M} textarea[name="stageMap"]`, broken);
    await submit(`${M} button[type="submit"]`);
    expect(await fieldErrorOf(page, M, 'stageMap')).toBe(
      'the JSON does not parse at line 3, column 1: a comma before ] (remove it). What you typed is kept above.',
    );
    expect(await valueOf(`${M} textarea[name="stageMap"]`)).toBe(broken);
    await shots(page, '62-map-stage-map-error');
  });

  it('names a one-stage map, a count in words and a date that is none on their fields', async () => {
    const { page } = h;
    await fill(
      `${M} textarea[name="stageMap"]`,
      '{"stages": [{"name": "Visit", "rules": [{"event": "session_start"}]}]}',
    );
    await submit(`${M} button[type="submit"]`);
    expect(await fieldErrorOf(page, M, 'stageMap')).toBe('expected 2 to 10 stages');
    await fill(`${M} textarea[name="stageMap"]`, JSON.stringify(MAP_STAGES));
    await fill(`${M} input[name="minSupport"]`, 'many');
    await submit(`${M} button[type="submit"]`);
    expect(await fieldErrorOf(page, M, 'minSupport')).toBe('must be a whole number, like 30');
    await fill(`${M} input[name="minSupport"]`, '2');
    // A browser's date picker sends only real dates; a link or an older browser may not.
    const url = new URL(page.url());
    url.searchParams.set('to', '2020-11-31');
    url.searchParams.set('minSupport', '2');
    await page.goto(url.toString());
    expect(await fieldErrorOf(page, M, 'to')).toBe('2020-11-31 is not a date; use YYYY-MM-DD');
    expect(await valueOf(`${M} input[name="minSupport"]`)).toBe('2');
  });

  it('draws the map for two personas with its table, moments of truth and SQL', async () => {
    const { page } = h;
    await setDate(`${M} input[name="to"]`, DAY);
    await page.click(`${M} input[name="persona"][value="Mobile"]`);
    await page.click(`${M} input[name="persona"][value="Searchers"]`);
    await submit(`${M} button[type="submit"]`);
    expect(await page.$$eval('#map-chart svg', (l) => l.length)).toBe(1);
    expect(
      await page.$eval('#map-chart svg', (s) => s.getBoundingClientRect().width),
    ).toBeGreaterThan(600);
    const who = (lane: string) =>
      page.$$eval(`table[data-lane="${lane}"] td.who-cell`, (tds) =>
        tds.map((td) => td.getAttribute('data-users')),
      );
    // As worked in test/map/map.cases.test.ts: all users 6, 4, 4; Mobile u1-u3 everywhere;
    // Searchers u1 u2 u5 visit, u1 u2 go on.
    expect(await who('All users')).toEqual(['6', '4', '4']);
    expect(await who('Mobile')).toEqual(['3', '3', '3']);
    expect(await who('Searchers')).toEqual(['3', '2', '2']);
    // The interval -0.0586..0.9385 shown to one decimal of a percent.
    expect(
      await h.page.$$eval(
        'table[data-lane="All users"] tr[data-stage="Visit"] td.moments div',
        (l) => l.map((d) => d.textContent),
      ),
    ).toEqual([
      '▲ event view_search_results: 66.7% of 3 who did it vs 0.0% of 3 who did not (95% -5.9% to 93.8%)',
      '▲ searched shoes: 66.7% of 3 who did it vs 0.0% of 3 who did not (95% -5.9% to 93.8%)',
      '▼ event page_view: 0.0% of 2 who did it vs 50.0% of 4 who did not (95% -85.0% to 24.5%)',
    ]);
    expect(await text('#map-overlap')).toBe(
      "2 users (50.0% of the personas' users) are in more than one persona.",
    );
    expect(await text('#lane-1')).toBe(
      'Mobile 3 users (50.0% of all), 2 reached the goal; 2 also in another persona',
    );
    expect(await text('#map-sql summary')).toBe('Show SQL');
    expect(await text('#map-sql pre.sql')).toContain('WITH');
    // The report's map uses the default stages: with stages of one's own, it says so.
    expect(await page.$('#open-in-report')).toBeNull();
    await shots(page, '63-map-two-personas');
  });

  it('opens the map with the default stages in a new report', async () => {
    const { page } = h;
    await page.click(`${M} input[name="stages"][value="default"]`);
    await submit(`${M} button[type="submit"]`);
    expect(await page.$$eval('table.lane-table', (l) => l.length)).toBe(3);
    await submit('#open-in-report button[type="submit"]');
    expect(page.url()).toMatch(/\/reports\/edit$/);
    expect(
      await page.$$eval('select[name="section.0.personas"] option:checked', (o) =>
        o.map((x) => (x as HTMLOptionElement).value),
      ),
    ).toEqual(['Mobile', 'Searchers']);
    expect(await valueOf('input[name="title"]')).toBe('Customer journey map');
    expect(await valueOf('input[name="start"]')).toBe(DAY);
  });

  it('says so for a persona nobody matches instead of drawing zeros', async () => {
    const { page, service } = h;
    const put = await call(`${service.url}/api/personas/Nobody`, {
      method: 'PUT',
      headers: h.auth,
      body: { geo: { country: ['Atlantis'] } },
    });
    expect(put.status).toBe(201);
    await page.goto(`${service.url}/map?run=1&from=${DAY}&to=${DAY}&persona=Nobody`);
    expect(await text('.lane-empty')).toBe(
      'No users match this persona in the range, so there is nothing to map.',
    );
    expect(await page.$$eval('table.lane-table', (l) => l.length)).toBe(1);
  });

  it('refuses five personas on the persona boxes, keeping them ticked', async () => {
    const { page, service } = h;
    for (const name of ['Tablet', 'Desktop']) {
      const put = await call(`${service.url}/api/personas/${name}`, {
        method: 'PUT',
        headers: h.auth,
        body: { device: { category: [name.toLowerCase()] } },
      });
      expect(put.status).toBe(201);
    }
    const five = ['Desktop', 'Mobile', 'Nobody', 'Searchers', 'Tablet'];
    await page.goto(
      `${service.url}/map?run=1&from=${DAY}&to=${DAY}&${five.map((p) => `persona=${p}`).join('&')}`,
    );
    expect(await fieldErrorOf(page, M, 'persona')).toBe('pick at most 4 personas (5 are ticked)');
    expect(
      await page.$$eval(`${M} input[name="persona"]:checked`, (l) =>
        l.map((i) => (i as HTMLInputElement).value),
      ),
    ).toEqual(five);
    expect(await page.$('#map-result')).toBeNull();
    await shots(page, '64-map-too-many-personas');
  });
});
