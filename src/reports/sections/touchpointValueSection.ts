import { MODELS, type ModelName } from '../../analyses/attribution/models/index.js';
import type { TouchpointValue } from '../../analyses/attribution/touchpointValue.js';
import { attributionRun, TOUCHPOINT_LABEL } from './attributionRun.js';
import { MODEL_LABEL } from './attributionTableSection.js';
import type { SectionBuilder } from './sectionInput.js';

interface Cell {
  text: string;
  mark: 'best' | 'worst' | '';
}

export interface TouchpointValueContext {
  readonly headline: string;
  readonly basis: string;
  /** Empty when no cost was imported: `missing` then says how to import one. */
  readonly models: string[];
  readonly rows: {
    touchpoint: string;
    cost: string;
    clicks: string;
    conversionsLost: string;
    roas: Cell[];
    cpa: Cell[];
  }[];
  readonly uncosted: string;
  readonly missing: string;
}

/** Cost, CPA and ROAS of each costed touchpoint under every model, the best and worst marked. */
export const buildTouchpointValue: SectionBuilder<
  'touchpoint_value',
  TouchpointValueContext
> = async (input, section) => {
  const { fmt, range, definition } = input;
  const touchpoint = section.touchpoint ?? 'channel';
  const lookback = section.lookback ?? '30d';
  const r = await attributionRun(input, { touchpoint, lookback, identity: section.identity });
  const title = section.title ?? 'Touchpoint value';
  const basis = `Touchpoint: ${TOUCHPOINT_LABEL[touchpoint]}. Cost: imported ad costs summed over ${fmt.range(range.start, range.end)}. CPA = cost / credited conversions, ROAS = credited revenue / cost, per model (lookback ${lookback}). Conversions lost: all conversions x the touchpoint's Markov removal effect.`;
  const value: TouchpointValue | null = r.value;
  if (!value) {
    return {
      type: 'touchpoint_value',
      partial: 'touchpointValue',
      title,
      context: {
        headline: 'No ad costs imported for this data.',
        basis,
        models: [],
        rows: [],
        uncosted: '',
        missing:
          'Import a cost file in GA4’s cost-data shape (pathlight import-costs <file>) to see cost, CPA and ROAS here.',
      },
    };
  }
  const ratio = new Intl.NumberFormat(definition.locale, { maximumFractionDigits: 2 });
  const costed = value.touchpoints.filter((t) => t.cost !== null);
  const total = costed.reduce((s, t) => s + (t.cost ?? 0), 0);
  const mark = (m: ModelName, name: string): Cell['mark'] =>
    value.best[m] === name ? 'best' : value.worst[m] === name ? 'worst' : '';
  const uncosted = value.touchpoints.filter((t) => t.cost === null).map((t) => t.touchpoint);
  return {
    type: 'touchpoint_value',
    partial: 'touchpointValue',
    title,
    context: {
      headline: `${fmt.money(total)} spent on ${fmt.integer(costed.length)} touchpoints${value.currency && value.currency !== definition.currency ? ` (costs in ${value.currency})` : ''}; ${fmt.integer(r.conversions)} conversions, ${fmt.money(r.revenue)} revenue`,
      basis,
      models: MODELS.map((m) => MODEL_LABEL[m]),
      rows: costed.map((t) => ({
        touchpoint: t.touchpoint,
        cost: fmt.money(t.cost ?? 0),
        clicks: t.clicks === null ? '' : fmt.integer(t.clicks),
        conversionsLost: ratio.format(t.conversionsLost),
        roas: MODELS.map((m) => {
          const marked = mark(m, t.touchpoint);
          const roas = t.models[m].roas;
          const text = roas === null ? '–' : `${ratio.format(roas)}x`;
          return {
            text: `${text}${marked === 'best' ? ' ▲' : marked === 'worst' ? ' ▼' : ''}`,
            mark: marked,
          };
        }),
        cpa: MODELS.map((m) => ({
          text: t.models[m].cpa === null ? '–' : fmt.money(t.models[m].cpa ?? 0),
          mark: '' as const,
        })),
      })),
      uncosted:
        uncosted.length > 0
          ? `No cost imported for ${uncosted.join(', ')}: their CPA and ROAS are unknown, not zero.${value.costWithoutTouches > 0 ? ` ${fmt.money(value.costWithoutTouches)} was spent on touchpoints no journey reached.` : ''}`
          : '',
      missing: '',
    },
  };
};
