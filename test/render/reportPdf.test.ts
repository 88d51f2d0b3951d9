import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { BrowserPool } from '../../src/render/browserPool.js';
import { renderReport } from '../../src/reports/renderReport.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import { NOW, sampleDb } from './sampleDb.js';

const STEPS = [
  { name: 'Viewed a product', event: 'view_item' },
  { name: 'Added to cart', event: 'add_to_cart' },
  { name: 'Started checkout', event: 'begin_checkout' },
  { name: 'Bought', event: 'purchase' },
];
const definition = parseReportDefinition({
  id: 'all-sections',
  title: 'Every section',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [
    { type: 'kpi_summary' },
    { type: 'funnel', funnel: { steps: STEPS } },
    { type: 'retention', periods: 2 },
    { type: 'stages' },
    { type: 'attribution_table' },
    { type: 'conversion_paths', top: 5 },
    { type: 'data_quality' },
  ],
});

let engine: DuckdbEngine;
let pool: BrowserPool;
const dir = mkdtempSync(join(tmpdir(), 'pathlight-pdf-'));
const int = new Intl.NumberFormat('en-US');

beforeAll(async () => {
  engine = await DuckdbEngine.open(await sampleDb());
  pool = new BrowserPool({ pages: 1 });
});
afterAll(async () => {
  await pool?.close();
  await engine?.close();
});

/** Share of a grey page's pixels that are not (near) white, from pdftoppm's raw PGM output. */
function inkShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a PGM file');
  const pixels = pgm.subarray(header[0].length);
  let ink = 0;
  for (const value of pixels) if (value < 235) ink++;
  return ink / pixels.length;
}

describe('report PDF on the sample', () => {
  it('prints every section: pages not blank, numbers from the analyses in the text', async () => {
    const out = await renderReport(engine, definition, NOW, { format: 'pdf', pool });
    const pdf = join(dir, 'report.pdf');
    writeFileSync(pdf, out.pdf as Buffer);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    execFileSync('pdftoppm', ['-r', '30', '-gray', pdf, join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.pgm'));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages) expect(inkShare(readFileSync(join(dir, page)))).toBeGreaterThan(0.02);

    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(
      /[\u2009\u202f]/g,
      ' ',
    );
    expect(text).toContain('Every section');
    expect(text).toContain('Page 1 of');
    expect(text).toMatch(/Oct 19 – 25, 2026/);

    // The funnel's counts as the analysis itself returns them.
    const funnel = await runFunnel(
      engine,
      parseFunnelSpec({ dateRange: { start: '2026-10-19', end: '2026-10-25' }, steps: STEPS }),
    );
    expect(funnel.steps[0]?.count).toBeGreaterThan(0);
    for (const step of funnel.steps)
      expect(text).toMatch(
        new RegExp(`${step.name}\\s+${int.format(step.count).replace(',', '\\,')}\\b`),
      );

    // Sessions, counted here by hand-written SQL: distinct (user, ga_session_id) per day, summed.
    const sessions = await engine.query(
      `SELECT CAST(SUM(s) AS BIGINT) AS sessions FROM (
         SELECT event_date, COUNT(DISTINCT user_pseudo_id || '.' ||
           CAST(list_filter(event_params, p -> p.key = 'ga_session_id')[1].value.int_value AS VARCHAR)) AS s
         FROM events_wildcard WHERE event_date BETWEEN '20261019' AND '20261025' GROUP BY event_date)`,
      {},
      { name: 'test_sessions' },
    );
    const expected = Number(sessions.rows[0]?.sessions);
    expect(expected).toBeGreaterThan(0);
    expect(text).toMatch(
      new RegExp(`SESSIONS[\\s\\S]{0,400}?${int.format(expected).replace(',', '\\,')}`),
    );

    // Attribution: each channel's credits under the seven models, and the top paths, as the
    // analysis returns them for the same week.
    const attribution = await runAttribution(
      engine,
      parseAttributionSpec({
        dateRange: { start: '2026-10-19', end: '2026-10-25' },
        goal: { event: 'purchase' },
      }),
    );
    expect(attribution.conversions).toBeGreaterThan(0);
    expect(text).toContain('Attribution by channel');
    expect(text).toMatch(/Lookback 30d before each conversion/);
    const one = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    for (const c of attribution.channels) {
      const credits = Object.values(c.conversions).map((x) => one.format(x).replace(',', '\\,'));
      // Long names wrap in the table cell: the first word is followed by the credits.
      const [first, ...rest] = c.channel.split(' ');
      const name = rest.length ? `${first}(\\s+${rest.join('\\s+')})?` : first;
      expect(text).toMatch(new RegExp(`${name}\\s+${credits.join('\\s+')}`));
    }
    expect(text).toContain('Top conversion paths');
    // Each of the top 5 paths' rows: its touchpoints (a long one wraps around the numbers), then conversions,
    // not converted and revenue.
    const pathsText = text.slice(text.indexOf('Top conversion paths'));
    const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    expect(attribution.paths.length).toBeGreaterThan(0);
    for (const p of attribution.paths.slice(0, 5)) {
      const nums = `${int.format(p.conversions)}\\s+${int.format(p.nonConversions)}\\s+${money.format(p.revenue).replace(/[$.]/g, '\\$&')}`;
      const tokens = p.path.join(' › ').split(' ');
      const row = new RegExp(
        `${tokens.join(`\\s+(?:${nums}\\S*(?:\\s+\\S+){2}\\s+)?`)}(?:\\s+${nums})?`,
        'g',
      );
      const rows = [...pathsText.matchAll(row)].map((m) => m[0]);
      expect(
        rows.some((r) => new RegExp(nums).test(r)),
        p.path.join(' > '),
      ).toBe(true);
    }

    expect(text).toContain('Retention by first-visit cohort');
    expect(text).toContain('Journey stages');
    expect(text).toContain('Days the export may still rewrite');
    expect(text).toContain('Events without user_pseudo_id');
  });
});
