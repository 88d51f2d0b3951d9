import type { Engine } from '../engines/engine.js';
import type { BrowserPool } from '../render/browserPool.js';
import { RELATIVE_RANGES } from '../reports/relativeDateRange.js';
import { parseReportDefinition, type ReportDefinition } from '../reports/reportDefinition.js';
import { renderReport } from '../reports/renderReport.js';
import type { RunRenderer } from '../scheduler/runWorker.js';
import { DefinitionsRepo } from '../store/definitionsRepo.js';
import type { Queryable } from '../store/storeDb.js';
import type { Ga4DataApi } from '../ga4/ga4DataApi.js';

const final = (message: string) => Object.assign(new Error(message), { transient: false });

/** A report definition from the store, checked against the reports schema. */
export async function loadReportDefinition(
  store: Queryable,
  id: string,
): Promise<ReportDefinition | undefined> {
  const stored = await new DefinitionsRepo<Record<string, unknown>>(store, 'reports').get(id);
  return stored && parseReportDefinition({ ...stored.definition, id });
}

/** Plain text of an HTML report: every email has a text part. */
const textOf = (html: string) =>
  html
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/(p|h\d|tr|li|div)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();

/**
 * The scheduler's renderer: the reports use-case (sections, HTML, PDF in the browser pool), once
 * per run, as the email every recipient gets. A missing or invalid definition is a final failure.
 */
export function reportRunRenderer(deps: {
  engine: Engine;
  store: Queryable;
  /** Absent when PDFs are off (`PATHLIGHT_BROWSER_PATH=none`): emails go out as HTML only. */
  pool?: BrowserPool;
  /** GA4's Data API when GA4_PROPERTY_ID is set: the data-quality box compares totals. */
  ga4?: Pick<Ga4DataApi, 'totals'>;
}): RunRenderer {
  return {
    async render(run, schedule) {
      let definition;
      try {
        definition = await loadReportDefinition(deps.store, run.reportId);
      } catch (error) {
        throw final(error instanceof Error ? error.message : String(error));
      }
      if (!definition) throw final(`no report ${run.reportId}`);
      const override = run.parameters.dateRange;
      const wantPdf = (schedule?.formats.pdf ?? true) && deps.pool !== undefined;
      const stageMs: Record<string, number> = {};
      let stage: string | undefined;
      let began = performance.now();
      const onStage = (next: string) => {
        const at = performance.now();
        if (stage) stageMs[stage] = at - began;
        stage = next;
        began = at;
      };
      const rendered = await renderReport(deps.engine, definition, run.slot ?? new Date(), {
        format: wantPdf ? 'pdf' : 'html',
        ...(deps.pool ? { pool: deps.pool } : {}),
        onStage,
        ...(deps.ga4 ? { ga4: deps.ga4 } : {}),
        ...(typeof override === 'string' &&
        (RELATIVE_RANGES as readonly string[]).includes(override)
          ? { dateRange: override as (typeof RELATIVE_RANGES)[number] }
          : {}),
      });
      if (stage) stageMs[stage] = performance.now() - began;
      const { model } = rendered;
      return {
        email: {
          subject: `${model.title} · ${model.rangeLabel}`,
          html: rendered.html,
          text: textOf(rendered.html),
          images: [],
          pdf: rendered.pdf
            ? {
                filename: `${model.id}-${model.range.start}-${model.range.end}.pdf`,
                content: rendered.pdf,
              }
            : null,
        },
        bytesProcessed: null,
        stageMs,
      };
    },
  };
}
