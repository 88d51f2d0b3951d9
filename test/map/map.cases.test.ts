import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMapSpec, type MapSpecInput } from '../../src/analyses/map/mapSpec.js';
import { runMap } from '../../src/analyses/map/runMap.js';
import { parsePersona, type PersonaInput } from '../../src/analyses/personas/personaSpec.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { InputError } from '../../src/errors/errors.js';
import { createEventsDb } from '../support/loadRows.js';
import { MAP_ROWS, MAP_STAGES, PERSONAS } from './mapFixture.js';

let engine: DuckdbEngine;
beforeAll(async () => {
  engine = await DuckdbEngine.open(await createEventsDb({ '20201101': MAP_ROWS }));
});
afterAll(async () => {
  await engine.close();
});

const run = (personas: PersonaInput[], extra: Partial<MapSpecInput> = {}) => {
  const parsed = personas.map((p) => parsePersona(p));
  const spec = parseMapSpec({
    dateRange: { start: '2020-11-01', end: '2020-11-01' },
    stageMap: MAP_STAGES,
    minSupport: 2,
    personas: parsed,
    ...extra,
  });
  return runMap(engine, spec, parsed);
};

const errorOf = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
};

describe('the journey map, worked by hand', () => {
  it('all users: who, doing, a clear moment of truth at Visit, pain points and opportunities', async () => {
    const r = await run([]);
    const all = r.personas[0];
    expect(all?.name).toBe('All users');
    expect([all?.users, all?.converted]).toEqual([6, 2]);
    expect(
      all?.stages.map((s) => [
        s.stage,
        s.users,
        s.converted,
        s.conversionRate,
        s.progressed,
        s.medianSecondsSincePrevious,
      ]),
    ).toEqual([
      ['Visit', 6, 2, 0.3333, 4, null],
      ['Cart', 4, 2, 0.5, 4, 10],
      ['Checkout', 4, 2, 0.5, null, 10],
    ]);
    const visit = all?.stages[0];
    expect(visit?.doing.event.map((t) => [t.label, t.users])).toEqual([
      ['session_start', 6],
      ['view_search_results', 3],
      ['page_view', 2],
    ]);
    expect(visit?.doing.search).toEqual([{ kind: 'search', label: 'shoes', users: 3, share: 0.5 }]);
    expect(visit?.doing.channel).toEqual([
      { kind: 'channel', label: 'Organic Search', users: 1, share: 0.1667 },
    ]);
    // Searchers buy 2 of 3, the others 0 of 3. The interval is Newcombe's from the two Wilson
    // intervals, worked apart from the code (his 1998 paper's 56/70 - 48/80 gives 0.0524..0.3339).
    expect(visit?.moments[0]).toEqual({
      stage: 'Visit',
      kind: 'event',
      label: 'view_search_results',
      did: { users: 3, converted: 2, rate: 0.6667 },
      didNot: { users: 3, converted: 0, rate: 0 },
      difference: 0.6667,
      interval: [-0.0586, 0.9385],
    });
    expect(visit?.moments.map((m) => [m.kind, m.label, m.difference])).toEqual([
      ['event', 'view_search_results', 0.6667],
      ['search', 'shoes', 0.6667],
      ['event', 'page_view', -0.5],
    ]);
    expect(visit?.painPoints).toEqual([
      {
        stage: 'Visit',
        kind: 'drop_off',
        label: 'left before Cart',
        users: 2,
        conversionsAtStake: 0.67,
      },
      { stage: 'Visit', kind: 'exit_page', label: '/', users: 2, conversionsAtStake: 0.67 },
    ]);
    const checkout = all?.stages[2];
    expect(checkout?.moments.map((m) => [m.kind, m.label, m.did, m.didNot, m.interval])).toEqual([
      [
        'event',
        'page_view',
        { users: 2, converted: 0, rate: 0 },
        { users: 2, converted: 2, rate: 1 },
        [-1, -0.07],
      ],
      [
        'page',
        '/checkout',
        { users: 2, converted: 0, rate: 0 },
        { users: 2, converted: 2, rate: 1 },
        [-1, -0.07],
      ],
    ]);
    expect(all?.opportunities.map((p) => [p.stage, p.kind, p.users, p.conversionsAtStake])).toEqual(
      [
        ['Checkout', 'repeated_checkout', 2, 1],
        ['Visit', 'drop_off', 2, 0.67],
        ['Visit', 'exit_page', 2, 0.67],
      ],
    );
    expect(r.overlap).toBeNull();
  });

  it('a persona with its pain point at checkout: one mobile user of three repeats the step', async () => {
    const r = await run([PERSONAS.mobile]);
    const mobile = r.personas[1];
    expect([mobile?.name, mobile?.users, mobile?.converted, mobile?.shareOfAll]).toEqual([
      'Mobile',
      3,
      2,
      0.5,
    ]);
    const checkout = mobile?.stages[2];
    expect([checkout?.users, checkout?.converted, checkout?.conversionRate]).toEqual([
      3, 2, 0.6667,
    ]);
    expect(checkout?.painPoints).toEqual([
      {
        stage: 'Checkout',
        kind: 'repeated_checkout',
        label: 'repeated a checkout step',
        users: 1,
        conversionsAtStake: 0.67,
      },
    ]);
    // One mobile user did not search: below the minimum support, so no moment of truth at Visit.
    expect(mobile?.stages[0]?.moments).toEqual([]);
  });

  it('an empty persona says so instead of drawing zeros', async () => {
    const r = await run([PERSONAS.nobody]);
    expect(r.personas[1]).toMatchObject({
      name: 'Nobody',
      users: 0,
      empty: true,
      stages: [],
      opportunities: [],
    });
  });

  it('overlapping personas are answered side by side, with the share of users in more than one', async () => {
    const r = await run([PERSONAS.mobile, PERSONAS.searchers, PERSONAS.nobody]);
    expect(r.personas.map((p) => [p.name, p.users, p.overlapUsers])).toEqual([
      ['All users', 6, 0],
      ['Mobile', 3, 2],
      ['Searchers', 3, 2],
      ['Nobody', 0, 0],
    ]);
    // u1 and u2 are in both; the personas hold u1, u2, u3, u5.
    expect(r.overlap).toEqual({ users: 2, share: 0.5 });
  });

  it('reads every kind of persona condition', async () => {
    const users = async (ps: PersonaInput[]) =>
      (await run(ps)).personas.slice(1).map((p) => p.users);
    expect(
      await users([
        { name: 'Big', behaviour: { valueOver: { value: 100 } } },
        { name: 'Buyers', behaviour: { converted: 'purchase' } },
        { name: 'Checkout', behaviour: { reachedStage: 'Checkout' } },
        { name: 'Twice', behaviour: { did: [{ event: 'begin_checkout', atLeast: 2 }] } },
      ]),
    ).toEqual([1, 2, 4, 2]);
    expect(
      await users([
        { name: 'Pro', userProperties: [{ key: 'plan', op: 'eq', value: 'pro' }] },
        { name: 'Not pro', userProperties: [{ key: 'plan', op: 'neq', value: 'pro' }] },
        { name: 'Organic', firstTouch: { channel: ['Organic Search'] } },
        { name: 'Google', firstTouch: { source: ['google'] }, device: { category: ['desktop'] } },
      ]),
    ).toEqual([1, 0, 1, 1]);
    expect(await users([{ name: 'Germany', geo: { country: ['Germany'] } }])).toEqual([6]);
  });
});

