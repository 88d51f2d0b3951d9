import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMapSpec } from '../../src/analyses/map/mapSpec.js';
import { runMap } from '../../src/analyses/map/runMap.js';
import { parsePersona } from '../../src/analyses/personas/personaSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { reportRunEmail } from '../../src/app/reportRunEmail.js';
import { BrowserPool } from '../../src/render/browserPool.js';
import { renderReport } from '../../src/reports/renderReport.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import { toRun } from '../../src/store/runsRepo.js';
import { migrate } from '../../src/store/migrate.js';
import { PersonasRepo } from '../../src/store/personasRepo.js';
import { NOW, sampleDb } from '../render/sampleDb.js';
import { storeKinds, type TestStore } from '../support/stores.js';

const MOBILE = {
  name: 'Mobile',
  description: 'First seen on a phone',
  device: { category: ['mobile'] },
};
const NOBODY = { name: 'Nobody', geo: { country: ['Atlantis'] } };
const DEFINITION = {
  title: 'Weekly journey map',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [{ type: 'journey_map', personas: ['Mobile', NOBODY], minSupport: 10 }],
};

let engine: DuckdbEngine;
let pool: BrowserPool;
let store: TestStore;
const dir = mkdtempSync(join(tmpdir(), 'pathlight-map-report-'));

beforeAll(async () => {
  engine = await DuckdbEngine.open(await sampleDb());
  pool = new BrowserPool({ pages: 1 });
  store = await storeKinds.pglite();
  await migrate(store.db);
  await new PersonasRepo(store.db).save(MOBILE);
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', $1::jsonb)`, [
    JSON.stringify(DEFINITION),
  ]);
});
afterAll(async () => {
  await pool?.close();
  await engine?.close();
  await store?.dispose();
});

describe('a report with a journey map section for two personas', () => {
  it('renders to HTML and PDF with the map, the figures of the analysis, and the empty persona said', async () => {
    const definition = parseReportDefinition({ id: 'weekly', ...DEFINITION });
    const personas = new Map([['Mobile', parsePersona(MOBILE)]]);
    const rendered = await renderReport(engine, definition, NOW, { format: 'pdf', pool, personas });
    // The same map straight from the analysis: last_week at NOW is 19-25 October 2026.
    const direct = await runMap(
      engine,
      parseMapSpec({
        dateRange: { start: '2026-10-19', end: '2026-10-25' },
        personas: [MOBILE, NOBODY],
        minSupport: 10,
      }),
      [parsePersona(MOBILE), parsePersona(NOBODY)],
    );
    const mobile = direct.personas[1];
    expect(mobile?.users).toBeGreaterThan(20);
    const int = new Intl.NumberFormat('en-US');
    expect(rendered.html).toContain('<h2>Customer journey map</h2>');
    expect(rendered.html).toMatch(
      /<svg[^>]*aria-label="Journey map, Awareness, Consideration, Decision, Retention, Loyalty"/,
    );
    expect(rendered.html).toContain(
      `Mobile <span class="subtle">${int.format(mobile?.users ?? 0)} users`,
    );
    expect(rendered.html).toContain('No users match this persona in the range.');
    const firstMoment = mobile?.stages.flatMap((s) => s.moments)[0];
    expect(firstMoment).toBeDefined();
    expect(rendered.html).toContain(`${firstMoment?.kind} ${firstMoment?.label}:`);
    writeFileSync(join(dir, 'map.pdf'), rendered.pdf as Buffer);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'map.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('Customer journey map');
    expect(text).toContain('No users match this persona in the range.');
    expect(text).toMatch(/Opportunities, most conversions at stake first/);
  });

  it('renders to email: the map as an inline image, the opportunities in the text part', async () => {
    const renderer = reportRunEmail({
      engine,
      store: store.db,
      pool,
      email: { attachmentLimitBytes: 7 * 1024 * 1024, unsubscribeMailto: 'reports@example.com' },
    });
    const rows = await store.db.query<Parameters<typeof toRun>[0]>(
      `INSERT INTO runs (report_id, slot, kind, status, parameters)
       VALUES ('weekly', $1, 'scheduled', 'running', $2::jsonb) RETURNING *`,
      [NOW, JSON.stringify({ recipients: { to: ['a@example.com'], cc: [], bcc: [] } })],
    );
    const out = await renderer.render(toRun(rows[0]!), null, new AbortController().signal);
    const email = out.email;
    expect(email.images.length).toBe(1);
    expect(email.html).toContain(`cid:${email.images[0]?.cid}`);
    expect(email.images[0]?.content.subarray(1, 4).toString()).toBe('PNG');
    expect(email.text).toContain('Mobile:');
    expect(email.text).toContain(
      'Nobody: 0 users (0.0% of all); no users match this persona in the range.',
    );
  });
});
