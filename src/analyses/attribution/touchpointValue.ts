import type { Row } from '../../engines/normalize.js';
import type { Touchpoint } from './attributionSpec.js';
import { MODELS, type ChannelAttribution, type ModelName } from './models/index.js';

/** What a touchpoint earned under one model, against its cost. */
export interface ModelValue {
  conversions: number;
  revenue: number;
  /** cost / conversions; null where either is zero or the cost is unknown. */
  cpa: number | null;
  /** revenue / cost; null where either is zero or the cost is unknown. */
  roas: number | null;
}

export interface TouchpointValueRow {
  touchpoint: string;
  /** Summed over the range; null where no cost was imported for it (organic, direct, offline). */
  cost: number | null;
  clicks: number | null;
  impressions: number | null;
  /** Conversions lost without this touchpoint: all conversions x its Markov removal effect. */
  conversionsLost: number;
  models: Record<ModelName, ModelValue>;
}

export interface TouchpointValue {
  currency: string | null;
  /** Every costed touchpoint and every credited one, the costliest first. */
  touchpoints: TouchpointValueRow[];
  /** Per model, the touchpoint with the highest and the lowest ROAS (null with none costed). */
  best: Record<ModelName, string | null>;
  worst: Record<ModelName, string | null>;
  /** Cost of keys whose touchpoint no path reached: spent, but credited with nothing. */
  costWithoutTouches: number;
}

const clean = (x: number) => Math.round(x * 1e9) / 1e9;
const ratio = (a: number, b: number | null) =>
  b === null || a === 0 || b === 0 ? null : clean(a / b);

/** A cost row's touchpoint, spelled as attribution spells touches of that kind. */
export function costTouchpoint(row: Row, touchpoint: Touchpoint): string {
  if (touchpoint === 'channel') return String(row.channel);
  if (touchpoint === 'source_medium') return `${String(row.source)} / ${String(row.medium)}`;
  return String(row.campaign);
}

/**
 * Cost, CPA and ROAS per touchpoint per model, from the attribution's credits and the
 * `touchpoint_costs` rows (summed per touchpoint of the attribution's kind).
 */
export function touchpointValue(
  channels: readonly ChannelAttribution[],
  conversions: number,
  costRows: readonly Row[],
  touchpoint: Touchpoint,
): TouchpointValue {
  const costs = new Map<string, { cost: number; clicks: number; impressions: number }>();
  for (const row of costRows) {
    const key = costTouchpoint(row, touchpoint);
    const c = costs.get(key) ?? { cost: 0, clicks: 0, impressions: 0 };
    c.cost += Number(row.cost ?? 0);
    c.clicks += Number(row.clicks ?? 0);
    c.impressions += Number(row.impressions ?? 0);
    costs.set(key, c);
  }
  const credited = new Map(channels.map((c) => [c.channel, c]));
  const names = [...new Set([...credited.keys(), ...costs.keys()])];
  const rows = names.map((name): TouchpointValueRow => {
    const c = credited.get(name);
    const cost = costs.get(name);
    const spent = cost ? clean(cost.cost) : null;
    const models = Object.fromEntries(
      MODELS.map((m) => {
        const conv = c?.conversions[m] ?? 0;
        const revenue = c?.revenue[m] ?? 0;
        return [
          m,
          {
            conversions: conv,
            revenue,
            cpa: ratio(spent ?? 0, spent === null ? null : conv),
            roas: spent === null ? null : ratio(revenue, spent),
          },
        ];
      }),
    ) as Record<ModelName, ModelValue>;
    return {
      touchpoint: name,
      cost: spent,
      clicks: cost ? cost.clicks : null,
      impressions: cost ? cost.impressions : null,
      // The removal effect arrives rounded to 9 decimals: the product keeps 6, past that it is noise.
      conversionsLost: Math.round(conversions * (c?.removalEffect ?? 0) * 1e6) / 1e6,
      models,
    };
  });
  rows.sort(
    (a, b) =>
      (b.cost ?? -1) - (a.cost ?? -1) ||
      b.models.linear.conversions - a.models.linear.conversions ||
      (a.touchpoint < b.touchpoint ? -1 : 1),
  );
  const pick = (better: (a: number, b: number) => boolean) =>
    Object.fromEntries(
      MODELS.map((m) => {
        let found: { name: string; roas: number } | undefined;
        for (const r of rows) {
          const roas = r.models[m].roas;
          if (roas !== null && (!found || better(roas, found.roas)))
            found = { name: r.touchpoint, roas };
        }
        return [m, found?.name ?? null];
      }),
    ) as Record<ModelName, string | null>;
  const currencies = new Set(costRows.map((r) => r.currency).filter((c) => c !== null));
  return {
    currency: currencies.size === 1 ? String([...currencies][0]) : null,
    touchpoints: rows,
    best: pick((a, b) => a > b),
    worst: pick((a, b) => a < b),
    costWithoutTouches: clean(
      rows.filter((r) => !credited.has(r.touchpoint)).reduce((s, r) => s + (r.cost ?? 0), 0),
    ),
  };
}