describe('bad persona definitions', () => {
  it('are refused with the path of the field', () => {
    expect(errorOf(() => parsePersona({ name: 'x' })).message).toMatch(
      /expected at least one condition/,
    );
    expect(
      errorOf(() => parsePersona({ name: 'x', firstTouch: { channel: ['Telepathy'] } })).field,
    ).toBe('firstTouch.channel[0]');
    expect(
      errorOf(() => parsePersona({ name: 'x', behaviour: { did: [{ event: 'a', atLeast: 0 }] } }))
        .field,
    ).toBe('behaviour.did[0].atLeast');
    expect(
      errorOf(() =>
        parsePersona({ name: 'x', userProperties: [{ key: 'plan', op: 'gt', value: 'a' }] }),
      ).field,
    ).toBe('userProperties[0].value');
    expect(errorOf(() => parsePersona({ name: 'bad/name', geo: { country: ['DE'] } })).field).toBe(
      'name',
    );
    expect(errorOf(() => parsePersona({ name: 'x', device: { colour: ['red'] } })).message).toMatch(
      /device/,
    );
  });

  it('a stage the map does not have, and a fifth persona, are refused at their path', async () => {
    await expect(
      run([{ name: 'x', behaviour: { reachedStage: 'Loyalty' } }]),
    ).rejects.toMatchObject({
      field: 'personas[0].behaviour.reachedStage',
    });
    const five = ['a', 'b', 'c', 'd', 'e'];
    expect(
      errorOf(() =>
        parseMapSpec({ dateRange: { start: '2020-11-01', end: '2020-11-01' }, personas: five }),
      ).field,
    ).toBe('personas');
    expect(
      errorOf(() =>
        parseMapSpec({
          dateRange: { start: '2020-11-01', end: '2020-11-01' },
          personas: ['a', { name: 'a', geo: {} }],
        }),
      ).field,
    ).toMatch(/^personas\[1\]/);
  });
});
