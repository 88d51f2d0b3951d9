import { MODELS, type ModelName } from '../../analyses/attribution/models/index.js';
import { channelBarChart } from '../../render/charts.js';
import { attributionRun, TOUCHPOINT_LABEL } from './attributionRun.js';
import type { SectionBuilder } from './sectionInput.js';

export const MODEL_LABEL: Record<ModelName, string> = {
  first_touch: 'First touch',
  last_touch: 'Last touch',
  last_non_direct: 'Last non-direct',
  linear: 'Linear',
  position_based: 'Position-based',
  time_decay: 'Time decay',
  markov: 'Markov',
};

export interface AttributionTableContext {
  readonly headline: string;
  readonly basis: string;
  readonly chartTitle: string;
  readonly chartSvg: string;
  readonly models: string[];
  readonly rows: {
    channel: string;
    credits: string[];
    /** The credit under the chosen model, the one the chart draws. */
    credited: string;
    revenue: string;
    removalEffect: string;
    change: string;
  }[];
  readonly rules: { model: string; rule: string }[];
  readonly unattributed: string;
}

/** Credited conversions per touchpoint under each model side by side, and the chosen model as bars. */
export const buildAttributionTable: SectionBuilder<
  'attribution_table',
  AttributionTableContext
> = async (input, section) => {
  const { fmt, range, definition } = input;
  const touchpoint = section.touchpoint ?? 'channel';
  const lookback = section.lookback ?? '30d';
  const model = section.model ?? 'markov';
  const r = await attributionRun(input, { touchpoint, lookback, identity: section.identity });
  const credit = new Intl.NumberFormat(definition.locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const goal = input.goal.name;
  return {
    type: 'attribution_table',
    partial: 'attributionTable',
    title: section.title ?? 'Attribution by channel',
    context: {
      headline: `${fmt.integer(r.conversions)} conversions (${goal}) with a path, ${fmt.money(r.revenue)} revenue, ${fmt.range(range.start, range.end)}`,
      basis: `Touchpoint: ${TOUCHPOINT_LABEL[touchpoint]}. Lookback ${lookback} before each conversion (a path starts after the previous one). Revenue and change columns: ${MODEL_LABEL[model]}. Time decay half-life ${r.halfLife}.`,
      chartTitle: `Credited ${goal}, ${MODEL_LABEL[model]} model`,
      chartSvg: channelBarChart(
        r.channels.map((c) => ({
          channel: c.channel,
          value: Number(c.conversions[model].toFixed(1)),
        })),
        { width: 680, height: Math.max(120, 28 * r.channels.length + 30) },
      ),
      models: MODELS.map((m) => MODEL_LABEL[m]),
      rows: r.channels.map((c) => ({
        channel: c.channel,
        credits: MODELS.map((m) => credit.format(c.conversions[m])),
        credited: credit.format(c.conversions[model]),
        revenue: fmt.money(c.revenue[model]),
        removalEffect: fmt.percent(c.removalEffect, 0),
        change: `${c.changeVsLastTouch[model] > 0 ? '+' : ''}${credit.format(c.changeVsLastTouch[model])}`,
      })),
      rules: MODELS.map((m) => ({ model: MODEL_LABEL[m], rule: r.models[m] })),
      unattributed:
        r.unattributed.conversions > 0
          ? `${fmt.integer(r.unattributed.conversions)} more conversions have no path (${fmt.integer(r.unattributed.withoutUser)} without user_pseudo_id, consent mode) and are not credited.`
          : '',
    },
  };
};
