import type { SectionDefinition } from '../reportDefinition.js';
import { buildAttributionTable } from './attributionTableSection.js';
import { buildConversionPaths } from './conversionPathsSection.js';
import { buildDataQuality } from './dataQuality.js';
import { buildFunnelSection } from './funnelSection.js';
import { buildJourneyMapSection } from './journeyMapSection.js';
import { buildJourneySankey } from './journeySankeySection.js';
import { buildKpiSummary } from './kpiSummary.js';
import { buildNextStepSection } from './nextStepSection.js';
import { buildPredictionSection } from './predictionSection.js';
import { buildRetentionSection } from './retentionSection.js';
import { buildStagesSection } from './stagesSection.js';
import { buildTrendedFunnelSection } from './trendedFunnelSection.js';
import { buildTouchpointValue } from './touchpointValueSection.js';
import type { BuiltSection, SectionInput } from './sectionInput.js';

type Builders = {
  [T in SectionDefinition['type']]: (
    input: SectionInput,
    section: Extract<SectionDefinition, { type: T }>,
  ) => Promise<BuiltSection>;
};

/** One typed context builder per section type; its partial is named in what it returns. */
export const SECTION_BUILDERS: Builders = {
  kpi_summary: buildKpiSummary,
  data_quality: buildDataQuality,
  funnel: buildFunnelSection,
  retention: buildRetentionSection,
  stages: buildStagesSection,
  journey_map: buildJourneyMapSection,
  attribution_table: buildAttributionTable,
  conversion_paths: buildConversionPaths,
  touchpoint_value: buildTouchpointValue,
  trended_funnel: buildTrendedFunnelSection,
  journey_sankey: buildJourneySankey,
  next_step: buildNextStepSection,
  prediction: buildPredictionSection,
};

export function buildSection(
  input: SectionInput,
  section: SectionDefinition,
): Promise<BuiltSection> {
  const builder = SECTION_BUILDERS[section.type] as (
    input: SectionInput,
    section: SectionDefinition,
  ) => Promise<BuiltSection>;
  return builder(input, section);
}
