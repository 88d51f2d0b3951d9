/**
 * An independent, per-journey reading of journeys.md §1 "Paths", written from the semantics (not
 * from sql/paths.sql) for the property tests: build each journey's node list in memory, then count.
 */
export interface RefEvent {
  user: string | null;
  session: number | null;
  name: string;
  ts: number;
  bo: number | null;
  bi: number | null;
  loc: string | null;
  title: string | null;
}

/** An anchor: an event name, and optionally page_location containing a string. */
export interface RefAnchor {
  name: string;
  locContains?: string;
}

export interface RefSpec {
  scope: 'session' | 'user';
  nodeType: 'event' | 'page_path' | 'page_title';
  start: RefAnchor | null;
  end: RefAnchor | null;
  steps: number;
  topK: number;
  collapseRepeats: boolean;
  exclude: string[];
  clean: { pattern: string; replace: string }[];
}

export interface RefPaths {
  journeys: number;
  eventsWithoutUser: number;
  nodes: string[]; // "step|kind|label|count"
  edges: string[]; // "step|kind|label|toKind|toLabel|count"
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function pathOf(location: string): string {
  const m = /^[A-Za-z][-A-Za-z0-9+.]*:\/\/[^/?#]*(.*)$/s.exec(location);
  const rest = m ? (m[1] as string) : location;
  return rest === '' ? '/' : rest;
}

function clean(value: string, rules: RefSpec['clean']): string {
  let v = value;
  for (const r of rules) {
    v = v.replace(new RegExp(r.pattern, 'g'), (...args: unknown[]) =>
      r.replace.replace(/\\(\d)/g, (_m, d: string) => String(args[Number(d)] ?? '')),
    );
  }
  return v;
}

export function referencePaths(events: readonly RefEvent[], spec: RefSpec): RefPaths {
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
  const is = (a: RefAnchor | null) => (e: RefEvent) =>
    a !== null &&
    e.name === a.name &&
    (a.locContains === undefined || (e.loc !== null && e.loc.includes(a.locContains)));
  const isStart = is(spec.start);
  const isEnd = is(spec.end);
  const journeys: string[][] = [];
  for (const list of units.values()) {
    const sorted = [...list].sort(
      (a, b) =>
        a.ts - b.ts ||
        (a.bo ?? 0) - (b.bo ?? 0) ||
        (a.bi ?? 0) - (b.bi ?? 0) ||
        cmp(a.name, b.name) ||
        (nodeOf(a) === null
          ? nodeOf(b) === null
            ? 0
            : -1
          : nodeOf(b) === null
            ? 1
            : cmp(nodeOf(a) as string, nodeOf(b) as string)) ||
        // Otherwise tied: a start match first, an end match last.
        Number(isStart(b)) - Number(isStart(a)) ||
        Number(isEnd(a)) - Number(isEnd(b)),
    );
    let part: RefEvent[];
    if (spec.start !== null && spec.end !== null) {
      // From the first start to the first end strictly after it; journeys never reaching it drop.
      const s = sorted.findIndex(isStart);
      const e = s < 0 ? -1 : sorted.findIndex((x, i) => i > s && isEnd(x));
      if (e < 0) continue;
      part = sorted.slice(s, e + 1);
    } else if (spec.start !== null) {
      const s = sorted.findIndex(isStart);
      if (s < 0) continue;
      part = sorted.slice(s);
    } else if (spec.end !== null) {
      const e = sorted.findLastIndex(isEnd);
      if (e < 0) continue;
      part = sorted.slice(0, e + 1).reverse();
    } else {
      const s = sorted.findIndex((e) => nodeOf(e) !== null);
      if (s < 0) continue;
      part = sorted.slice(s);
    }
    let nodes = part
      .map(nodeOf)
      .filter((n): n is string => n !== null)
      .map((n) => clean(n, spec.clean));
    if (spec.collapseRepeats) nodes = nodes.filter((n, i) => i === 0 || nodes[i - 1] !== n);
    journeys.push(nodes.slice(0, spec.steps));
  }
  // Labels per journey and step: top K nodes of the step by journeys (ties by name), else (other).
  const labels: [string, string][][] = journeys.map(() => []);
  for (let step = 0; step < spec.steps; step += 1) {
    const counts = new Map<string, number>();
    for (const j of journeys)
      if (j[step] !== undefined)
        counts.set(j[step] as string, (counts.get(j[step] as string) ?? 0) + 1);
    const top = new Set(
      [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
        .slice(0, spec.topK)
        .map(([n]) => n),
    );
    journeys.forEach((j, i) => {
      const node = j[step];
      if (node !== undefined)
        labels[i]?.push(top.has(node) ? ['node', node] : ['other', '(other)']);
      else if (step === j.length) labels[i]?.push(['exit', '(exit)']);
    });
  }
  const tally = (keys: string[]) => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m.entries()].map(([k, n]) => `${k}|${n}`).sort();
  };
  const nodeKeys: string[] = [];
  const edgeKeys: string[] = [];
  for (const l of labels) {
    l.forEach(([kind, label], s) => {
      nodeKeys.push(`${s + 1}|${kind}|${label}`);
      const next = l[s + 1];
      if (next) edgeKeys.push(`${s + 1}|${kind}|${label}|${next[0]}|${next[1]}`);
    });
  }
  return {
    journeys: journeys.length,
    eventsWithoutUser: events.filter((e) => e.user === null).length,
    nodes: tally(nodeKeys),
    edges: tally(edgeKeys),
  };
}
