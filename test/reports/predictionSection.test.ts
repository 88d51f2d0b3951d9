import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePredictSpec } from '../../src/analyses/predict/predictSpec.js';
import { runPredict, type PredictResult } from '../../src/analyses/predict/runPredict.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { renderReport } from '../../src/reports/renderReport.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import type { PredictionContext } from '../../src/reports/sections/predictionSection.js';
import { sampleDb } from '../render/sampleDb.js';

const definition = parseReportDefinition({
  id: 'predict',
  title: 'Who converts next',
  goal: { event: 'purchase', name: 'Purchase' },
  dateRange: { start: '2026-10-11', end: '2026-10-31' },
  comparison: 'none',
  sections: [{ type: 'prediction', predict: { minSupport: 20 } }],
});
const NOW = new Date('2026-11-01T08:00:00Z');

let engine: DuckdbEngine;
let expected: PredictResult;
beforeAll(async () => {
  engine = await DuckdbEngine.open(await sampleDb());
  // The same prediction run directly, as of the report's last day; reports leave intraday out.
  expected = await runPredict(
    engine,
    parsePredictSpec({
      goal: 'purchase',
      asOf: '2026-10-31',
      minSupport: 20,
      includeIntraday: false,
    }),
  );
}, 120_000);
afterAll(async () => engine?.close());

describe('the Prediction report section', () => {
  it("shows the backtest as of the report's last day beside both baselines, each figure in words", async () => {
    const out = await renderReport(engine, definition, NOW, { format: 'html' });
    const section = out.model.sections[0];
    expect(section?.title).toBe('Prediction: who converts next');
    const c = section?.context as PredictionContext;
    const b = expected.backtest;
    expect([c.goal, c.users, c.activeFrom, c.cutoff]).toEqual([
      'Purchase',
      expected.users.length.toLocaleString('en-US'),
      '2026-10-25',
      '2026-11-01',
    ]);
    expect(c.backtestWindow).toBe(
      'fitted on 2026-09-27 to 2026-10-25, scored on what users did from 2026-10-25 to 2026-11-01',
    );
    expect(c.verdict).toBe(b.verdict);
    const row = (label: string) => c.scores.find((s) => s.label === label);
    expect(row('Log loss (lower is better)')).toEqual({
      label: 'Log loss (lower is better)',
      model: (b.model.logLoss as number).toFixed(4),
      overall: (b.overall.logLoss as number).toFixed(4),
      firstOrder: (b.firstOrder.logLoss as number).toFixed(4),
    });
    expect(row('Users scored')?.model).toBe(b.model.users.toLocaleString('en-US'));
    expect(c.calibration.map((r) => r.decile)).toEqual(b.model.calibration.map((r) => r.decile));
    const html = out.html ?? '';
    expect(html).toContain(b.verdict.replaceAll("'", '&#x27;'));
    expect(html).toContain('<dt>AUC</dt>');
    expect(html).toContain('0.5 is a coin toss, 1 is perfect ranking.');
    expect(html).toContain("<th class='num'>overall rate</th>");
  }, 120_000);

  it('a bad option is named by its path in the definition', () => {
    expect(() =>
      parseReportDefinition({
        id: 'predict',
        title: 'x',
        goal: { event: 'purchase' },
        dateRange: { start: '2026-10-11', end: '2026-10-31' },
        sections: [{ type: 'prediction', predict: { maxOrder: 4, table: 'x' } }],
      }),
    ).toThrow(/sections\[0\]\.predict\.maxOrder: expected 1, 2 or 3/);
  });
});
