import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runStages } from '../../src/analyses/stages/runStages.js';
import {
  DEFAULT_STAGE_MAP,
  defaultStageMapYaml,
  parseStageMap,
} from '../../src/analyses/stages/stageMap.js';
import { parseStagesSpec } from '../../src/analyses/stages/stagesSpec.js';
import { registerStages } from '../../src/cli/commands/stages.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { runCommand } from '../paths/cliHarness.js';

const T0 = 1604188800000000;
const ev = (
  user: string | null,
  name: string,
  t: number,
  session = 1,
  path?: string,
): EventRow => ({
  event_date: '20201101',
  event_timestamp: T0 + t * 1_000_000,
  event_name: name,
  user_pseudo_id: user,
  event_params: params({
    ga_session_id: session,
    ...(path ? { page_location: `https://s.example${path}` } : {}),
  }),
});
const ROWS = [
  ev('a', 'session_start', 0),
  ev('a', 'page_view', 1, 1, '/'),
  ev('a', 'view_item', 10),
  ev('a', 'add_to_cart', 20),
  ev('a', 'begin_checkout', 30),
  ev('a', 'purchase', 40),
  ev('a', 'session_start', 100, 2),
  ev('a', 'purchase', 110, 2),
  ev('a', 'session_start', 200, 3),
  ev('a', 'purchase', 210, 3),
  ev('b', 'session_start', 0),
  ev('b', 'page_view', 5, 1, '/shop'),
  ev('b', 'view_item', 15),
  ev('c', 'page_view', 0, 1, '/'),
  ev('c', 'page_view', 3, 1, '/cart?x=1'),
  ev('d', 'view_item', 0),
  ev('e', 'session_start', 0),
  ev('e', 'page_view', 1, 1, '/'),
  ev(null, 'page_view', 0, 1, '/'),
];

let db: string;
let engine: DuckdbEngine;
beforeAll(async () => {
  db = await createEventsDb({ '20201101': ROWS });
  engine = await DuckdbEngine.open(db);
});
afterAll(async () => {
  await engine.close();
});
const base = { dateRange: { start: '2020-11-01', end: '2020-11-01' } };

