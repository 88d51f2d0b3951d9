/**
 * The Wilson score interval for a binomial proportion (successes of trials) at about 95%
 * (z = 1.959964): unlike the normal approximation it stays inside [0, 1] and is honest for the
 * small counts a rarely visited node has.
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  z = 1.959964,
): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const denominator = 1 + z2 / trials;
  return {
    low: Math.max(0, (centre - spread) / denominator),
    high: Math.min(1, (centre + spread) / denominator),
  };
}
