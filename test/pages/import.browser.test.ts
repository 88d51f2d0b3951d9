import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANGE } from './pagesFixture.js';
import { fieldErrorOf, shots, signIn, startHarness, type Harness } from './pagesHarness.js';

let h: Harness;
const folder = mkdtempSync(join(tmpdir(), 'pathlight-upload-test-'));
beforeAll(async () => {
  h = await startHarness();
  await signIn(h);
});
afterAll(async () => {
  await h?.stop();
});

function csv(name: string, lines: string[]): string {
  const file = join(folder, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// 2024-03-01 10:00 and 2024-03-02 11:00 UTC in microseconds, inside the fixture's two days.
const OFFLINE_HEADER = 'client_id,user_id,timestamp_micros,event_name,event_param.value';
const OFFLINE = [
  OFFLINE_HEADER,
  'u1,,1709287200000000,store_visit,',
  'u4,,1709377200000000,store_visit,',
  ',crm-7,1709377200000000,phone_call,12',
];
const COST_HEADER =
  'date,utm_source,utm_medium,utm_id,utm_campaign,impressions,clicks,cost,currency';
const COSTS = [
  COST_HEADER,
  '2024-03-01,google,cpc,111,Spring,1000,50,25.50,EUR',
  '2024-03-02,google,cpc,111,Spring,900,40,20,EUR',
];

async function upload(form: string, files: string[]) {
  const { page } = h;
  await page.goto(`${h.service.url}/import`);
  const input = (await page.$(`${form} input[type="file"]`)) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(...files);
  await Promise.all([page.waitForNavigation(), page.click(`${form} button[type="submit"]`)]);
}
/** The results table as text cells, row by row. */
const results = () =>
  h.page.$$eval('#results tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
  );
const headers = () =>
  h.page.$$eval('#results thead th', (cells) => cells.map((c) => (c.textContent ?? '').trim()));
/** Events of one name on the events page over the fixture's days. */
async function eventCount(name: string): Promise<string | null> {
  await h.page.goto(`${h.service.url}/events?from=${RANGE.from}&to=${RANGE.to}`);
  return h.page.$$eval(
    `#events tr[data-event="${name}"] td.num`,
    (cells) => cells[0]?.textContent?.trim() ?? null,
  );
}

describe('the import page in a real browser', () => {
  it('is in the menu', async () => {
    await h.page.goto(`${h.service.url}/import`);
    expect(await h.page.$eval('nav a[href="/import"]', (a) => a.getAttribute('aria-current'))).toBe(
      'page',
    );
    await shots(h.page, '60-import-empty');
  });

  it('refuses a file with a bad timestamp on its field, naming file, line and column; imports nothing from any file', async () => {
    const good = csv('store.csv', OFFLINE);
    const bad = csv('calls.csv', [
      OFFLINE_HEADER,
      'u2,,1709287200000000,phone_call,',
      'u3,,2024-03-01 10:00,phone_call,',
    ]);
    await upload('#offline-form', [good, bad]);
    expect(await fieldErrorOf(h.page, '#offline-form', 'offlineFiles')).toBe(
      'calls.csv line 3, column 3 (timestamp_micros): expected microseconds since 1970 (16 digits, years 2000 to 2099), got "2024-03-01 10:00". Nothing was imported: correct the file and upload it again.',
    );
    expect(await h.page.$('#results')).toBeNull();
    await shots(h.page, '61-import-offline-error');
    // Neither file's rows are there: the good one was checked, not written.
    expect(await eventCount('store_visit')).toBeNull();
    expect(await eventCount('phone_call')).toBeNull();
  });

  it('imports a good offline file, and the pages read it at once', async () => {
    await upload('#offline-form', [csv('store.csv', OFFLINE)]);
    expect(await headers()).toEqual(['File', 'Rows', 'New', 'Already imported']);
    expect(await results()).toEqual([['store.csv', '3', '3', '0']]);
    await shots(h.page, '62-import-offline-done');
    expect(await eventCount('store_visit')).toBe('2');
    expect(await eventCount('phone_call')).toBe('1');
  });

  it('uploading the same file again changes nothing', async () => {
    await upload('#offline-form', [csv('store.csv', OFFLINE)]);
    expect(await results()).toEqual([['store.csv', '3', '0', '3']]);
    expect(await eventCount('store_visit')).toBe('2');
  });

  it('imports ad costs, and the same file again replaces its days', async () => {
    const file = csv('costs.csv', COSTS);
    await upload('#costs-form', [file]);
    expect(await headers()).toEqual(['File', 'Rows', 'New', 'Replaced']);
    expect(await results()).toEqual([['costs.csv', '2', '2', '0']]);
    await shots(h.page, '63-import-costs-done');
    await upload('#costs-form', [file]);
    expect(await results()).toEqual([['costs.csv', '2', '0', '2']]);
  });

  it('refuses a cost file with a cost that is not a number, on its field', async () => {
    const bad = csv('march.csv', [COST_HEADER, '2024-03-03,google,cpc,111,Spring,10,1,12 EUR,EUR']);
    await upload('#costs-form', [bad]);
    expect(await fieldErrorOf(h.page, '#costs-form', 'costFiles')).toBe(
      'march.csv line 2, column 8 (cost): expected a number of at least 0, got "12 EUR". Nothing was imported: correct the file and upload it again.',
    );
    // The offline form keeps no stale error.
    expect(await fieldErrorOf(h.page, '#offline-form', 'offlineFiles')).toBe('');
    await shots(h.page, '64-import-costs-error');
  });

  it('asks for a file when none was chosen', async () => {
    const { page } = h;
    await page.goto(`${h.service.url}/import`);
    // The browser would stop an empty required field; the service must say so too.
    await page.$eval('#costs-form', (f) => ((f as HTMLFormElement).noValidate = true));
    await Promise.all([page.waitForNavigation(), page.click('#costs-form button[type="submit"]')]);
    expect(await fieldErrorOf(page, '#costs-form', 'costFiles')).toBe(
      'choose at least one CSV file',
    );
  });

  it('refuses an upload past the size cap before reading it as a form', async () => {
    const boundary = 'x1234';
    const big = Buffer.alloc(21 * 1024 * 1024, 'a');
    const res = await fetch(`${h.service.url}/import/costs`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        Accept: 'application/json',
        ...h.auth,
      },
      body: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="costFiles"; filename="big.csv"\r\n\r\n`,
        ),
        big,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'files: the upload is larger than 20 MB; import the files a few at a time',
        field: 'files',
      },
    });
  });
});
