import { renderReportEmail } from '../email/reportEmail.js';
import type { Engine } from '../engines/engine.js';
import { emailLink } from './emailLink.js';
import type { BrowserPool } from '../render/browserPool.js';
import { reportDateRangeSchema, type ReportDefinition } from '../reports/reportDefinition.js';
import type { EmailSettings } from '../delivery/emailSettings.js';
import { storedGoals, storedPersonas, storedReportDefinition } from './storedDefinitions.js';
import { renderReport, type RenderedReport } from '../reports/renderReport.js';
import { resolveReportRange } from '../reports/buildReportModel.js';
import { rasterizeCharts } from '../email/chartImages.js';
import type { RunRenderer } from './processNextRun.js';
import type { Queryable } from '../store/storeDb.js';
import type { Ga4DataApi } from '../ga4/ga4DataApi.js';
import type { Run } from '../store/runsRepo.js';
import type { Schedule } from '../store/schedulesRepo.js';

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
    async render(run, schedule, _signal, shared) {
      const { definition, formats, wantPdf, at, dateRange } = await readRun(
        run,
        schedule,
        load,
        deps.pool !== undefined,
      );
      const timer = stageTimer();
      const make = async (): Promise<RenderedReport> =>
        renderReport(deps.engine, definition, at, {
          format: wantPdf ? 'pdf' : 'html',
          goals: await storedGoals(deps.store),
          personas: await storedPersonas(deps.store),
          ...(deps.pool ? { pool: deps.pool } : {}),
          onStage: timer.next,
          ...(deps.ga4 ? { ga4: deps.ga4 } : {}),
          ...(dateRange ? { dateRange } : {}),
        });
      // Schedules of one definition over one resolved range get one report between them.
      const key = JSON.stringify([
        run.reportId,
        definition,
        resolveReportRange(definition, at, dateRange),
        wantPdf,
      ]);
      const entry = shared?.get(key, make) ?? { value: make(), shared: false };
      if (entry.shared) timer.next('shared_wait');
      const rendered = await entry.value;
      const { model } = rendered;
      timer.next('email');
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
        ...(deps.pool && shared
          ? {
              drawCharts: (charts) =>
                shared.get(`${key} charts ${charts.map((c) => c.cid).join(',')}`, () =>
                  rasterizeCharts(deps.pool as BrowserPool, charts),
                ).value,
            }
          : {}),
        ...(online
          ? {
              onlineLink: { url: online.url, expiresAt: online.expiresAt },
              pdfLink: () => ({ url: online.pdfUrl, expiresAt: online.expiresAt }),
            }
          : {}),
      });
      return {
        email,
        // A shared report's bytes were counted by the run that made it.
        bytesProcessed: entry.shared ? null : model.bytesProcessed,
        stageMs: timer.done(),
      };
    },
  };
}

/** Milliseconds per stage, each stage ending when the next begins. */
function stageTimer() {
  const stageMs: Record<string, number> = {};
  let stage: string | undefined;
  let began = performance.now();
  const next = (following: string | undefined) => {
    const at = performance.now();
    if (stage) stageMs[stage] = (stageMs[stage] ?? 0) + at - began;
    stage = following;
    began = at;
  };
  return {
    next: (following: string) => next(following),
    done: () => {
      next(undefined);
      return stageMs;
    },
  };
}

/** What a run asks for: its definition, formats, the moment its range resolves at, its own range. */
async function readRun(
  run: Run,
  schedule: Schedule | null,
  load: (id: string) => Promise<ReportDefinition | undefined>,
  canPrint: boolean,
) {
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
  // Relative ranges resolve from the slot, or the time a one-off send asked to be rendered at.
  const at =
    run.slot ?? (typeof run.parameters.at === 'string' ? new Date(run.parameters.at) : new Date());
  return {
    definition,
    formats,
    wantPdf: formats.pdf && canPrint,
    at,
    dateRange: override?.success ? override.data : undefined,
  };
}
