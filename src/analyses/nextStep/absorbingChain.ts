/**
 * Absorption probabilities of a first-order absorbing Markov chain, solved exactly (up to floating
 * point) as the linear system (I − Q) p = r by Gaussian elimination with partial pivoting, where Q
 * holds the transient-to-transient probabilities and r the one-step probabilities into the target.
 * Every transient state of a chain fitted on finished journeys reaches an absorbing state (each
 * journey ends in one), so I − Q is invertible.
 */
export function absorptionProbabilities(
  states: readonly string[],
  /** Transition counts: from a transient state to a transient state or to an absorbing label. */
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>,
  target: string,
): Map<string, number> {
  const n = states.length;
  const index = new Map(states.map((s, i) => [s, i]));
  // Augmented matrix [I − Q | r].
  const a: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n + 1));
  states.forEach((s, i) => {
    const row = a[i] as Float64Array;
    row[i] = 1;
    const out = counts.get(s);
    const total = out ? [...out.values()].reduce((x, y) => x + y, 0) : 0;
    if (!out || total === 0) return;
    for (const [to, c] of out) {
      const j = index.get(to);
      if (j !== undefined) row[j] = (row[j] as number) - c / total;
      else if (to === target) row[n] = (row[n] as number) + c / total;
    }
  });
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) {
      if (
        Math.abs((a[r] as Float64Array)[col] as number) >
        Math.abs((a[pivot] as Float64Array)[col] as number)
      )
        pivot = r;
    }
    const tmp = a[col] as Float64Array;
    a[col] = a[pivot] as Float64Array;
    a[pivot] = tmp;
    const p = a[col] as Float64Array;
    const d = p[col] as number;
    if (Math.abs(d) < 1e-300) throw new Error('absorbing chain: singular system');
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const row = a[r] as Float64Array;
      const f = (row[col] as number) / d;
      if (f === 0) continue;
      for (let c = col; c <= n; c += 1) row[c] = (row[c] as number) - f * (p[c] as number);
    }
  }
  return new Map(
    states.map((s, i) => {
      const row = a[i] as Float64Array;
      return [s, (row[n] as number) / (row[i] as number)];
    }),
  );
}
