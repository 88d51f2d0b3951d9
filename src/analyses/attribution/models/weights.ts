import type { Credit, PathRow, PathTouch } from '../pathTable.js';

/** Credits each converting row by per-touch weights that sum to 1. */
export function creditByWeights(
  paths: readonly PathRow[],
  weights: (t: readonly PathTouch[]) => number[],
): Credit {
  const conversions = new Map<string, number>();
  const revenue = new Map<string, number>();
  for (const row of paths) {
    if (row.touches.length === 0) continue;
    for (const t of row.touches) {
      if (!conversions.has(t.channel)) conversions.set(t.channel, 0);
      if (!revenue.has(t.channel)) revenue.set(t.channel, 0);
    }
    if (row.conversions === 0 && row.revenue === 0) continue;
    const w = weights(row.touches);
    row.touches.forEach((t, i) => {
      const wi = w[i] ?? 0;
      conversions.set(t.channel, (conversions.get(t.channel) ?? 0) + wi * row.conversions);
      revenue.set(t.channel, (revenue.get(t.channel) ?? 0) + wi * row.revenue);
    });
  }
  return { conversions, revenue };
}
