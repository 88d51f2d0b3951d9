import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGoals } from '../../src/analyses/goals/goal.js';
import { absorptionProbabilities } from '../../src/analyses/nextStep/absorbingChain.js';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../src/analyses/nextStep/runNextStep.js';
import { registerNext } from '../../src/cli/commands/next.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { runCommand } from '../paths/cliHarness.js';

const T0 = 1604188800000000;
const ev = (user: string, name: string, t: number, p: Record<string, number> = {}): EventRow => ({
  event_date: '20201101',
  event_timestamp: T0 + t * 1_000_000,
  event_name: name,
  user_pseudo_id: user,
  event_params: params({ ga_session_id: 1, ...p }),
});
// journeys.md §4: A ×2 converted, B ×1 converted, A > B ×1 converted, A ×1 not converted.
const ROWS = [
  ev('1', 'A', 0),
  ev('1', 'purchase', 1),
  ev('2', 'A', 0),
  ev('2', 'purchase', 1),
  ev('3', 'B', 0),
  ev('3', 'purchase', 1, { value: 120 }),
  ev('4', 'A', 0),
  ev('4', 'B', 1),
  ev('4', 'purchase', 2),
  ev('4', 'A', 3),
  ev('5', 'A', 0),
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
const base = {
  dateRange: { start: '2020-11-01', end: '2020-11-01' },
  nodeType: 'event',
  goal: 'purchase',
};

describe('next step, worked by hand', () => {
  it('reproduces the published vector: P(conversion) = 0.8, from A 0.75, from B 1', async () => {
    const r = await runNextStep(engine, parseNextStepSpec({ ...base, minSupport: 1 }));
    expect(r.journeys).toBe(5);
    expect(r.conversions).toBe(4);
    expect(r.conversionProbability).toBe(0.8);
    const a = r.nodes.find((n) => n.node === 'A');
    const b = r.nodes.find((n) => n.node === 'B');
    // A: 4 journeys, to (conversion) 2, to B 1, to (exit) 1 (user 4's A after the purchase is cut).
    expect(a).toEqual({
      node: 'A',
      journeys: 4,
      transitions: 4,
      conversionProbability: 0.75,
      // Counted: users 1, 2 and 4 buy after their first A, user 5 does not. Wilson 95% for 3 of 4
      // worked by hand: (0.75 + z²/8 ∓ z·√(0.75·0.25/4 + z²/64)) / (1 + z²/4), z = 1.959964.
      reached: { journeys: 4, converted: 3, probability: 0.75, low: 0.300642, high: 0.954413 },
      next: [
        { node: '(conversion)', kind: 'conversion', transitions: 2, probability: 0.5 },
        { node: '(exit)', kind: 'exit', transitions: 1, probability: 0.25 },
        { node: 'B', kind: 'node', transitions: 1, probability: 0.25 },
      ],
    });
    expect(b).toMatchObject({ journeys: 2, conversionProbability: 1 });
  });

  it('a named goal with conditions: only the purchase of value 120 converts', async () => {
    const goals = parseGoals([
      {
        name: 'Big purchase',
        event: 'purchase',
        where: [{ param: 'value', op: 'gte', value: 100 }],
      },
    ]);
    const r = await runNextStep(
      engine,
      parseNextStepSpec({ ...base, goal: { goal: 'Big purchase' }, minSupport: 1 }),
      { goals },
    );
    // Other purchases are plain nodes: 1 A purchase · 2 A purchase · 3 B (conversion) · 4 A B
    // purchase A · 5 A. Solving P(A) = 2/5 P(purchase) + 1/5 P(B), P(B) = 1/2 + 1/2 P(purchase),
    // P(purchase) = 1/3 P(A) gives P(A) = 0.12, P(B) = 0.52, P(purchase) = 0.04, P(start) = 0.2.
    expect(r.goal).toBe('purchase');
    expect([r.journeys, r.conversions, r.conversionProbability]).toEqual([5, 1, 0.2]);
    const by = new Map(r.nodes.map((n) => [n.node, n]));
    expect(by.get('A')).toMatchObject({ journeys: 4, transitions: 5, conversionProbability: 0.12 });
    expect(by.get('B')).toMatchObject({ journeys: 2, transitions: 2, conversionProbability: 0.52 });
    expect(by.get('purchase')).toMatchObject({
      journeys: 3,
      transitions: 3,
      conversionProbability: 0.04,
    });
    await expect(
      runNextStep(engine, parseNextStepSpec({ ...base, goal: { goal: 'Nope' } }), { goals }),
    ).rejects.toThrow(/^goal\.goal: no goal named "Nope" \(known: Big purchase\)/);
    expect(() =>
      parseNextStepSpec({
        ...base,
        goal: { event: 'purchase', where: [{ param: 'value', op: 'gte' }] },
      }),
    ).toThrow('goal.where[0].value: gte: expected a value');
  });

  it('shows no estimate below the minimum support', async () => {
    const r = await runNextStep(engine, parseNextStepSpec({ ...base, minSupport: 3 }));
    expect(r.nodes.find((n) => n.node === 'B')).toEqual({
      node: 'B',
      journeys: 2,
      transitions: 2,
      conversionProbability: null,
      reached: null,
      next: [],
    });
    expect(r.nodes.find((n) => n.node === 'A')?.conversionProbability).toBe(0.75);
  });

  it('solves a chain with a loop exactly', () => {
    // X → Y 1, X → conv 1; Y → X 1, Y → exit 1: p_X = 1/2 + p_Y/2, p_Y = p_X/2 → p_X = 2/3.
    const counts = new Map([
      [
        'X',
        new Map([
          ['Y', 1],
          ['C', 1],
        ]),
      ],
      [
        'Y',
        new Map([
          ['X', 1],
          ['E', 1],
        ]),
      ],
    ]);
    const p = absorptionProbabilities(['X', 'Y'], counts, 'C');
    expect(p.get('X')).toBeCloseTo(2 / 3, 12);
    expect(p.get('Y')).toBeCloseTo(1 / 3, 12);
  });

  it('stage nodes: the latest stage met at each event (default map), user scope', async () => {
    const at = (user: string, name: string, t: number, session: number): EventRow => ({
      ...ev(user, name, t),
      event_params: params({ ga_session_id: session }),
    });
    const stageDb = await createEventsDb({
      '20201101': [
        at('x', 'session_start', 0, 1),
        at('x', 'page_view', 1, 1),
        at('x', 'view_item', 2, 1),
        at('x', 'add_to_cart', 3, 1),
        at('x', 'begin_checkout', 4, 1),
        at('x', 'purchase', 5, 1),
        at('y', 'session_start', 0, 1),
        at('y', 'view_item', 1, 1),
        // z's second session_start is its second occurrence: Retention.
        at('z', 'session_start', 0, 1),
        at('z', 'page_view', 1, 1),
        at('z', 'session_start', 10, 2),
        at('z', 'view_item', 11, 2),
      ],
    });
    const stageEngine = await DuckdbEngine.open(stageDb);
    try {
      const r = await runNextStep(
        stageEngine,
        parseNextStepSpec({ ...base, nodeType: 'stage', scope: 'user', minSupport: 1 }),
      );
      // x: Awareness > Consideration > Decision > (conversion); y: Awareness > Consideration > (exit);
      // z: Awareness > Retention > Consideration > (exit). P(C) = 1/3, P(A) = 2/3·1/3 + 1/3·1/3.
      expect(r.conversionProbability).toBe(0.333333);
      expect(r.nodes.map((n) => [n.node, n.journeys, n.conversionProbability])).toEqual([
        ['Awareness', 3, 0.333333],
        ['Consideration', 3, 0.333333],
        ['Decision', 1, 1],
        ['Retention', 1, 0.333333],
      ]);
      expect(r.nodes[0]?.next.map((x) => [x.node, x.transitions])).toEqual([
        ['Consideration', 2],
        ['Retention', 1],
      ]);
    } finally {
      await stageEngine.close();
    }
  });

  it('refuses bad specs with the field path', () => {
    const bad: [unknown, string][] = [
      [{ ...base, goal: undefined }, 'goal:'],
      [{ ...base, minSupport: 0 }, 'minSupport:'],
      [{ ...base, nodeType: 'screen' }, 'nodeType:'],
      [{ ...base, nodeType: 'stage', clean: [{ pattern: 'x' }] }, 'clean:'],
      [{ ...base, stageMap: { stages: [] } }, 'stageMap'],
      [{ ...base, top: 'x' }, 'top:'],
    ];
    for (const [spec, field] of bad) {
      expect(() => parseNextStepSpec(spec)).toThrow(InputError);
      expect(() => parseNextStepSpec(spec)).toThrow(field);
    }
  });
});

describe('pathlight next', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-next-'));
  it('answers the JSON contract and exits 2 on a bad spec', async () => {
    const spec = join(dir, 'next.json');
    writeFileSync(spec, JSON.stringify({ ...base, minSupport: 1 }));
    const ok = await runCommand(registerNext, ['next', '--db', db, '--spec', spec, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      journeys: 5,
      conversions: 4,
      conversionProbability: 0.8,
    });
    writeFileSync(spec, JSON.stringify({ ...base, goal: { goal: 'x', event: 'y' } }));
    const bad = await runCommand(registerNext, ['next', '--db', db, '--spec', spec]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('goal');
  });
});
