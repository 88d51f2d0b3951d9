import { describe, expect, it } from 'vitest';
import { parseMapSpec } from '../../src/analyses/map/mapSpec.js';
import { runMap } from '../../src/analyses/map/runMap.js';
import { parsePersona } from '../../src/analyses/personas/personaSpec.js';
import { DEFAULT_STAGE_MAP } from '../../src/analyses/stages/stageMap.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { randomEventTables } from '../fixtures/randomEvents.js';
import { createEventsDb, type EventRow } from '../support/loadRows.js';
import { MAP_ROWS, MAP_STAGES } from './mapFixture.js';
import { referenceMap, type RefPersona } from './mapReference.js';

const PERSONAS: RefPersona[] = [
  { name: 'Mobile', devices: ['mobile'] },
  { name: 'Not mobile', devices: ['desktop', 'tablet'] },
];

async function check(
  tables: Record<string, EventRow[]>,
  stageMap: { stages: { name: string; rules: { event: string; occurrence?: number }[] }[] },
): Promise<unknown> {
  const personas = PERSONAS.map((p) =>
    parsePersona({ name: p.name, device: { category: p.devices } }),
  );
  const spec = parseMapSpec({
    dateRange: { start: '2020-11-01', end: '2020-11-04' },
    includeIntraday: true,
    stageMap,
    personas,
    minSupport: 1,
    longGapSeconds: 300,
  });
  const engine = await DuckdbEngine.open(await createEventsDb(tables));
  try {
    const got = await runMap(engine, spec, personas);
    const want = referenceMap(Object.values(tables).flat(), stageMap.stages, 'purchase', PERSONAS, {
      minSupport: 1,
      moments: 3,
      longGapSeconds: 300,
      topPages: 5,
    });
    const seen = got.personas.map((p) => ({
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
    expect(seen).toEqual(want);
    return seen;
  } finally {
    await engine.close();
  }
}

describe('moments of truth and pain points equal the event-by-event reference', () => {
  it('on the hand-worked rows', async () => {
    await check({ '20201101': MAP_ROWS }, MAP_STAGES);
  });

  /** Random fixtures merged into one set of tables, each seed's users apart, so one run sees many users. */
  const merged = (seeds: number[]): Record<string, EventRow[]> => {
    const out: Record<string, EventRow[]> = {};
    for (const seed of seeds) {
      for (const [suffix, rows] of Object.entries(randomEventTables(seed))) {
        out[suffix] = [
          ...(out[suffix] ?? []),
          ...rows.map((r) => ({
            ...r,
            user_pseudo_id:
              r.user_pseudo_id === null ? null : `${seed}-${String(r.user_pseudo_id)}`,
          })),
        ];
      }
    }
    return out;
  };

  it.each([3000, 4000])(
    'on 40 random fixtures from seed %i together, default stage map',
    async (first) => {
      const seen = JSON.stringify(
        await check(
          merged(Array.from({ length: 40 }, (_, i) => first + i)),
          DEFAULT_STAGE_MAP as Parameters<typeof check>[1],
        ),
      );
      // The comparison is not empty: moments, drop-offs, exit pages and long gaps all occur.
      for (const part of [
        '"moments":[{',
        '"kind":"drop_off"',
        '"kind":"exit_page"',
        '"kind":"long_gap"',
        '"kind":"channel"',
      ]) {
        expect(seen).toContain(part);
      }
    },
  );
});
