import { dirname, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { importAdCosts } from '../../src/importer/costs/importAdCosts.js';
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';
import { renderReport } from '../../src/reports/renderReport.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';
import type { TouchpointValueContext } from '../../src/reports/sections/touchpointValueSection.js';
import { webTables, writeOfflineCsv } from '../identity/stitchedJourneys.js';
import { createEventsDb } from '../support/loadRows.js';

const definition = parseReportDefinition({
  id: 'value',
  title: 'Value',
  currency: 'EUR',
  goal: { event: 'purchase' },
  dateRange: { start: '2020-11-01', end: '2020-11-30' },
  comparison: 'none',
  sections: [{ type: 'touchpoint_value' }],
});
const NOW = new Date('2020-12-01T08:00:00Z');

let db: string;
beforeAll(async () => {
  db = await createEventsDb(webTables());
  await importOfflineEvents(db, [writeOfflineCsv(dirname(db))]);
});

describe('the Touchpoint value section', () => {
  let engine: DuckdbEngine | undefined;
  afterAll(async () => engine?.close());

  it('says how to import costs when none are, then shows cost, ROAS and CPA by model', async () => {
    engine = await DuckdbEngine.open(db);
    const before = await renderReport(engine, definition, NOW, { format: 'html' });
    expect(before.html).toContain('No ad costs imported for this data.');
    expect(before.html).toContain('pathlight import-costs');
    await engine.close();

    const costs = join(dirname(db), 'costs.csv');
    writeFileSync(
      costs,
      'date,utm_source,utm_medium,utm_id,utm_campaign,impressions,clicks,cost,currency\n' +
        '2020-11-03,facebook,paid_social,fb1,retarget,1000,50,60,EUR\n' +
        '2020-11-02,newsletter,email,nl1,,,,5,EUR\n',
    );
    await importAdCosts(db, costs);
    engine = await DuckdbEngine.open(db);
    const out = await renderReport(engine, definition, NOW, { format: 'html' });
    const context = out.model.sections[0]?.context as TouchpointValueContext;
    expect(context.headline).toBe('€65.00 spent on 2 touchpoints; 3 conversions, €180.00 revenue');
    // Columns: first touch, last touch, last non-direct, linear, position-based, time decay, Markov.
    expect(
      context.rows.map((r) => [
        r.touchpoint,
        r.cost,
        r.conversionsLost,
        r.roas[3]?.text,
        r.cpa[3]?.text,
      ]),
    ).toEqual([
      ['Paid Social', '€60.00', '0.5', '0.33x ▼', '€300.00'],
      ['Email', '€5.00', '0.5', '4x ▲', '€25.00'],
    ]);
    expect(context.rows[0]?.roas[0]).toEqual({ text: '–', mark: '' });
    expect(context.uncosted).toBe(
      'No cost imported for Organic Search, Offline, Direct, Referral: their CPA and ROAS are unknown, not zero.',
    );
    expect(out.html).toContain('Touchpoint value');
    expect(out.html).toContain('<td class="num best">4x ▲</td>');
  });
});
