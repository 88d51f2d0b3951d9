/**
 * An independent reading of journeys.md §1 "Next step" for the property tests: journeys built in
 * memory, transitions counted, and absorption probabilities found by iterating p ← Qp + r to a fixed
 * point (a different method from the production code's elimination).
 */
import type { RefAnchor, RefEvent } from '../paths/referencePaths.js';

export interface RefNextSpec {
  scope: 'session' | 'user';
  nodeType: 'event' | 'page_path' | 'page_title';
  goal: RefAnchor;
  collapseRepeats: boolean;
  exclude: string[];
}

export interface RefNext {
  journeys: number;
  conversions: number;
  /** "from|to" → transitions; (start), (conversion), (exit) spelled that way. */
  counts: Map<string, number>;
  support: Map<string, number>;
  probability: Map<string, number>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pathOf = (location: string) => {
  const m = /^[A-Za-z][-A-Za-z0-9+.]*:\/\/[^/?#]*(.*)$/s.exec(location);
  const rest = m ? (m[1] as string) : location;
  return rest === '' ? '/' : rest;
};

export function referenceNextStep(events: readonly RefEvent[], spec: RefNextSpec): RefNext {
  const units = new Map<string, RefEvent[]>();
  for (const e of events) {
    if (e.user === null || spec.exclude.includes(e.name)) continue;
    if (spec.scope === 'session' && e.session === null) continue;
    const key = spec.scope === 'session' ? `${e.user}.${e.session}` : e.user;
    units.set(key, [...(units.get(key) ?? []), e]);
  }
  const nodeOf = (e: RefEvent): string | null => {
    if (spec.nodeType === 'event') return e.name;
    if (e.name !== 'page_view') return null;
    if (spec.nodeType === 'page_title') return e.title;
    return e.loc === null ? null : pathOf(e.loc);
  };
  const isGoal = (e: RefEvent) =>
    e.name === spec.goal.name &&
    (spec.goal.locContains === undefined ||
      (e.loc !== null && e.loc.includes(spec.goal.locContains)));
  const counts = new Map<string, number>();
  const through = new Map<string, Set<string>>();
  let conversions = 0;
  for (const [unit, list] of units) {
    const sorted = [...list].sort(
      (a, b) =>
        a.ts - b.ts ||
        (a.bo ?? 0) - (b.bo ?? 0) ||
        (a.bi ?? 0) - (b.bi ?? 0) ||
        cmp(a.name, b.name) ||
        cmp(nodeOf(a) ?? '', nodeOf(b) ?? '') ||
        Number(nodeOf(a) !== null) - Number(nodeOf(b) !== null) ||
        Number(isGoal(a)) - Number(isGoal(b)), // otherwise tied: the goal last
    );
    const g = sorted.findIndex(isGoal);
    const before = g < 0 ? sorted : sorted.slice(0, g);
    let nodes = before.map(nodeOf).filter((n): n is string => n !== null);
    if (spec.collapseRepeats) nodes = nodes.filter((n, i) => i === 0 || nodes[i - 1] !== n);
    if (g >= 0) conversions += 1;
    const seq = ['(start)', ...nodes, g >= 0 ? '(conversion)' : '(exit)'];
    for (let i = 0; i + 1 < seq.length; i += 1) {
      const k = `${seq[i]}|${seq[i + 1]}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      const set = through.get(seq[i] as string) ?? new Set<string>();
      set.add(unit);
      through.set(seq[i] as string, set);
    }
  }
  const support = new Map([...through].map(([n, s]) => [n, s.size]));
  const states = [...support.keys()];
  const totals = new Map<string, number>();
  for (const [k, c] of counts) {
    const from = k.slice(0, k.indexOf('|'));
    totals.set(from, (totals.get(from) ?? 0) + c);
  }
  let p = new Map(states.map((s) => [s, 0]));
  for (let iter = 0; iter < 200_000; iter += 1) {
    const next = new Map<string, number>();
    let delta = 0;
    for (const s of states) {
      let v = 0;
      for (const [k, c] of counts) {
        const bar = k.indexOf('|');
        if (k.slice(0, bar) !== s) continue;
        const to = k.slice(bar + 1);
        const w = c / (totals.get(s) as number);
        v += to === '(conversion)' ? w : to === '(exit)' ? 0 : w * (p.get(to) as number);
      }
      delta = Math.max(delta, Math.abs(v - (p.get(s) as number)));
      next.set(s, v);
    }
    p = next;
    if (delta < 1e-13) break;
  }
  return { journeys: units.size, conversions, counts, support, probability: p };
}
