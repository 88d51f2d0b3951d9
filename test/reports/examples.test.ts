import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { renderReport } from '../../src/reports/renderReport.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import type { KpiSummaryContext } from '../../src/reports/sections/kpiSummary.js';
import type { JourneySankeyContext } from '../../src/reports/sections/journeySankeySection.js';
import type { NextStepContext } from '../../src/reports/sections/nextStepSection.js';
import { NOW, sampleDb } from '../render/sampleDb.js';

let engine: DuckdbEngine;
beforeAll(async () => {
  engine = await DuckdbEngine.open(await sampleDb());
});
afterAll(async () => {
  await engine?.close();
});

describe('the shipped examples', () => {
  it.each(['weekly-ecommerce', 'lead-generation'])(
    '%s renders on the sample as it is, every section with data',
    async (name) => {
      const definition = parseReportDefinition(
        parse(readFileSync(`examples/reports/${name}.yaml`, 'utf8')),
      );
      const out = await renderReport(engine, definition, NOW, { format: 'html' });
      expect(out.model.sections.map((s) => s.type)).toEqual(definition.sections.map((s) => s.type));
      for (const section of definition.sections) {
        if (section.title) expect(out.html).toContain(section.title);
      }
      const sankey = out.model.sections.find((s) => s.type === 'journey_sankey')
        ?.context as JourneySankeyContext;
      expect(sankey.chartSvg).toMatch(/^<svg/);
      expect(sankey.flows.length).toBeGreaterThan(0);
      const next = out.model.sections.find((s) => s.type === 'next_step')
        ?.context as NextStepContext;
      expect(next.nodes.length).toBeGreaterThan(0);
      // Segments, where an example has them, each hold users of their own.
      const kpi = out.model.sections.find((s) => s.type === 'kpi_summary')
        ?.context as KpiSummaryContext;
      expect(kpi.segments.map((r) => r.name)).toEqual(
        definition.segments.length ? ['All users', ...definition.segments.map((g) => g.name)] : [],
      );
      for (const row of kpi.segments)
        expect(Number(row.users.replace(/\D/g, ''))).toBeGreaterThan(0);
      expect(out.html).toContain('data-report-ready');
    },
  );
});
