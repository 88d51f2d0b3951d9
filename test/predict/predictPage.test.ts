import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { parsePredictSpec } from '../../src/analyses/predict/predictSpec.js';
import { predictionsCsv } from '../../src/analyses/predict/predictionsCsv.js';
import { runPredict, type PredictResult } from '../../src/analyses/predict/runPredict.js';
import { registerPredict } from '../../src/cli/commands/predict.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import type { RunningService } from '../../src/main/startService.js';
import { runCommand } from '../paths/cliHarness.js';
import { sampleDb } from '../render/sampleDb.js';
import { call, startTestService } from '../http/support/testApp.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'predict');
const CHROMIUM = process.env.PATHLIGHT_BROWSER_PATH ?? '/usr/bin/chromium';
const SPEC = { goal: 'purchase', asOf: '2026-10-31', minSupport: 20 };

let db: string;
let service: RunningService;
let browser: Browser;
let page: Page;
let result: PredictResult;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  db = await sampleDb();
  const engine = await DuckdbEngine.open(db);
  try {
    result = await runPredict(engine, parsePredictSpec(SPEC));
  } finally {
    await engine.close();
  }
  service = await startTestService({ PATHLIGHT_DUCKDB_FILE: db });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), 'pathlight-chromium-')),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.setExtraHTTPHeaders({ Authorization: `Bearer ${service.adminToken}` });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const shots = async (name: string) => {
  for (const width of [1366, 390]) {
    await page.setViewport({ width, height: 900 });
    // The top of long pages: the form, the backtest and the first rows of users.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({
      path: join(ARTIFACTS, `${name}-${width}.png`),
      clip: { x: 0, y: 0, width, height: Math.min(height, 2400) },
      captureBeyondViewport: true,
    });
  }
};

