import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { funnelQuery } from '../../src/analyses/funnel/funnelQuery.js';
import { parseFunnelSpec, type FunnelSpecInput } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { importFiles } from '../../src/importer/importFiles.js';
import { runQuery } from '../../src/sql/runQuery.js';
import { REAL, tempDir } from '../importer/support.js';

/**
 * The two real export days: the first-match form (what runFunnel uses on DuckDB for funnels
 * without windows) against the general form, and the counts against the textbook funnel, which
 * is right on such a funnel. Real streams have many events on one timestamp.
 */
const STEPS = ['view_item', 'add_to_cart', 'begin_checkout', 'purchase'];
const range = { start: '2020-12-25', end: '2021-01-31' };
let engine: DuckdbEngine;
beforeAll(async () => {
  const db = join(tempDir(), 'events.duckdb');
  await importFiles(db, [REAL]);
  engine = await DuckdbEngine.open(db);
}, 120_000);
afterAll(async () => {
  await engine.close();
});

const spec = (extra: Partial<FunnelSpecInput> = {}) =>
  parseFunnelSpec({ dateRange: range, steps: STEPS.map((event) => ({ event })), ...extra });

describe('funnel on the real sample', () => {
  it('the users funnel is the same in both forms and counts as the textbook funnel does', async () => {
    const s = spec({ breakdown: 'device_category' });
    expect(funnelQuery(s, { firstMatch: true }).context.firstMatch).toBe(true);
    const fast = await runFunnel(engine, s);
    const general = await runFunnel(engine, s, { form: 'join' });
    expect(fast.sql).toContain('list_transform');
    expect(general.sql).not.toContain('list_transform');
    expect({ ...fast, sql: '' }).toEqual({ ...general, sql: '' });
    const textbook = await runQuery(engine, 'funnel_textbook', {
      start_date: range.start,
      end_date: range.end,
      include_intraday: false,
      ...Object.fromEntries(STEPS.map((e, i) => [`step${i + 1}_event`, e])),
    });
    expect(fast.steps.map((st) => st.count)).toEqual(textbook.rows.map((r) => Number(r.users)));
    // Enough journeys for the comparison to mean something.
    expect(fast.steps[3]?.count).toBeGreaterThan(10);
  });

  it('the sessions funnel with a condition is the same in both forms', async () => {
    const s = spec({
      scope: 'session',
      steps: [
        { event: 'page_view' },
        { event: 'view_item' },
        { event: 'add_to_cart', where: [{ field: 'platform', op: 'eq', value: 'WEB' }] },
      ],
    });
    const fast = await runFunnel(engine, s);
    const general = await runFunnel(engine, s, { form: 'join' });
    expect(fast.sql).toContain('list_transform');
    expect({ ...fast, sql: '' }).toEqual({ ...general, sql: '' });
    expect(fast.steps[2]?.count).toBeGreaterThan(10);
  });
});
