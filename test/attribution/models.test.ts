import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PathRow } from '../../src/analyses/attribution/pathTable.js';
import {
  attribute,
  collapseRepeats,
  conversionProbability,
  firstTouch,
  lastNonDirect,
  lastTouch,
  linear,
  markov,
  MODELS,
  positionBased,
  timeDecay,
  transitionCounts,
} from '../../src/analyses/attribution/models/index.js';

const row = (
  chs: string[],
  conversions: number,
  nonConversions = 0,
  revenue = 0,
  ages?: number[],
): PathRow => ({
  touches: chs.map((channel, i) => ({ channel, secondsBeforeEnd: ages?.[i] ?? 0 })),
  conversions,
  nonConversions,
  revenue,
});
const obj = (m: Map<string, number>) => Object.fromEntries(m);

describe('published vector 1', () => {
  const paths = [row(['A'], 2), row(['B'], 1), row(['A', 'B'], 1), row(['A'], 0, 1)];
  it('markov P, removal effects and credit', () => {
    const r = markov(paths);
    expect(r.probability).toBeCloseTo(0.8, 12);
    expect(r.removalEffect.get('A')).toBeCloseTo(0.75, 12);
    expect(r.removalEffect.get('B')).toBeCloseTo(0.5, 12);
    expect(r.conversions.get('A')).toBeCloseTo(2.4, 12);
    expect(r.conversions.get('B')).toBeCloseTo(1.6, 12);
  });
  it('rule-based models', () => {
    expect(obj(firstTouch(paths).conversions)).toEqual({ A: 3, B: 1 });
    expect(obj(lastTouch(paths).conversions)).toEqual({ A: 2, B: 2 });
    expect(obj(linear(paths).conversions)).toEqual({ A: 2.5, B: 1.5 });
  });
});

describe('published vector 2', () => {
  it('P = 1/3, RE 0.5/1/1, credit 0.2/0.4/0.4', () => {
    const r = markov([row(['C1', 'C2', 'C3'], 1), row(['C1'], 0, 1), row(['C2', 'C3'], 0, 1)]);
    expect(r.probability).toBeCloseTo(1 / 3, 12);
    expect(r.removalEffect.get('C1')).toBeCloseTo(0.5, 12);
    expect(r.removalEffect.get('C2')).toBeCloseTo(1, 12);
    expect(r.removalEffect.get('C3')).toBeCloseTo(1, 12);
    expect(r.conversions.get('C1')).toBeCloseTo(0.2, 12);
    expect(r.conversions.get('C2')).toBeCloseTo(0.4, 12);
    expect(r.conversions.get('C3')).toBeCloseTo(0.4, 12);
  });
});

describe('rule-based models, hand-computed', () => {
  it('one-touch path credits its channel fully in every model', () => {
    const p = [row(['X'], 3, 0, 30)];
    for (const f of [firstTouch, lastTouch, lastNonDirect, linear, positionBased, timeDecay]) {
      expect(obj(f(p).conversions)).toEqual({ X: 3 });
      expect(obj(f(p).revenue)).toEqual({ X: 30 });
    }
  });
  it('last non-direct skips Direct; all-direct paths credit Direct', () => {
    expect(obj(lastNonDirect([row(['Email', 'Direct', 'Direct'], 1)]).conversions)).toEqual({
      Email: 1,
      Direct: 0,
    });
    expect(obj(lastNonDirect([row(['Direct', 'Direct'], 2)]).conversions)).toEqual({ Direct: 2 });
  });
  it('repeated channels A > A > B', () => {
    const p = [row(['A', 'A', 'B'], 3)];
    expect(obj(linear(p).conversions)).toEqual({ A: 2, B: 1 });
    expect(obj(positionBased(p).conversions)).toEqual({ A: 0.4 * 3 + 0.2 * 3, B: 0.4 * 3 });
    expect(collapseRepeats(['A', 'A', 'B', 'B', 'A'])).toEqual(['A', 'B', 'A']);
  });
  it('position-based: 2 touches 50/50, 4 touches 40/10/10/40', () => {
    expect(obj(positionBased([row(['A', 'B'], 1)]).conversions)).toEqual({ A: 0.5, B: 0.5 });
    const c = positionBased([row(['A', 'B', 'C', 'D'], 10)]).conversions;
    expect(c.get('A')).toBeCloseTo(4);
    expect(c.get('B')).toBeCloseTo(1);
    expect(c.get('C')).toBeCloseTo(1);
    expect(c.get('D')).toBeCloseTo(4);
  });
  it('ties: first/last touch split equal counts', () => {
    const p = [row(['A', 'B'], 1), row(['B', 'A'], 1)];
    expect(obj(firstTouch(p).conversions)).toEqual({ A: 1, B: 1 });
    expect(obj(lastTouch(p).conversions)).toEqual({ A: 1, B: 1 });
  });
  it('time decay: ages 7 days and 0 give 1/3 and 2/3', () => {
    const c = timeDecay([row(['A', 'B'], 3, 0, 0, [7 * 86400, 0])]).conversions;
    expect(c.get('A')).toBeCloseTo(1, 12);
    expect(c.get('B')).toBeCloseTo(2, 12);
  });
});

