import { copyFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { buildReportModel } from '../../src/reports/buildReportModel.js';
import {
  parseReportDefinition,
  type ReportDefinitionInput,
} from '../../src/reports/reportDefinition.js';
import type { DataQualityContext } from '../../src/reports/sections/dataQuality.js';
import type { KpiSummaryContext } from '../../src/reports/sections/kpiSummary.js';
import type { RetentionSectionContext } from '../../src/reports/sections/retentionSection.js';
import type { StagesSectionContext } from '../../src/reports/sections/stagesSection.js';
import type { ConversionPathsContext } from '../../src/reports/sections/conversionPathsSection.js';
import { NOW, sampleDb } from '../render/sampleDb.js';

/** Plain SQL on the sample file, apart from the code under test. */
async function sql(file: string, text: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(text)).getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// last_week at NOW: Monday 19 to Sunday 25 October 2026.
const IN_RANGE = "_TABLE_SUFFIX BETWEEN '20261019' AND '20261025'";
const param = (key: string, kind: string) =>
  `list_filter(event_params, p -> p.key = '${key}')[1].value.${kind}_value`;
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/**
 * The oracle for filters and segments: a copy of the sample from which plain SQL (not the code under
 * test) deleted every event outside the filter, or every event of users outside the segment. The
 * scoped report on the whole sample must equal the unscoped report on the copy.
 */
async function copyKeeping(
  source: string,
  keep: { events: string } | { units: 'user' | 'session'; of: string },
): Promise<string> {
  const file = source.replace(/\.duckdb$/, `-${Math.random().toString(36).slice(2)}.duckdb`);
  copyFileSync(source, file);
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    const tables = (
      await connection.runAndReadAll(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_name LIKE 'events_2%'",
      )
    )
      .getRowObjectsJS()
      .map((r) => String(r.table_name));
    expect(tables.length).toBeGreaterThan(0);
    const unit = (u: 'user' | 'session') =>
      u === 'user'
        ? 'user_pseudo_id'
        : `user_pseudo_id || '.' || CAST(${param('ga_session_id', 'int')} AS VARCHAR)`;
    // The segment's members are read before anything is deleted.
    if ('units' in keep) {
      await connection.run(
        `CREATE TEMP TABLE kept AS SELECT DISTINCT ${unit(keep.units)} AS u FROM events_wildcard WHERE ${keep.of}`,
      );
    }
    for (const table of tables) {
      await connection.run(
        'units' in keep
          ? `DELETE FROM "${table}" WHERE ${unit(keep.units)} IS NULL OR ${unit(keep.units)} NOT IN (SELECT u FROM kept WHERE u IS NOT NULL)`
          : `DELETE FROM "${table}" WHERE NOT COALESCE(${keep.events}, FALSE)`,
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return file;
}

const EVERY_SECTION: ReportDefinitionInput['sections'] = [
  { type: 'kpi_summary' },
  {
    type: 'funnel',
    funnel: {
      window: '7d',
      steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'purchase' }],
    },
  },
  {
    type: 'trended_funnel',
    funnel: { steps: [{ event: 'view_item' }, { event: 'purchase' }] },
  },
  { type: 'journey_sankey', paths: { nodeType: 'event', steps: 3, topK: 4 } },
  { type: 'next_step', nextStep: { nodeType: 'event', minSupport: 5 } },
  { type: 'stages' },
  { type: 'retention', periods: 2 },
  { type: 'attribution_table' },
  { type: 'conversion_paths' },
  { type: 'data_quality' },
];

const definition = (extra: Partial<ReportDefinitionInput> = {}) =>
  parseReportDefinition({
    id: 'scoped',
    title: 'Scoped',
    goal: { event: 'purchase', name: 'Purchases' },
    dateRange: 'last_week',
    sections: EVERY_SECTION,
    ...extra,
  });

const MOBILE = [{ field: 'device.category', op: 'eq', value: 'mobile' }] as const;

/**
 * Section contexts without what is not a count of events (the GA4 line says why it is skipped);
 * charts keep their numbers, not the class names ECharts numbers per drawing.
 */
const numbers = (sections: { type: string; context: unknown }[]) =>
  sections.map((s) => {
    const context =
      s.type === 'data_quality' ? (s.context as DataQualityContext).items.slice(0, 4) : s.context;
    return {
      type: s.type,
      context: JSON.parse(
        JSON.stringify(context)
          .replace(/zr\d+-(cls-\d+|c\d+)/g, 'zr-$1')
          .replace(/zr-cls-\d+/g, 'zr-cls'),
      ) as unknown,
    };
  });

let full: string;
let engine: DuckdbEngine;
const opened: DuckdbEngine[] = [];
beforeAll(async () => {
  full = await sampleDb();
  engine = await DuckdbEngine.open(full);
});
afterAll(async () => {
  await engine?.close();
  for (const e of opened) await e.close();
});
const open = async (file: string) => {
  const e = await DuckdbEngine.open(file);
  opened.push(e);
  return e;
};

describe('report filters', () => {
  it('change every section to what the report reads on only the matching events', async () => {
    const mobileOnly = await open(
      await copyKeeping(full, { events: "device.category = 'mobile'" }),
    );
    const [filtered, oracle, unfiltered] = await Promise.all([
      buildReportModel(engine, definition({ filters: [...MOBILE] }), NOW),
      buildReportModel(mobileOnly, definition(), NOW),
      buildReportModel(engine, definition(), NOW),
    ]);
    expect(filtered.sections.map((s) => s.type)).toEqual(EVERY_SECTION.map((s) => s.type));
    expect(numbers(filtered.sections)).toEqual(numbers(oracle.sections));
    const before = numbers(unfiltered.sections);
    numbers(filtered.sections).forEach((section, i) => {
      expect(section, section.type).not.toEqual(before[i]);
    });
    // The oracle has data in every section, so equal contexts are not equal emptiness.
    const kpi = oracle.sections[0]?.context as KpiSummaryContext;
    expect(Number(kpi.tiles[2]?.value.replace(/,/g, ''))).toBeGreaterThan(0);
    const quality = filtered.sections.at(-1)?.context as DataQualityContext;
    expect(quality.items.at(-1)).toMatchObject({
      value: 'not checked',
      note: "the report's filters cannot be applied to GA4's own totals, so they are not compared",
    });
  });
});

describe('a report goal with conditions', () => {
  it('counts only the goal events meeting them, valued by its value source', async () => {
    // Each transaction once (its largest value), plus every purchase without one.
    const [expected] = await sql(
      full,
      `WITH p AS (
         SELECT COALESCE(ecommerce.transaction_id, ${param('transaction_id', 'string')}) AS tx,
                COALESCE(${param('value', 'double')}, CAST(${param('value', 'int')} AS DOUBLE), 0) AS v,
                ${param('currency', 'string')} AS currency
         FROM events_wildcard WHERE event_name = 'purchase' AND ${IN_RANGE}),
       usd AS (SELECT * FROM p WHERE currency = 'USD'),
       conv AS (SELECT tx, MAX(v) AS v FROM usd WHERE tx IS NOT NULL GROUP BY tx
                UNION ALL SELECT tx, v FROM usd WHERE tx IS NULL)
       SELECT (SELECT COUNT(*) FROM conv) AS n, (SELECT ROUND(SUM(v), 2) FROM conv) AS revenue,
              (SELECT COUNT(DISTINCT tx) FROM p) AS every`,
    );
    const n = Number(expected?.n);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(Number(expected?.every));
    const model = await buildReportModel(
      engine,
      definition({
        goal: {
          event: 'purchase',
          name: 'USD purchases',
          where: [{ param: 'currency', op: 'eq', value: 'USD' }],
          value: 'param:value',
        },
        sections: [{ type: 'kpi_summary' }, { type: 'conversion_paths' }],
      }),
      NOW,
    );
    const kpi = model.sections[0]?.context as KpiSummaryContext;
    expect(kpi.tiles[2]).toMatchObject({
      label: 'Conversions (USD purchases)',
      value: n.toLocaleString('en-US'),
    });
    expect(kpi.tiles[4]?.value).toBe(usd.format(Number(expected?.revenue)));
    const paths = model.sections[1]?.context as ConversionPathsContext;
    expect(paths.basis).toContain(`${n.toLocaleString('en-US')} conversions (USD purchases)`);
  });

  it('stages and retention count the goal with its conditions too', async () => {
    // The oracle: the bare purchase goal on a copy without the purchases the conditions refuse.
    const usdOnly = await open(
      await copyKeeping(full, {
        events: `event_name <> 'purchase' OR ${param('currency', 'string')} = 'USD'`,
      }),
    );
    const sections: ReportDefinitionInput['sections'] = [
      { type: 'stages' },
      { type: 'retention', periods: 2 },
    ];
    const [withConditions, oracle, bare] = await Promise.all([
      buildReportModel(
        engine,
        definition({
          goal: { event: 'purchase', where: [{ param: 'currency', op: 'eq', value: 'USD' }] },
          sections,
        }),
        NOW,
      ),
      buildReportModel(usdOnly, definition({ sections }), NOW),
      buildReportModel(engine, definition({ sections }), NOW),
    ]);
    const goalFigures = (m: typeof bare) => {
      const stages = m.sections[0]?.context as StagesSectionContext;
      const retention = m.sections[1]?.context as RetentionSectionContext;
      return {
        exitPages: stages.exitPages,
        converters: retention.converters,
        repeatRate: retention.repeatRate,
      };
    };
    expect(goalFigures(withConditions)).toEqual(goalFigures(oracle));
    expect(goalFigures(withConditions)).not.toEqual(goalFigures(bare));
    expect(withConditions.sections.map((s) => s.note)).toEqual(['', '']);
  });

  it('may be a saved goal, by name', async () => {
    const goals = new Map([
      [
        'USD',
        {
          name: 'USD',
          event: 'purchase',
          where: [{ param: 'currency', op: 'eq' as const, value: 'USD' }],
          value: 'none',
        },
      ],
    ]);
    const saved = await buildReportModel(
      engine,
      definition({ goal: 'USD', sections: [{ type: 'kpi_summary' }] }),
      NOW,
      { goals },
    );
    const inline = await buildReportModel(
      engine,
      definition({
        goal: {
          event: 'purchase',
          name: 'USD',
          where: [{ param: 'currency', op: 'eq', value: 'USD' }],
          value: 'none',
        },
        sections: [{ type: 'kpi_summary' }],
      }),
      NOW,
    );
    const tiles = (m: typeof saved) => (m.sections[0]?.context as KpiSummaryContext).tiles;
    expect(tiles(saved)).toEqual(tiles(inline));
    expect((saved.sections[0]?.context as KpiSummaryContext).tiles[4]?.value).toBe(usd.format(0));
    await expect(
      buildReportModel(
        engine,
        definition({ goal: 'Leads', sections: [{ type: 'kpi_summary' }] }),
        NOW,
        { goals },
      ),
    ).rejects.toThrow('goal: no saved goal named "Leads" (known: USD)');
  });
});

describe('further goals', () => {
  it('are listed in the KPI summary with the conversions independent SQL counts', async () => {
    const [expected] = await sql(
      full,
      `WITH c AS (SELECT COALESCE(ecommerce.transaction_id, ${param('transaction_id', 'string')}) AS tx
                  FROM events_wildcard WHERE event_name = 'add_to_cart' AND ${IN_RANGE})
       SELECT (SELECT COUNT(DISTINCT tx) FROM c) + (SELECT COUNT(*) FROM c WHERE tx IS NULL) AS n`,
    );
    const goals = new Map([
      ['Nothing', { name: 'Nothing', event: 'no_such_event', value: 'none' }],
    ]);
    const model = await buildReportModel(
      engine,
      definition({
        goals: [{ event: 'add_to_cart', name: 'Carts' }, 'Nothing'],
        sections: [{ type: 'kpi_summary' }],
      }),
      NOW,
      { goals },
    );
    const kpi = model.sections[0]?.context as KpiSummaryContext;
    expect(Number(expected?.n)).toBeGreaterThan(0);
    expect(kpi.goals.map((g) => [g.name, g.conversions])).toEqual([
      ['Carts', Number(expected?.n).toLocaleString('en-US')],
      ['Nothing', '0'],
    ]);
  });
});

describe('report segments', () => {
  it.each(['user', 'session'] as const)(
    'give the KPI summary a %s-segment row equal to the report on only its members’ events',
    async (scope) => {
      const segment = { name: 'Cart users', scope, event: 'add_to_cart' } as const;
      const oracleEngine = await open(
        await copyKeeping(full, {
          units: scope,
          of: `event_name = 'add_to_cart' AND ${IN_RANGE}`,
        }),
      );
      const [segmented, oracle] = await Promise.all([
        buildReportModel(engine, definition({ segments: [segment] }), NOW),
        buildReportModel(oracleEngine, definition(), NOW),
      ]);
      const kpi = segmented.sections[0]?.context as KpiSummaryContext;
      const tiles = (oracle.sections[0]?.context as KpiSummaryContext).tiles.map((t) => t.value);
      const all = (
        (await buildReportModel(engine, definition(), NOW)).sections[0]
          ?.context as KpiSummaryContext
      ).tiles.map((t) => t.value);
      const row = (r: KpiSummaryContext['segments'][number] | undefined) =>
        r && [r.users, r.sessions, r.conversions, r.conversionRate, r.revenue];
      expect(kpi.segments.map((r) => r.name)).toEqual(['All users', 'Cart users']);
      expect(row(kpi.segments[0])).toEqual(all);
      expect(row(kpi.segments[1])).toEqual(tiles);
      expect(tiles).not.toEqual(all);
      // The funnels draw the segment as the same funnel on its events; the others say they do not split.
      const funnel = segmented.sections[1]?.context as {
        segments: { name: string; overall: string }[];
      };
      const oracleFunnel = oracle.sections[1]?.context as { overall: string };
      expect(funnel.segments.map((s) => s.name)).toEqual(['All users', 'Cart users']);
      expect(funnel.segments[1]?.overall).toBe(oracleFunnel.overall);
      expect(
        segmented.sections
          .filter((s) => s.note === 'All users (segments not applied).')
          .map((s) => s.type),
      ).toEqual([
        'journey_sankey',
        'next_step',
        'stages',
        'retention',
        'attribution_table',
        'conversion_paths',
        'data_quality',
      ]);
    },
  );
});
