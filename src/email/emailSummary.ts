import type { AttributionTableContext } from '../reports/sections/attributionTableSection.js';
import type { ConversionPathsContext } from '../reports/sections/conversionPathsSection.js';
import type { JourneySankeyContext } from '../reports/sections/journeySankeySection.js';
import type { NextStepContext } from '../reports/sections/nextStepSection.js';
import type { PredictionContext } from '../reports/sections/predictionSection.js';
import type { TrendedFunnelSectionContext } from '../reports/sections/trendedFunnelSection.js';
import type { BuiltSection } from '../reports/sections/sectionInput.js';

/** Rows an email table lists before pointing to the full report: a phone screen's worth. */
export const EMAIL_ROWS = 5;
/** Periods of a trended funnel the email lists: a week of days, or two months of weeks. */
export const EMAIL_PERIODS = 8;

/** What an email table says about the rows it leaves to the full report, or '' when none are left. */
const more = (total: number, shown: number, noun: string): string =>
  total > shown ? `${total - shown} more ${noun} in the full report.` : '';

type Summaries = Record<string, (context: never) => Record<string, unknown>>;

/**
 * The email shows each section's chart and the figures that carry it; the long tables stay in the
 * PDF and the web report. Each function keeps what its partial in `templates/emails/` draws.
 */
const SUMMARIES: Summaries = {
  trendedFunnel: (c: TrendedFunnelSectionContext) => ({
    ...c,
    // The latest periods are the ones a weekly reader acts on.
    rows: c.rows.slice(-EMAIL_PERIODS),
    more: more(c.rows.length, EMAIL_PERIODS, `earlier ${c.intervalLabel}s`),
  }),
  attributionTable: (c: AttributionTableContext) => ({
    ...c,
    rows: c.rows.slice(0, EMAIL_ROWS),
    more: more(c.rows.length, EMAIL_ROWS, 'touchpoints'),
  }),
  conversionPaths: (c: ConversionPathsContext) => ({
    ...c,
    paths: c.paths.slice(0, EMAIL_ROWS),
    more: more(c.paths.length, EMAIL_ROWS, 'paths'),
  }),
  journeySankey: (c: JourneySankeyContext) => ({
    ...c,
    flows: c.flows.slice(0, EMAIL_ROWS),
  }),
  // The scores that carry the verdict; counts, ranks and lift stay in the full report.
  prediction: (c: PredictionContext) => ({
    ...c,
    scores: c.scores.filter((r) => /^(Log loss|Brier|AUC)/.test(r.label)),
  }),
  nextStep: (c: NextStepContext) => ({
    ...c,
    nodes: c.nodes.slice(0, EMAIL_ROWS),
    more: more(c.nodes.length, EMAIL_ROWS, `${c.nodeNoun}s`),
  }),
};

/** The section as its email partial draws it: sections without a summary of their own as built. */
export function emailSummary(section: BuiltSection): BuiltSection {
  const summary = SUMMARIES[section.partial];
  if (!summary || !section.context || typeof section.context !== 'object') return section;
  return { ...section, context: summary(section.context as never) };
}
