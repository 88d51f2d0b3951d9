import { renderReportEmail } from '../email/reportEmail.js';
import type { Engine } from '../engines/engine.js';
import { emailLink } from './emailLink.js';
import type { BrowserPool } from '../render/browserPool.js';
import { reportDateRangeSchema, type ReportDefinition } from '../reports/reportDefinition.js';
import type { EmailSettings } from '../delivery/emailSettings.js';
import { storedGoals, storedPersonas, storedReportDefinition } from './storedDefinitions.js';
import { renderReport } from '../reports/renderReport.js';
import type { RunRenderer } from './processNextRun.js';
import type { Queryable } from '../store/storeDb.js';
import type { Ga4DataApi } from '../ga4/ga4DataApi.js';

const final = (message: string) => Object.assign(new Error(message), { transient: false });

/**
 * The scheduler's renderer: the reports use-case (sections, HTML, PDF in the browser pool), once
 * per run, as the email every recipient gets. A missing or invalid definition is a final failure.
 */
export function reportRunEmail(deps: {
  engine: Engine;
  store: Queryable;
  /** Absent when PDFs are off (`PATHLIGHT_BROWSER_PATH=none`): emails go out as HTML only. */
  pool?: BrowserPool;
  email: EmailSettings;
  /** Where definitions come from: the store, unless a caller brings its own (a report file). */
  loadDefinition?: (id: string) => Promise<ReportDefinition | undefined>;
  /** GA4's Data API when GA4_PROPERTY_ID is set: the data-quality box compares totals. */
  ga4?: Pick<Ga4DataApi, 'totals'>;
}): RunRenderer {
  const load = deps.loadDefinition ?? ((id: string) => storedReportDefinition(deps.store, id));
  return {
    async render(run, schedule) {
      let definition;
      try {
        definition = await load(run.reportId);
      } catch (error) {
        throw final(error instanceof Error ? error.message : String(error));
      }
      if (!definition) throw final(`no report ${run.reportId}`);
      // A run's own range (send now, a schedule's range) replaces the definition's; a bad one is final.
      const override =
        run.parameters.dateRange === null || run.parameters.dateRange === undefined
          ? undefined
          : reportDateRangeSchema.safeParse(run.parameters.dateRange);
      if (override && !override.success)
        throw final(`dateRange: ${override.error.issues[0]?.message ?? 'invalid'}`);
      const formats = (run.parameters.formats as { pdf: boolean; inline: boolean } | undefined) ??
        schedule?.formats ?? { pdf: true, inline: true };
      const wantPdf = formats.pdf && deps.pool !== undefined;
      const stageMs: Record<string, number> = {};
      let stage: string | undefined;
      let began = performance.now();
      const onStage = (next: string) => {
        const at = performance.now();
        if (stage) stageMs[stage] = at - began;
        stage = next;
        began = at;
      };
      // Relative ranges resolve from the slot, or the time a one-off send asked to be rendered at.
      const at =
        run.slot ??
        (typeof run.parameters.at === 'string' ? new Date(run.parameters.at) : new Date());
      const rendered = await renderReport(deps.engine, definition, at, {
        format: wantPdf ? 'pdf' : 'html',
        goals: await storedGoals(deps.store),
        personas: await storedPersonas(deps.store),
        ...(deps.pool ? { pool: deps.pool } : {}),
        onStage,
        ...(deps.ga4 ? { ga4: deps.ga4 } : {}),
        ...(override?.success ? { dateRange: override.data } : {}),
      });
      const { model } = rendered;
      onStage('email');
      const { links } = deps.email;
      // One recorded link per email, for its own period: "open online" and an over-cap PDF.
      const online =
        links &&
        (await emailLink(deps.store, links, {
          reportId: model.id,
          range: model.range,
          sentFor: schedule ? `schedule “${schedule.name}”` : 'send now',
        }));
      const email = await renderReportEmail({
        model,
        pdf: rendered.pdf ?? null,
        inline: formats.inline,
        scheduleName:
          schedule?.name ??
          (typeof run.parameters.name === 'string' ? run.parameters.name : model.title),
        unsubscribeMailto: deps.email.unsubscribeMailto,
        attachmentLimitBytes: deps.email.attachmentLimitBytes,
        ...(deps.pool ? { pool: deps.pool } : {}),
        ...(online
          ? {
              onlineLink: { url: online.url, expiresAt: online.expiresAt },
              pdfLink: () => ({ url: online.pdfUrl, expiresAt: online.expiresAt }),
            }
          : {}),
      });
      if (stage) stageMs[stage] = performance.now() - began;
      stage = undefined;
      return {
        email,
        bytesProcessed: model.bytesProcessed,
        stageMs,
      };
    },
  };
}
