import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../src/analyses/nextStep/runNextStep.js';
import { wilsonInterval } from '../../src/analyses/nextStep/wilsonInterval.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { createEventsDb, params, type EventRow } from '../support/loadRows.js';
import { sampleDb } from '../render/sampleDb.js';

const T0 = 1604188800000000;
const ev = (user: string, name: string, t: number, session = 1): EventRow => ({
  event_date: '20201101',
  event_timestamp: T0 + t * 1_000_000,
  event_name: name,
  user_pseudo_id: user,
  event_params: params({ ga_session_id: session }),
});

describe('the Wilson interval', () => {
  it('matches values worked by hand', () => {
    // (p + z²/2n ∓ z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964, computed separately.
    const r = (x: { low: number; high: number }) => [x.low.toFixed(6), x.high.toFixed(6)];
    expect(r(wilsonInterval(10, 20))).toEqual(['0.299298', '0.700702']);
    expect(r(wilsonInterval(0, 4))).toEqual(['0.000000', '0.489891']);
    expect(r(wilsonInterval(2, 2))).toEqual(['0.342380', '1.000000']);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('reached-node probability, worked by hand', () => {
  let engine: DuckdbEngine;
  beforeAll(async () => {
    engine = await DuckdbEngine.open(
      await createEventsDb({
        '20201101': [
          // u1: X, purchase, X: X reached, goal after its first visit.
          ev('1', 'X', 0),
          ev('1', 'purchase', 1),
          ev('1', 'X', 2),
          // u2: purchase, then X: X only after the goal, no goal afterwards.
          ev('2', 'purchase', 0),
          ev('2', 'X', 1),
          // u3: X, Y, exit. u4: Y, purchase.
          ev('3', 'X', 0),
          ev('3', 'Y', 1),
          ev('4', 'Y', 0),
          ev('4', 'purchase', 1),
        ],
      }),
    );
  });
  afterAll(async () => {
    await engine.close();
  });

  it('counts journeys through a node anywhere and those with the goal after its first visit', async () => {
    const r = await runNextStep(
      engine,
      parseNextStepSpec({
        dateRange: { start: '2020-11-01', end: '2020-11-01' },
        nodeType: 'event',
        goal: 'purchase',
        minSupport: 1,
      }),
    );
    const x = r.nodes.find((n) => n.node === 'X');
    const y = r.nodes.find((n) => n.node === 'Y');
    // X: u1 (converted), u2 (goal only before), u3 (no goal): 1 of 3. The chain sees X only in u1
    // and u3 (u2's X comes after its goal): X → (conversion) once, X → Y once; Y → (exit) in u3,
    // Y → (conversion) in u4, so P(X) = ½ + ½·½ = 0.75.
    expect([x?.reached?.converted, x?.reached?.journeys, x?.conversionProbability]).toEqual([
      1, 3, 0.75,
    ]);
    expect([y?.reached?.converted, y?.reached?.journeys, y?.conversionProbability]).toEqual([
      1, 2, 0.5,
    ]);
  });
});

describe('on the sample', () => {
  let engine: DuckdbEngine;
  beforeAll(async () => {
    engine = await DuckdbEngine.open(await sampleDb());
  }, 60_000);
  afterAll(async () => {
    await engine.close();
  });

  it('the reached-node probability of add_payment_info is the session funnel add_payment_info → purchase', async () => {
    const dateRange = { start: '2026-10-11', end: '2026-10-31' };
    const next = await runNextStep(
      engine,
      parseNextStepSpec({
        dateRange,
        includeIntraday: true,
        nodeType: 'event',
        goal: 'purchase',
        minSupport: 1,
      }),
    );
    const funnel = await runFunnel(
      engine,
      parseFunnelSpec({
        dateRange,
        includeIntraday: true,
        scope: 'session',
        steps: [{ event: 'add_payment_info' }, { event: 'purchase' }],
      }),
    );
    const reached = next.nodes.find((n) => n.node === 'add_payment_info')?.reached;
    const [entered, converted] = funnel.steps.map((s) => s.count);
    expect([reached?.converted, reached?.journeys]).toEqual([converted, entered]);
    expect([converted, entered]).toEqual([10, 20]);
    // The chain's first-order figure for the same node is far lower: the reason both are shown.
    expect(
      next.nodes.find((n) => n.node === 'add_payment_info')?.conversionProbability,
    ).toBeLessThan(0.05);
  });
});
