import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../src/analyses/nextStep/runNextStep.js';
import { parsePathsSpec } from '../../src/analyses/paths/pathsSpec.js';
import { runPaths } from '../../src/analyses/paths/runPaths.js';
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
    { type: 'trended_funnel', funnel: { steps: STEPS }, interval: 'day' },
    { type: 'retention', periods: 2 },
    { type: 'stages' },
    { type: 'attribution_table' },
    { type: 'conversion_paths', top: 5 },
    { type: 'journey_sankey', title: 'Journeys by page', paths: { nodeType: 'page_path' } },
    { type: 'next_step', title: 'What comes next', nextStep: { minSupport: 20 } },
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

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const num = (x: number) => esc(int.format(x));

/** KPI figures for event_date from..to, written independently of sql/range_totals.sql. */
async function handTotals(from: string, to: string) {
  const { rows } = await engine.query(
    `WITH e AS (
       SELECT user_pseudo_id AS u, event_name,
         list_filter(event_params, p -> p.key = 'ga_session_id')[1].value.int_value AS s,
         ecommerce.transaction_id AS t, COALESCE(ecommerce.purchase_revenue, 0) AS revenue
       FROM events_wildcard WHERE event_date BETWEEN '${from}' AND '${to}'),
     tx AS (SELECT t, MAX(revenue) AS revenue FROM e WHERE event_name = 'purchase' GROUP BY t)
     SELECT COUNT(DISTINCT u) AS users, COUNT(DISTINCT u || '.' || CAST(s AS VARCHAR)) AS sessions,
       (SELECT COUNT(*) FROM tx) AS conversions, (SELECT SUM(revenue) FROM tx) AS revenue,
       (SELECT COUNT(*) FROM e WHERE event_name = 'purchase' AND t IS NULL) AS untracked
     FROM e`,
    {},
    { name: 'test_kpis' },
  );
  const r = rows[0] as Record<string, unknown>;
  // Every sample purchase carries a transaction id, so each counts once by its id.
  expect(Number(r.untracked)).toBe(0);
  return {
    users: Number(r.users),
    sessions: Number(r.sessions),
    conversions: Number(r.conversions),
    revenue: Math.round(Number(r.revenue) * 100) / 100,
  };
}

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

    // The KPI tiles, counted here by hand-written SQL over the whole range (distinct users and
    // sessions, each transaction once), against the week before.
    const now = await handTotals('20261019', '20261025');
    const before = await handTotals('20261012', '20261018');
    expect(now.users).toBeGreaterThan(0);
    expect(before.users).toBeGreaterThan(0);
    const change = (a: number, b: number) =>
      b === 0
        ? a === 0
          ? '±0%'
          : 'new'
        : `${a >= b ? '+' : ''}${((100 * (a - b)) / b).toFixed(1)}%`;
    const rate = (t: typeof now) => t.conversions / t.sessions;
    const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    const tiles = text.slice(text.indexOf('USERS'));
    expect(tiles).toMatch(
      new RegExp(
        [
          num(now.users),
          num(now.sessions),
          num(now.conversions),
          esc(`${(100 * rate(now)).toFixed(2)}%`),
          esc(money.format(now.revenue)),
        ].join('\\s+'),
      ),
    );
    const pp = (100 * (rate(now) - rate(before))).toFixed(2);
    expect(tiles).toMatch(
      new RegExp(
        [
          change(now.users, before.users),
          change(now.sessions, before.sessions),
          change(now.conversions, before.conversions),
          `${Number(pp) >= 0 ? '+' : ''}${pp} pp`,
          change(now.revenue, before.revenue),
        ]
          .map(esc)
          .join('\\s+'),
      ),
    );
    expect(tiles).toMatch(
      new RegExp(`previous: ${num(before.users)}\\s+previous: ${num(before.sessions)}\\s`),
    );

    // Sankey: the journeys and the largest flows as POST /paths/run answers them.
    const week = { start: '2026-10-19', end: '2026-10-25' };
    const paths = await runPaths(
      engine,
      parsePathsSpec({ dateRange: week, nodeType: 'page_path', steps: 4 }),
    );
    expect(paths.journeys).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`${num(paths.journeys)} sessions, step by step`));
    const flows = paths.edges
      .filter((e) => e.fromKind !== 'other' || e.toKind !== 'other')
      .sort((a, b) => b.count - a.count)
      .slice(0, 3);
    for (const f of flows) {
      const of = paths.steps[f.step - 1]?.nodes.find((n) => n.node === f.from)?.count ?? 0;
      const share = `${((100 * f.count) / of).toFixed(1)}%`;
      expect(text).toMatch(
        new RegExp(
          `${f.step}\\s*→\\s*${f.step + 1}\\s+${esc(f.from)}\\s+${esc(f.to)}\\s+${num(f.count)}\\s+${esc(share)}`,
        ),
      );
    }
    // Next step: the chance of the goal per node and the journeys behind it, as POST /next-step/run answers.
    const next = await runNextStep(
      engine,
      parseNextStepSpec({ dateRange: week, goal: 'purchase', minSupport: 20 }),
    );
    const estimated = next.nodes.filter((n) => n.conversionProbability !== null);
    expect(estimated.length).toBeGreaterThan(1);
    expect(next.nodes.some((n) => n.conversionProbability === null)).toBe(true);
    for (const n of estimated.slice(0, 8)) {
      const p = `${((n.conversionProbability as number) * 100).toFixed(1)}%`;
      // The counted share sits between the journeys and the chain's estimate, wrapped over lines:
      // "3.4% 3 of 88," above the row, "95% 1.2%–" on it, "9.5%" below.
      const r = n.reached!;
      const pct = (x: number) => esc(`${(x * 100).toFixed(1)}%`);
      expect(text).toMatch(
        new RegExp(`${pct(r.probability)} ${num(r.converted)} of ${num(r.journeys)},`),
      );
      expect(text).toMatch(
        new RegExp(`${esc(n.node)}\\s+${num(n.journeys)}\\s+95% ${pct(r.low)}–\\s+${esc(p)}`),
      );
    }
    // A node below the minimum support has no row.
    const rare = next.nodes.find((n) => n.conversionProbability === null && n.node.length > 6);
    if (rare) expect(text).not.toMatch(new RegExp(`\\n\\s*${esc(rare.node)}\\s+\\d`));
    expect(text).toContain(`Estimates need at least 20 sessions`);

    // The trended funnel: each day's entrants and converters as the analysis returns them,
    // beside the comparison week's conversion (the report compares with the previous period).
    const trended = await runFunnel(
      engine,
      parseFunnelSpec({
        dateRange: { start: '2026-10-19', end: '2026-10-25' },
        steps: STEPS,
        trend: { interval: 'day' },
      }),
    );
    const trendedBefore = await runFunnel(
      engine,
      parseFunnelSpec({
        dateRange: { start: '2026-10-12', end: '2026-10-18' },
        steps: STEPS,
        trend: { interval: 'day' },
      }),
    );
    expect(text).toContain('Funnel conversion over time');
    const days = trended.trend?.periods ?? [];
    expect(days.map((d) => d.start)).toEqual([
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
    ]);
    expect(days.reduce((a, d) => a + (d.steps[0]?.count ?? 0), 0)).toBe(funnel.steps[0]?.count);
    const percent = new Intl.NumberFormat('en-US', {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    const pctText = (x: number) => percent.format(x);
    days.forEach((d, i) => {
      const entered = int.format(d.steps[0]?.count ?? 0);
      const completed = int.format(d.steps[3]?.count ?? 0);
      const rate = pctText(d.steps[3]?.conversionRate ?? 0);
      const prev = pctText(trendedBefore.trend?.periods[i]?.steps[3]?.conversionRate ?? 0);
      const day = `Oct ${19 + i}, 2026`;
      expect(text).toMatch(
        new RegExp(`${day}\\s+${entered}\\s+${completed}\\s+${rate}\\s+${prev}`),
      );
    });

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
    const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
    expect(attribution.paths.length).toBeGreaterThan(0);
    for (const p of attribution.paths.slice(0, 5)) {
      const nums = `${int.format(p.conversions)}\\s+${int.format(p.nonConversions)}\\s+${usd.format(p.revenue).replace(/[$.]/g, '\\$&')}`;
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