describe('edge cases', () => {
  it('no conversions: all credits and removal effects 0', () => {
    const a = attribute([row(['A', 'B'], 0, 5)]);
    expect(a.conversions).toBe(0);
    for (const ch of a.channels) {
      expect(ch.removalEffect).toBe(0);
      for (const m of MODELS) expect(ch.conversions[m]).toBe(0);
    }
  });
  it('channel only on non-converting paths gets 0 credit', () => {
    const a = attribute([row(['A'], 2), row(['Z'], 0, 3)]);
    const z = a.channels.find((c) => c.channel === 'Z')!;
    expect(z.removalEffect).toBe(0);
    for (const m of MODELS) expect(z.conversions[m]).toBe(0);
  });
});

const arbPaths = fc
  .array(
    fc.record({
      chs: fc.array(fc.constantFrom('A', 'B', 'C', 'Direct'), { minLength: 1, maxLength: 5 }),
      conv: fc.nat(5),
      non: fc.nat(5),
      rev: fc.nat(100),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((rs) =>
    rs.map((r) =>
      row(
        r.chs,
        r.conv,
        r.non,
        r.conv > 0 ? r.rev : 0,
        r.chs.map((_, i) => i * 3600),
      ),
    ),
  );

describe('properties', () => {
  it('every model credits the total conversions and revenue', () => {
    fc.assert(
      fc.property(arbPaths, (paths) => {
        const a = attribute(paths);
        for (const m of MODELS) {
          const c = a.channels.reduce((s, ch) => s + ch.conversions[m], 0);
          const r = a.channels.reduce((s, ch) => s + ch.revenue[m], 0);
          if (m === 'markov' && a.conversions > 0 && c === 0) continue;
          expect(c).toBeCloseTo(a.conversions, 8);
          expect(r).toBeCloseTo(a.revenue, 6);
        }
      }),
    );
  });
  it('linear-system P equals power iteration', () => {
    fc.assert(
      fc.property(arbPaths, (paths) => {
        const { counts } = transitionCounts(paths);
        const n = counts.length;
        const probs = counts.map((r) => {
          const t = r.reduce((s, x) => s + x, 0);
          return r.map((x) => (t > 0 ? x / t : 0));
        });
        let dist = new Array<number>(n).fill(0);
        dist[0] = 1;
        let absorbed = 0;
        for (let it = 0; it < 200; it++) {
          const next = new Array<number>(n).fill(0);
          for (let i = 0; i < n - 2; i++)
            for (let j = 0; j < n; j++) next[j]! += dist[i]! * probs[i]![j]!;
          absorbed += next[n - 2]!;
          next[n - 2] = 0;
          next[n - 1] = 0;
          dist = next;
        }
        expect(conversionProbability(counts)).toBeCloseTo(absorbed, 8);
      }),
    );
  });
});
