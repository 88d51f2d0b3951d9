const Z = 1.959963984540054;

/** Wilson's score interval for `successes` of `n` at 95%; [0, 1] when n is 0. */
export function wilson(successes: number, n: number, z = Z): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * A 95% interval for p1 - p2 from the two groups' Wilson intervals (Newcombe's hybrid score
 * method), which keeps its coverage at small counts and rates near 0 or 1, where the normal
 * approximation of a difference does not.
 */
export function differenceInterval(a: number, n1: number, b: number, n2: number): [number, number] {
  const p1 = n1 > 0 ? a / n1 : 0;
  const p2 = n2 > 0 ? b / n2 : 0;
  const [l1, u1] = wilson(a, n1);
  const [l2, u2] = wilson(b, n2);
  const d = p1 - p2;
  return [
    d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
  ];
}
