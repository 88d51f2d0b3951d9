import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { attribute, MODELS } from '../../src/analyses/attribution/models/index.js';
import type { PathRow } from '../../src/analyses/attribution/pathTable.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { randomEventTables } from '../fixtures/randomEvents.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';

const sums = (a: ReturnType<typeof attribute>) =>
  MODELS.map((m) => ({
    model: m,
    conversions: a.channels.reduce((s, c) => s + c.conversions[m], 0),
    revenue: a.channels.reduce((s, c) => s + c.revenue[m], 0),
  }));

const arbPathTable = fc.array(
  fc.record({
    touches: fc.array(
      fc.record({
        channel: fc.constantFrom('Direct', 'Email', 'Paid Search', 'Organic Search', 'Referral'),
        secondsBeforeEnd: fc.integer({ min: 0, max: 90 * 86400 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    conversions: fc.nat(20),
    nonConversions: fc.nat(20),
    revenue: fc.double({ min: 0, max: 1e5, noNaN: true }),
  }),
  { minLength: 1, maxLength: 12 },
);

describe('every model credits exactly the total', () => {
  it('over random path tables (ties, repeats, all-direct paths, any touch ages)', () => {
    fc.assert(
      fc.property(arbPathTable, (raw) => {
        const paths: PathRow[] = raw.map((r) => ({
          ...r,
          revenue: r.conversions > 0 ? r.revenue : 0,
        }));
        const a = attribute(paths);
        for (const s of sums(a)) {
          expect(s.conversions, s.model).toBeCloseTo(a.conversions, 6);
          expect(s.revenue, s.model).toBeCloseTo(a.revenue, 4);
        }
      }),
      { numRuns: 300 },
    );
  });

  // Through the SQL on random GA4 rows: conversions also add up to what an independent count of
  // the export's orders gives (each transaction_id once, at its first event, in the range).
  const seeds = Array.from({ length: 12 }, (_, i) => 2000 + i);
  const seen = { conversions: 0, multiTouch: 0 };
  it.each(seeds)('through SQL on random GA4 rows, seed %i', async (seed) => {
    // Five fixtures merged: users (and some session ids) recur, so paths get long and tangled.
    const tables: Record<string, EventRow[]> = {};
    for (let k = 0; k < 5; k++) {
      for (const [suffix, rows] of Object.entries(randomEventTables(seed * 10 + k))) {
        (tables[suffix] ??= []).push(...rows);
      }
    }
    const engine = await DuckdbEngine.open(await createEventsDb(tables));
    try {
      for (const touchpoint of ['channel', 'source_medium', 'campaign'] as const) {
        const r = await runAttribution(
          engine,
          parseAttributionSpec({
            dateRange: { start: '2020-11-02', end: '2020-11-04' },
            includeIntraday: true,
            goal: { event: 'purchase', value: 'param:value' },
            lookback: '1d',
            touchpoint,
          }),
        );
        const credited = MODELS.map((m) => r.channels.reduce((s, c) => s + c.conversions[m], 0));
        const revenue = MODELS.map((m) => r.channels.reduce((s, c) => s + c.revenue[m], 0));
        for (const c of credited) expect(c).toBeCloseTo(r.conversions, 6);
        for (const v of revenue) expect(v).toBeCloseTo(r.revenue, 4);
        const orders = referenceOrders(tables);
        seen.conversions += r.conversions;
        seen.multiTouch += r.pathLengths.filter((l) => l.touchpoints > 1).length;
        expect(r.conversions + r.unattributed.conversions).toBe(orders.inRange);
        expect(r.unattributed.withoutUser).toBe(orders.withoutUser);
      }
    } finally {
      await engine.close();
    }
  });
  it('those fixtures held conversions and multi-touch paths (the checks above were not vacuous)', () => {
    expect(seen.conversions).toBeGreaterThan(50);
    expect(seen.multiTouch).toBeGreaterThan(5);
  });
});

/** Purchases in the range, each transaction once at its first event (ties by user id). */
function referenceOrders(tables: Record<string, EventRow[]>) {
  const events = Object.entries(tables).flatMap(([suffix, rows]) =>
    rows
      .filter((r) => r.event_name === 'purchase')
      .map((r) => {
        const params =
          (r.event_params as { key: string; value: { string_value: string | null } }[]) ?? [];
        const ecommerce = r.ecommerce as { transaction_id?: string } | null;
        return {
          day: suffix.replace('intraday_', ''),
          ts: Number(r.event_timestamp),
          user: r.user_pseudo_id as string | null,
          tx:
            ecommerce?.transaction_id ??
            params.find((p) => p.key === 'transaction_id')?.value.string_value ??
            null,
        };
      }),
  );
  const first = new Map<string, (typeof events)[number]>();
  const kept = events.filter((e) => e.tx === null);
  for (const e of events) {
    if (e.tx === null) continue;
    const prev = first.get(e.tx);
    if (!prev || e.ts < prev.ts || (e.ts === prev.ts && (e.user ?? '') < (prev.user ?? '')))
      first.set(e.tx, e);
  }
  kept.push(...first.values());
  const inRange = kept.filter((e) => e.day >= '20201102' && e.day <= '20201104');
  return { inRange: inRange.length, withoutUser: inRange.filter((e) => e.user === null).length };
}
