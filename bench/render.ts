/**
 * Report rendering benchmark: a report with every section type (KPI summary, funnel with a
 * breakdown, trended funnel, retention, stages, attribution table, conversion paths, journey Sankey,
 * next step, data quality) on the sample, to PDF through system Chromium.
 * Run: `npx tsx bench/render.ts [reports=50] [concurrency=2]`.
 * Warm = the browser launched and one report rendered first; each measured report runs its queries,
 * draws its charts and prints its PDF (no result cache).
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { BrowserPool } from '../src/render/browserPool.js';
import { renderReportHtml } from '../src/render/renderHtml.js';
import { renderPdf } from '../src/render/renderPdf.js';
import { buildReportModel } from '../src/reports/buildReportModel.js';
import { parseReportDefinition } from '../src/reports/reportDefinition.js';
import { reportBenchSample } from './reportSample.js';

const reports = Number(process.argv[2] ?? 50);
const concurrency = Number(process.argv[3] ?? 2);
const file = await reportBenchSample();
const definition = parseReportDefinition({
  id: 'bench',
  title: 'Weekly e-commerce journeys',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [
    { type: 'kpi_summary' },
    {
      type: 'funnel',
      funnel: {
        window: '7d',
        steps: [
          { event: 'view_item' },
          { event: 'add_to_cart' },
          { event: 'begin_checkout' },
          { event: 'purchase' },
        ],
        breakdown: 'device_category',
      },
    },
    {
      type: 'trended_funnel',
      funnel: { steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'purchase' }] },
    },
    { type: 'retention' },
    { type: 'stages' },
    { type: 'attribution_table' },
    { type: 'conversion_paths' },
    { type: 'journey_sankey', paths: { nodeType: 'page_path' } },
    { type: 'next_step' },
    { type: 'data_quality' },
  ],
});
const now = new Date('2026-10-30T10:00:00Z');
const engine = await DuckdbEngine.open(file);
const pool = new BrowserPool({ pages: concurrency, recycleAfter: 1000 });
/** Pages in the PDF, as poppler's pdfinfo counts them (Chromium compresses its page tree). */
let pdfFiles = 0;
const pagesOf = (pdf: Buffer) => {
  const path = join(tmpdir(), `pathlight-bench-${process.pid}-${pdfFiles++}.pdf`);
  writeFileSync(path, pdf);
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  rmSync(path);
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
};

async function one(): Promise<{ query: number; html: number; pdf: number; pages: number }> {
  const t0 = performance.now();
  const model = await buildReportModel(engine, definition, now);
  const t1 = performance.now();
  const html = renderReportHtml(model);
  const t2 = performance.now();
  const pdf = await renderPdf(pool, html, model);
  const t3 = performance.now();
  return { query: t1 - t0, html: t2 - t1, pdf: t3 - t2, pages: pagesOf(pdf) };
}

try {
  await one(); // launch the browser, warm DuckDB and the templates
  const singles = [];
  for (let i = 0; i < 5; i++) singles.push(await one());
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const single = {
    query: med(singles.map((s) => s.query)),
    html: med(singles.map((s) => s.html)),
    pdf: med(singles.map((s) => s.pdf)),
    total: med(singles.map((s) => s.query + s.html + s.pdf)),
  };
  const start = performance.now();
  let next = 0;
  let pages = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < reports) {
        next++;
        const r = await one();
        pages += r.pages;
        if (process.env.BENCH_VERBOSE) console.log(`report pages ${r.pages}`);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}; node ${process.version}`,
  );
  console.log(
    `single report, warm (median of 5): ${f(single.total)} (queries ${f(single.query)}, charts+HTML ${f(single.html)}, PDF ${f(single.pdf)})`,
  );
  console.log(
    `batch of ${reports} (concurrency ${concurrency}): ${seconds.toFixed(1)} s, ${pages} pages, ${(pages / seconds).toFixed(2)} pages/s, ${(reports / seconds).toFixed(2)} reports/s`,
  );
} finally {
  await pool.close();
  await engine.close();
}
