import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { reportLinksRouter } from '../../src/http/routes/reportLinks.js';
import { storedReportDefinition } from '../../src/app/storedDefinitions.js';
import { ensureLinkKeyFile } from '../../src/links/linkKeyFile.js';
import { verifyLink } from '../../src/links/linkToken.js';
import { openPglite } from '../../src/store/pgliteDb.js';
import type { StoreDb } from '../../src/store/storeDb.js';
import { eventsDb } from '../http/support/eventsFixture.js';
import { freshPgliteDir } from '../support/pgliteTemplate.js';
import { runCli } from '../support/runCli.js';

// `pathlight link` and `pathlight rotate-link-key` on the embedded default (PGlite store and key
// file in the data dir), then the links they print opened through the link router on that store.
const dir = mkdtempSync(join(tmpdir(), 'pathlight-link-'));
await freshPgliteDir(join(dir, 'store'));
const env = { PATHLIGHT_DATA_DIR: dir, PATHLIGHT_PUBLIC_URL: 'https://reports.example.com/' };
const file = join(dir, 'shop.json');
writeFileSync(
  file,
  JSON.stringify({
    id: 'shop',
    title: 'Shop',
    goal: { event: 'purchase' },
    dateRange: 'last_7_days',
    comparison: 'none',
    sections: [{ type: 'kpi_summary' }],
  }),
);

let engine: DuckdbEngine;
beforeAll(async () => {
  engine = await DuckdbEngine.open(await eventsDb());
});
afterAll(async () => {
  await engine?.close();
});

/** The link router on the CLI's store, with the keys the key file holds now. */
async function serve<T>(fn: (base: string, store: StoreDb) => Promise<T>): Promise<T> {
  const store = await openPglite(join(dir, 'store'));
  const app = express();
  app.use(
    reportLinksRouter({
      keys: ensureLinkKeyFile(join(dir, 'link-keys')).keys,
      store,
      engine,
      loadDefinition: (id) => storedReportDefinition(store, id),
    }),
  );
  const server: Server = app.listen(0);
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, store);
  } finally {
    server.close();
    await store.close();
  }
}

const local = (url: string, base: string) => url.replace('https://reports.example.com', base);

describe('pathlight link', { timeout: 60_000 }, () => {
  let first = '';

  it('stores a report file, records the link and prints its URL', async () => {
    const out = await runCli(
      ['link', file, '--ttl', '2w', '--range', 'last_week', '--ranges', 'last_7_days,last_month'],
      env,
    );
    expect(out.stderr).toMatch(
      /^link [A-Za-z0-9_-]{16} to shop: expires .*, may switch to last_7_days, last_month\n$/,
    );
    expect(out.code).toBe(0);
    first = out.stdout.trim();
    expect(first).toMatch(/^https:\/\/reports\.example\.com\/r\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const keys = ensureLinkKeyFile(join(dir, 'link-keys')).keys;
    const claims = verifyLink(keys, first.slice(first.lastIndexOf('/') + 1));
    expect(claims).toMatchObject({
      report: 'shop',
      params: { dateRange: 'last_week' },
      ranges: { list: ['last_7_days', 'last_month'] },
      formats: ['html', 'pdf'],
      kid: keys.current,
    });
    expect(Math.abs(claims.exp * 1000 - (Date.now() + 14 * 86_400_000))).toBeLessThan(60_000);
    await serve(async (_base, store) => {
      const rows = await store.query<{ created_by: string; source: string; report_id: string }>(
        'SELECT created_by, source, report_id FROM report_links WHERE id = $1',
        [claims.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ source: 'cli', report_id: 'shop' });
      expect(rows[0]?.created_by).toMatch(/ \(command line\)$/);
    });
  });

  it('names the flag at fault', async () => {
    const ranges = await runCli(['link', 'shop', '--ranges', 'last_week,last_decade'], env);
    expect(ranges.code).toBe(2);
    expect(ranges.stderr).toMatch(/^error: --ranges\[1\]: /);
    const ttl = await runCli(['link', 'shop', '--ttl', 'forever'], env);
    expect(ttl.stderr).toBe('error: --ttl: expected a lifetime like 12h, 30d or 2w\n');
    const missing = await runCli(['link', 'nothing-here'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: no report nothing-here\n');
  });

  it('the page offers exactly the granted ranges and refuses the others', async () => {
    await serve(async (base) => {
      const page = await (await fetch(local(first, base))).text();
      const options = [
        ...page.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g),
      ].map((m) => [m[1], Boolean(m[2]), m[3]]);
      expect(options).toEqual([
        ['', true, 'As shared: Last week (Monday to Sunday)'],
        ['last_7_days', false, 'Last 7 days'],
        ['last_month', false, 'Last month'],
      ]);
      const switched = await fetch(`${local(first, base)}?dateRange=last_month`);
      expect(switched.status).toBe(200);
      expect(await switched.text()).toContain(
        '<option value="last_month" selected>Last month</option>',
      );
      const refused = await fetch(`${local(first, base)}?dateRange=last_quarter`);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain(
        'This link allows these ranges only: last_7_days, last_month.',
      );
    });
  });

  it('a rotated key signs new links; links signed before keep opening until the old key is dropped', async () => {
    const rotated = await runCli(['rotate-link-key'], env);
    expect(rotated.code).toBe(0);
    const newKid = rotated.stdout.trim();
    const second = (await runCli(['link', 'shop', '--pdf'], env)).stdout.trim();
    expect(second.endsWith('.pdf')).toBe(true);
    const keys = ensureLinkKeyFile(join(dir, 'link-keys')).keys;
    expect(keys.current).toBe(newKid);
    expect(keys.keys.size).toBe(2);
    const token = second.slice(second.lastIndexOf('/') + 1, -'.pdf'.length);
    expect(verifyLink(keys, token).kid).toBe(newKid);
    await serve(async (base) => {
      expect((await fetch(local(first, base))).status).toBe(200);
      expect((await fetch(local(second.slice(0, -4), base))).status).toBe(200);
    });
    // Dropping the old line from the file ends the links it signed, and only those.
    const lines = readFileSync(join(dir, 'link-keys'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'link-keys'), `${lines[0]}\n`);
    await serve(async (base) => {
      expect((await fetch(local(first, base))).status).toBe(403);
      expect((await fetch(local(second.slice(0, -4), base))).status).toBe(200);
    });
  });

  it('rotation is refused when the keys come from the environment', async () => {
    const out = await runCli(['rotate-link-key'], {
      ...env,
      PATHLIGHT_LINK_SECRETS: `k1:${'a'.repeat(40)}`,
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('putting a new kid:secret pair first');
  });
});
