import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyMapResult } from '../../src/analyses/map/journeyMap.js';
import { parseMapSpec } from '../../src/analyses/map/mapSpec.js';
import { runMap } from '../../src/analyses/map/runMap.js';
import { parsePersona } from '../../src/analyses/personas/personaSpec.js';
import { DEFAULT_STAGE_MAP } from '../../src/analyses/stages/stageMap.js';
import { parseStagesSpec } from '../../src/analyses/stages/stagesSpec.js';
import { runStages } from '../../src/analyses/stages/runStages.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { generateSample } from '../../src/sample/generateSample.js';
import { addJourneyExtras } from '../../src/sample/sampleJourneyExtras.js';
import type { Identity } from '../../src/sql/vocabulary/identity.js';
import type { EventRow } from '../support/loadRows.js';
import { referenceMap, type RefPersona } from './mapReference.js';

// A small seeded sample made as the service makes it: the generator, then sign-ins across devices,
// offline visits and calls, and ad costs. Two weeks, the last day intraday.
const RANGE = { start: '2026-10-18', end: '2026-10-31' };
const PERSONAS: RefPersona[] = [
  { name: 'Mobile', devices: ['mobile'] },
  { name: 'Desktop', devices: ['desktop'] },
];
// Every touchpoint label is kept (the query keeps the top 200 per kind), so the reference, which
// keeps all, ranks the same moments of truth.
const OPTIONS = { minSupport: 10, moments: 3, longGapSeconds: 600, topPages: 5 };

let engine: DuckdbEngine;
let rows: EventRow[];
beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'pathlight-map-sample-')), 'events.duckdb');
  await generateSample(file, { days: 14, users: 300, seed: 11, endDate: RANGE.end });
  await addJourneyExtras(file, 11);
  engine = await DuckdbEngine.open(file);
  const read = await engine.query(
    `SELECT event_date, event_timestamp, event_name, user_pseudo_id, user_id, batch_ordering_id,
       batch_event_index, event_params, device, items, collected_traffic_source
     FROM events_wildcard
     WHERE regexp_replace(_TABLE_SUFFIX, '^intraday_', '') BETWEEN '20261018' AND '20261031'`,
    {},
    { name: 'reference rows' },
  );
  rows = read.rows as EventRow[];
}, 300_000);
afterAll(async () => engine?.close());

const personas = PERSONAS.map((p) =>
  parsePersona({ name: p.name, device: { category: [...p.devices] } }),
);
const mapOf = (identity: Identity = 'device') =>
  runMap(
    engine,
    parseMapSpec({
      dateRange: RANGE,
      identity,
      includeIntraday: true,
      personas,
      minSupport: OPTIONS.minSupport,
      topTouchpoints: 200,
      longGapSeconds: OPTIONS.longGapSeconds,
    }),
    personas,
  );

/** The figures the reference works out, from the result. */
const figures = (r: JourneyMapResult) =>
  r.personas.map((p) => ({
    users: p.users,
    stages: p.stages.map((s) => ({
      stage: s.stage,
      users: s.users,
      converted: s.converted,
      progressed: s.progressed,
      medianSecondsSincePrevious: s.medianSecondsSincePrevious,
      moments: s.moments,
      pains: s.painPoints,
    })),
    opportunities: p.opportunities,
  }));

describe('the journey map on the generated sample', () => {
  it('equals the event-by-event reference, figure for figure', async () => {
    const result = await mapOf();
    const want = referenceMap(
      rows,
      DEFAULT_STAGE_MAP.stages as Parameters<typeof referenceMap>[1],
      'purchase',
      PERSONAS,
      OPTIONS,
    );
    expect(figures(result)).toEqual(want);
  });

  it('is sensible: personas within all users, a moment of truth and a pain point for each', async () => {
    const result = await mapOf();
    const [all, mobile, desktop] = result.personas;
    expect(all!.users).toBeGreaterThan(250);
    // Every device is mobile, desktop or tablet: the two personas hold less than everyone, and
    // nobody is in both (a user's first event has one device).
    expect(mobile!.users + desktop!.users).toBeLessThanOrEqual(all!.users);
    expect(mobile!.users).toBeGreaterThan(0);
    expect(desktop!.users).toBeGreaterThan(0);
    expect(result.overlap).toEqual({ users: 0, share: 0 });
    for (const p of result.personas) {
      expect(p.empty).toBe(false);
      // Everyone in the range arrived: Awareness holds the whole persona.
      expect(p.stages[0]!.users).toBe(p.users);
      expect(p.stages.flatMap((s) => s.moments).length, p.name).toBeGreaterThan(0);
      expect(p.opportunities.length, p.name).toBeGreaterThan(0);
      for (const s of p.stages) {
        expect(s.converted).toBeLessThanOrEqual(s.users);
        for (const m of s.moments) {
          expect(m.did.users).toBeGreaterThanOrEqual(OPTIONS.minSupport);
          expect(m.didNot.users).toBeGreaterThanOrEqual(OPTIONS.minSupport);
          expect(m.interval[0]).toBeLessThanOrEqual(m.difference);
          expect(m.interval[1]).toBeGreaterThanOrEqual(m.difference);
        }
      }
    }
  });
});

describe("the map's who for all users equals the stages analysis on the same data", () => {
  it.each<Identity>(['device', 'blended'])('with %s identity', async (identity) => {
    const [map, stages] = await Promise.all([
      mapOf(identity),
      runStages(
        engine,
        parseStagesSpec({ dateRange: RANGE, includeIntraday: true, identity, goal: 'purchase' }),
      ),
    ]);
    const all = map.personas[0]!;
    expect(all.users).toBe(stages.users);
    expect(all.stages.map((s) => [s.stage, s.users])).toEqual(
      stages.stages.map((s) => [s.name, s.users]),
    );
    // Going on to the next stage, and the median time it takes, as the stages analysis counts them.
    expect(all.stages.slice(0, -1).map((s) => s.progressed)).toEqual(
      stages.progression.map((p) => p.users),
    );
    expect(all.stages.slice(1).map((s) => s.medianSecondsSincePrevious)).toEqual(
      stages.progression.map((p) => p.medianSecondsBetween),
    );
    expect(stages.stages[1]!.users).toBeGreaterThan(0);
  });

  it('where signed-in devices are one person, blended counts fewer users than devices', async () => {
    const [devices, people] = await Promise.all([mapOf('device'), mapOf('blended')]);
    expect(people.personas[0]!.users).toBeLessThan(devices.personas[0]!.users);
  });
});