describe('stages, worked by hand', () => {
  it('default map: users per stage, progression, medians, pain points', async () => {
    const r = await runStages(engine, parseStagesSpec(base));
    expect(r.users).toBe(5);
    expect(r.eventsWithoutUser).toBe(1);
    expect(r.stages.map((s) => [s.name, s.users])).toEqual([
      ['Awareness', 4],
      ['Consideration', 3],
      ['Decision', 1],
      ['Retention', 1],
      ['Loyalty', 1],
    ]);
    expect(r.progression).toEqual([
      { from: 'Awareness', to: 'Consideration', users: 2, rate: 0.5, medianSecondsBetween: 12.5 },
      { from: 'Consideration', to: 'Decision', users: 1, rate: 0.3333, medianSecondsBetween: 20 },
      { from: 'Decision', to: 'Retention', users: 1, rate: 1, medianSecondsBetween: 70 },
      { from: 'Retention', to: 'Loyalty', users: 1, rate: 1, medianSecondsBetween: 110 },
    ]);
    expect(r.painPoints).toEqual({
      largestDrop: { from: 'Awareness', to: 'Consideration', lost: 2, rate: 0.5 },
      unconvertedSessions: 4,
      exitPages: [
        { page: '/', sessions: 1, share: 0.25 },
        { page: '/cart?x=1', sessions: 1, share: 0.25 },
        { page: '/shop', sessions: 1, share: 0.25 },
      ],
    });
  });

  it('rules with parameter values', async () => {
    const stageMap = {
      stages: [
        { name: 'Seen', rules: [{ event: 'page_view' }] },
        {
          name: 'Cart page',
          rules: [
            { event: 'page_view', param: 'page_location', values: ['https://s.example/cart?x=1'] },
          ],
        },
      ],
    };
    const r = await runStages(engine, parseStagesSpec({ ...base, stageMap }));
    expect(r.stages.map((s) => s.users)).toEqual([4, 1]);
    expect(r.progression[0]).toEqual({
      from: 'Seen',
      to: 'Cart page',
      users: 1,
      rate: 0.25,
      medianSecondsBetween: 3,
    });
  });

  it('rules with conditions, read as funnel step conditions, from a YAML map', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pathlight-stages-')), 'map.yaml');
    writeFileSync(
      file,
      [
        'stages:',
        '  - name: Landed',
        '    rules:',
        '      - event: page_view',
        '        where: [{ param: page_location, op: regex, value: "/$" }]',
        '  - name: Cart or shop',
        '    rules:',
        '      - event: page_view',
        '        where: [{ param: page_location, op: contains, value: cart }]',
        '      - event: page_view',
        '        where:',
        '          - { param: page_location, op: starts_with, value: "https://s.example/shop" }',
        '',
      ].join('\n'),
    );
    const stageMap = parseStageMap(parseYaml(readFileSync(file, 'utf8')), '--stages');
    const r = await runStages(engine, parseStagesSpec({ ...base, stageMap }));
    // Landed: a, c, e (a page "/"); Cart or shop: b (/shop), c (/cart?x=1, 3 s after its "/").
    expect(r.stages.map((s) => [s.name, s.users])).toEqual([
      ['Landed', 3],
      ['Cart or shop', 2],
    ]);
    expect(r.progression[0]).toEqual({
      from: 'Landed',
      to: 'Cart or shop',
      users: 1,
      rate: 0.3333,
      medianSecondsBetween: 3,
    });
    expect(r.painPoints.largestDrop).toEqual({
      from: 'Landed',
      to: 'Cart or shop',
      lost: 2,
      rate: 0.6667,
    });
  });

  it('the YAML copy of the default map is generated from the code', () => {
    const file = fileURLToPath(
      new URL('../../examples/stages/default-stages.yaml', import.meta.url),
    );
    expect(readFileSync(file, 'utf8')).toBe(defaultStageMapYaml());
    expect(parseStageMap(parseYaml(readFileSync(file, 'utf8')))).toEqual(
      parseStageMap(DEFAULT_STAGE_MAP),
    );
  });

  it('refuses bad maps and specs with the field path', () => {
    const bad: [unknown, string][] = [
      [
        { ...base, stageMap: { stages: [{ name: 'x', rules: [{ event: 'a' }] }] } },
        'stageMap.stages:',
      ],
      [
        {
          ...base,
          stageMap: {
            stages: [
              { name: 'x', rules: [] },
              { name: 'y', rules: [{ event: 'b' }] },
            ],
          },
        },
        'stageMap.stages[0].rules:',
      ],
      [
        {
          ...base,
          stageMap: {
            stages: [
              { name: 'x', rules: [{ event: 'a', param: 'k' }] },
              { name: 'y', rules: [{ event: 'b' }] },
            ],
          },
        },
        'stageMap.stages[0].rules[0].values:',
      ],
      [
        {
          ...base,
          stageMap: {
            stages: [
              { name: 'x', rules: [{ event: 'a', occurrence: 0 }] },
              { name: 'x', rules: [{ event: 'b' }] },
            ],
          },
        },
        'stageMap.stages[0].rules[0].occurrence:',
      ],
      [
        {
          ...base,
          stageMap: {
            stages: [
              { name: 'x', rules: [{ event: 'a' }] },
              { name: 'y', rules: [{ event: 'b', where: [{ param: 'k', op: 'like', value: 1 }] }] },
            ],
          },
        },
        'stageMap.stages[1].rules[0].where[0].op:',
      ],
      [
        {
          ...base,
          stageMap: {
            stages: [
              {
                name: 'x',
                rules: [{ event: 'a', where: [{ field: 'geo.planet', op: 'eq', value: 'x' }] }],
              },
              { name: 'y', rules: [{ event: 'b' }] },
            ],
          },
        },
        'stageMap.stages[0].rules[0].where[0].field:',
      ],
      [
        {
          ...base,
          stageMap: {
            stages: [1, 2, 3, 4].map((i) => ({
              name: `s${i}`,
              rules: [
                {
                  event: 'a',
                  where: Array.from({ length: 8 }, () => ({ param: 'k', op: 'eq', value: 'v' })),
                },
              ],
            })),
          },
        },
        'stageMap.stages: at most 30 conditions in all, got 32',
      ],
      [{ ...base, goal: '' }, 'goal:'],
    ];
    for (const [spec, field] of bad) {
      expect(() => parseStagesSpec(spec)).toThrow(InputError);
      expect(() => parseStagesSpec(spec)).toThrow(field);
    }
  });
});

describe('pathlight stages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-stages-'));
  it('answers the JSON contract with the default YAML map and exits 2 on a bad map', async () => {
    const spec = join(dir, 'stages.json');
    writeFileSync(spec, JSON.stringify(base));
    const yamlMap = fileURLToPath(
      new URL('../../examples/stages/default-stages.yaml', import.meta.url),
    );
    const ok = await runCommand(registerStages, [
      'stages',
      '--db',
      db,
      '--spec',
      spec,
      '--stages',
      yamlMap,
      '--json',
    ]);
    expect(ok.code).toBe(0);
    const json = JSON.parse(ok.stdout) as {
      users: number;
      stages: { name: string; users: number }[];
    };
    expect(json.users).toBe(5);
    expect(json.stages.map((s) => s.users)).toEqual([4, 3, 1, 1, 1]);
    const badMap = join(dir, 'bad.yaml');
    writeFileSync(badMap, 'stages: []\n');
    const bad = await runCommand(registerStages, [
      'stages',
      '--db',
      db,
      '--spec',
      spec,
      '--stages',
      badMap,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stages.stages:');
  });
});