describe('predict on the sample', () => {
  it('places the users active in the last 7 days, each with at most 3 next steps', () => {
    expect(result.cutoff).toBe('2026-11-01T00:00:00.000Z');
    expect(result.activeFrom).toBe('2026-10-25T00:00:00.000Z');
    expect(result.users.length).toBeGreaterThan(50);
    for (const u of result.users) {
      expect(u.lastSeen >= result.activeFrom && u.lastSeen < result.cutoff).toBe(true);
      expect(u.next.length).toBeLessThanOrEqual(3);
      expect(u.goalProbability).toBeGreaterThan(0);
      expect(u.goalProbability).toBeLessThan(1);
      expect(u.order).toBeLessThanOrEqual(3);
    }
    // The backtest scores the same users for the model and both baselines.
    const b = result.backtest;
    expect(b.cutoff).toBe('2026-10-25T00:00:00.000Z');
    expect(b.model.users).toBe(b.overall.users);
    expect(b.model.users).toBe(b.firstOrder.users);
    // Everyone gets the same P under the overall rate: AUC exactly ½.
    expect(b.overall.auc === null || b.overall.auc === 0.5).toBe(true);
  });

  it('the CSV has one row per user with the model and window beside each', () => {
    const lines = predictionsCsv(result).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'user_pseudo_id,stage,node,previous_nodes,last_seen,next_1,p_next_1,next_2,p_next_2,next_3,p_next_3,p_purchase_within_7d,context_order,context_support,model,trained_from,cutoff',
    );
    expect(lines).toHaveLength(result.users.length + 1);
    const u = result.users[0]!;
    expect(lines[1]).toContain(
      `${u.user},${u.stage ?? ''},${u.node},${[...u.context].reverse().join(' → ')},${u.lastSeen},`,
    );
    expect(lines[1]).toContain(
      `,${u.goalProbability.toFixed(6)},${u.order},${u.support},"variable-order Markov, orders up to 3, min support 20, event nodes",2026-10-04T00:00:00.000Z,2026-11-01T00:00:00.000Z`,
    );
  });

  it('the CLI writes the same CSV and prints the backtest; a bad spec exits 2 naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-predict-'));
    writeFileSync(join(dir, 'predict.json'), JSON.stringify(SPEC));
    const out = join(dir, 'out.csv');
    const ok = await runCommand(registerPredict, [
      'predict',
      '--spec',
      join(dir, 'predict.json'),
      '--db',
      db,
      '--csv',
      out,
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(result.backtest.verdict);
    expect(ok.stdout).toMatch(/log loss\s+[\d.]+\s+[\d.]+\s+[\d.]+/);
    expect(readFileSync(out, 'utf8')).toBe(predictionsCsv(result));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...SPEC, horizonDays: 400 }));
    const bad = await runCommand(registerPredict, [
      'predict',
      '--spec',
      join(dir, 'bad.json'),
      '--db',
      db,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('horizonDays: expected 1 to 90 days');
  }, 120_000);

  it('POST /api/predict/run answers the same users; a bad spec is a 400 naming the field', async () => {
    const auth = { Authorization: `Bearer ${service.adminToken}` };
    const bad = await call(`${service.url}/api/predict/run`, {
      method: 'POST',
      headers: auth,
      body: { ...SPEC, maxOrder: 5 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('maxOrder: expected 1, 2 or 3');
    const ok = await call(`${service.url}/api/predict/run`, {
      method: 'POST',
      headers: auth,
      body: SPEC,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.users).toEqual(JSON.parse(JSON.stringify(result.users)));
    expect(ok.body.backtest.verdict).toBe(result.backtest.verdict);
    // The service reads the DuckDB file read-only: a table is refused, naming the field, at once.
    const table = await call(`${service.url}/api/predict/run`, {
      method: 'POST',
      headers: auth,
      body: { ...SPEC, table: 'audience' },
    });
    expect(table.status).toBe(400);
    expect(JSON.stringify(table.body)).toContain(
      'table: the DuckDB events file is open read-only here (the service reads it so); write predictions into it with `pathlight predict --table`',
    );
  }, 120_000);

  it('the page shows the backtest beside both baselines, the calibration and the users', async () => {
    await page.goto(
      `${service.url}/predict?run=1&goal=purchase&asOf=2026-10-31&minSupport=20&horizonDays=7`,
    );
    expect(await page.$eval('#backtest-verdict', (p) => p.textContent?.trim())).toBe(
      result.backtest.verdict,
    );
    const header = await page.$$eval('#backtest-scores thead th', (ths) =>
      ths.map((t) => t.textContent),
    );
    expect(header).toEqual(['', 'model', 'overall rate', 'current step only']);
    // Each figure said in words beside the table.
    expect(await page.$$eval('#score-terms dt', (d) => d.map((x) => x.textContent))).toEqual([
      'Model',
      'Overall rate',
      'Current step only',
      'Log loss, Brier score',
      'AUC',
      'Top guess right, in the top 3',
      'Lift in the top tenth',
      'Calibration',
    ]);
    expect(await page.$$eval('#calibration tbody tr', (r) => r.length)).toBe(
      result.backtest.model.calibration.length,
    );
    expect(await page.$$eval('#predictions tbody tr', (r) => r.length)).toBe(
      Math.min(100, result.users.length),
    );
    const csv = await page.$eval('#predict-csv', (a) => (a as HTMLAnchorElement).href);
    const res = await fetch(csv, { headers: { Authorization: `Bearer ${service.adminToken}` } });
    expect(await res.text()).toBe(predictionsCsv(result));
    await shots('predict');
  }, 120_000);

  it('a bad value shows on its field in plain words and the form keeps what was typed', async () => {
    await page.goto(`${service.url}/predict?run=1&goal=purchase&horizonDays=two&trainDays=500`);
    expect(await page.$eval('[data-field="horizonDays"]', (e) => e.textContent)).toBe(
      'expected a whole number, got "two"',
    );
    expect(
      await page.$eval('input[name="horizonDays"]', (e) => (e as HTMLInputElement).value),
    ).toBe('two');
    expect(await page.$eval('input[name="trainDays"]', (e) => (e as HTMLInputElement).value)).toBe(
      '500',
    );
    await page.goto(`${service.url}/predict?run=1&goal=purchase&trainDays=500`);
    expect(await page.$eval('[data-field="trainDays"]', (e) => e.textContent)).toBe(
      'expected 1 to 365 days',
    );
    await shots('predict-error');
  }, 120_000);

  it('the explore page shows add_payment_info’s counted 10 of 20 beside the chain’s figure', async () => {
    await page.goto(
      `${service.url}/explore?run=1&analysis=next-step&anchor=purchase&scope=session&from=2026-10-11&to=2026-10-31`,
    );
    const row = await page.$$eval('table.next-step tbody tr', (rows) =>
      rows.map((r) => r.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
    );
    // The page's range reads the daily tables only (a report's default): the session funnel
    // add_payment_info → purchase over the same days is what the counted figure must show.
    const engine = await DuckdbEngine.open(db);
    const funnel = await runFunnel(
      engine,
      parseFunnelSpec({
        dateRange: { start: '2026-10-11', end: '2026-10-31' },
        scope: 'session',
        steps: [{ event: 'add_payment_info' }, { event: 'purchase' }],
      }),
    ).finally(() => engine.close());
    const [entered, converted] = funnel.steps.map((s) => s.count) as [number, number];
    const share = `${((converted / entered) * 100).toFixed(1)}%`;
    const payment = row.find((r) => r.startsWith('add_payment_info'));
    expect(payment).toContain(`${share} ${converted} of ${entered}, 95% `);
    expect([converted, entered]).toEqual([9, 18]);
    await shots('explore-next-step');
  }, 120_000);
});
