import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { renderReport } from '../../src/reports/renderReport.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import type { StagesSectionContext } from '../../src/reports/sections/stagesSection.js';
import { createEventsDb } from '../support/loadRows.js';
import { TWO_DEVICES_DAY, TWO_DEVICES_ROWS } from '../support/twoDevices.js';

const NOW = new Date('2024-03-02T08:00:00Z');
const definition = (sections: unknown[]) =>
  parseReportDefinition({
    id: 'whose',
    title: 'Whose journey',
    goal: { event: 'purchase' },
    dateRange: { start: TWO_DEVICES_DAY, end: TWO_DEVICES_DAY },
    comparison: 'none',
    sections,
  });

let engine: DuckdbEngine;
beforeAll(async () => {
  engine = await DuckdbEngine.open(await createEventsDb({ '20240301': TWO_DEVICES_ROWS }));
});
afterAll(() => engine?.close());

describe("a report section's identity", () => {
  it('counts the stages section per identity, blended when it names none', async () => {
    const out = await renderReport(
      engine,
      definition([
        { type: 'stages' },
        { type: 'stages', identity: 'blended' },
        { type: 'stages', identity: 'device' },
        { type: 'stages', identity: 'user_id' },
      ]),
      NOW,
      { format: 'html' },
    );
    // alice (d1 + d2) and d3; d1, d2 and d3; alice alone.
    expect(out.model.sections.map((s) => (s.context as StagesSectionContext).users)).toEqual([
      '2',
      '2',
      '3',
      '1',
    ]);
  });

  it('is kept only where given, and a wrong one is named on its field', () => {
    const parsed = definition([
      { type: 'attribution_table', identity: 'user_id' },
      { type: 'conversion_paths', identity: 'device' },
      { type: 'touchpoint_value' },
      { type: 'journey_map', identity: 'device' },
    ]);
    expect(parsed.sections.map((s) => ('identity' in s ? s.identity : undefined))).toEqual([
      'user_id',
      'device',
      undefined,
      'device',
    ]);
    let error: unknown;
    try {
      definition([{ type: 'stages', identity: 'household' }]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe('sections[0].identity');
    expect((error as InputError).message).toContain('expected one of blended, user_id, device');
  });
});
