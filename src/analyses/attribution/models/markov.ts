import type { Credit, PathRow } from '../pathTable.js';

export interface MarkovResult extends Credit {
  /** P(conversion) from start with every channel present. */
  probability: number;
  /** RE_c = 1 - P_without_c / P; 0 for every channel when P = 0. */
  removalEffect: Map<string, number>;
}

/** Collapses consecutive repeats: A > A > B becomes A > B. */
export function collapseRepeats(channels: readonly string[]): string[] {
  return channels.filter((c, i) => i === 0 || channels[i - 1] !== c);
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is n x n, modified in place). */
export function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[p]![col]!)) p = r;
    [a[col], a[p]] = [a[p]!, a[col]!];
    [b[col], b[p]] = [b[p]!, b[col]!];
    const piv = a[col]![col]!;
    if (piv === 0) continue;
    for (let r = col + 1; r < n; r++) {
      const f = a[r]![col]! / piv;
      if (f === 0) continue;
      for (let k = col; k < n; k++) a[r]![k]! -= f * a[col]![k]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    const d = a[r]![r]!;
    x[r] = d === 0 ? 0 : s / d;
  }
  return x;
}

/** Transition counts of the first-order chain: state 0 is start, 1..n channels, n+1 conversion, n+2 null. */
export function transitionCounts(paths: readonly PathRow[]): {
  channels: string[];
  counts: number[][];
} {
  const channels = [...new Set(paths.flatMap((p) => p.touches.map((t) => t.channel)))].sort();
  const idx = new Map(channels.map((c, i) => [c, i + 1]));
  const n = channels.length;
  const counts = Array.from({ length: n + 3 }, () => new Array<number>(n + 3).fill(0));
  for (const row of paths) {
    const seq = collapseRepeats(row.touches.map((t) => t.channel)).map((c) => idx.get(c)!);
    if (seq.length === 0) continue;
    const w = row.conversions + row.nonConversions;
    const states = [0, ...seq];
    for (let i = 0; i + 1 < states.length; i++) counts[states[i]!]![states[i + 1]!]! += w;
    const last = states[states.length - 1]!;
    counts[last]![n + 1]! += row.conversions;
    counts[last]![n + 2]! += row.nonConversions;
  }
  return { channels, counts };
}

/** Exact P(reach conversion from start); states in `removed` absorb to null. */
export function conversionProbability(
  counts: readonly (readonly number[])[],
  removed?: number,
): number {
  const m = counts.length - 2; // transient states 0..m-1
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < m; i++) {
    const row = new Array<number>(m).fill(0);
    row[i] = 1;
    const total = counts[i]!.reduce((s, x) => s + x, 0);
    if (i !== removed && total > 0) {
      for (let j = 0; j < m; j++) row[j]! -= counts[i]![j]! / total;
      b.push(counts[i]![m]! / total);
    } else b.push(0);
    a.push(row);
  }
  return solveLinear(a, b)[0]!;
}

export function markov(paths: readonly PathRow[]): MarkovResult {
  const { channels, counts } = transitionCounts(paths);
  const totalConv = paths.reduce((s, p) => s + p.conversions, 0);
  const totalRev = paths.reduce((s, p) => s + p.revenue, 0);
  const probability = conversionProbability(counts);
  const removalEffect = new Map<string, number>();
  channels.forEach((c, i) => {
    const re = probability > 0 ? 1 - conversionProbability(counts, i + 1) / probability : 0;
    removalEffect.set(c, Math.max(0, re));
  });
  const sum = [...removalEffect.values()].reduce((s, x) => s + x, 0);
  const conversions = new Map<string, number>();
  const revenue = new Map<string, number>();
  for (const c of channels) {
    const share = sum > 0 ? removalEffect.get(c)! / sum : 0;
    conversions.set(c, totalConv * share);
    revenue.set(c, totalRev * share);
  }
  return { probability, removalEffect, conversions, revenue };
}
