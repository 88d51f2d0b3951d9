import juice from 'juice';
import type { RenderedEmail } from '../delivery/renderedEmail.js';
import type { BrowserPool } from '../render/browserPool.js';
import type { ReportModel } from '../reports/buildReportModel.js';
import {
  extractCharts,
  rasterizeCharts,
  referencedCids,
  type ChartImage,
  type ChartSvg,
} from './chartImages.js';
import { emailSummary } from './emailSummary.js';
import { emailTemplates } from './emailTemplates.js';

export interface ReportEmailInput {
  readonly model: ReportModel;
  /** The printed report, or null when the schedule does not send one. */
  readonly pdf: Buffer | null;
  /** The summary (sections, charts) in the body; without it the body only says where the report is. */
  readonly inline: boolean;
  readonly scheduleName: string;
  readonly unsubscribeMailto: string;
  readonly attachmentLimitBytes: number;
  /** The report online for this email's period ("Open this report online"); absent when sharing is off. */
  readonly onlineLink?: { url: string; expiresAt: Date };
  /** Signs an on-demand link to this run's PDF; absent when signed links are not configured. */
  readonly pdfLink?: () => { url: string; expiresAt: Date };
  /** Draws the charts as PNGs; absent when PDFs are off (no browser), and the body keeps its tables only. */
  readonly pool?: BrowserPool;
  /**
   * Draws the charts instead of the pool directly: emails of one shared report (same model, same
   * charts) draw them once.
   */
  readonly drawCharts?: (charts: readonly ChartSvg[]) => Promise<ChartImage[]>;
}

export type PdfNote =
  | { attached: true; size: string }
  | { url: string; expires: string; size: string; limit: string }
  | { unavailable: true; size: string; limit: string };

/** `8.4 MB`: binary megabytes, as mail systems count their limits. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const emailSubject = (model: Pick<ReportModel, 'title' | 'rangeLabel'>): string =>
  `${model.title} · ${model.rangeLabel}`;

/**
 * A run's email, rendered once: the summary with charts as inline PNGs, CSS inlined for mail
 * clients that drop `<style>`, a text part, and the PDF attached or (over the cap) linked.
 */
export async function renderReportEmail(input: ReportEmailInput): Promise<RenderedEmail> {
  const { model } = input;
  let note: PdfNote | null = null;
  let attachment: RenderedEmail['pdf'] = null;
  if (input.pdf) {
    const size = formatBytes(input.pdf.length);
    if (input.pdf.length <= input.attachmentLimitBytes) {
      note = { attached: true, size };
      attachment = {
        filename: `${model.id}-${model.range.start}-${model.range.end}.pdf`,
        content: input.pdf,
      };
    } else {
      const limit = formatBytes(input.attachmentLimitBytes);
      const link = input.pdfLink?.();
      note = link
        ? {
            url: link.url,
            size,
            limit,
            expires: new Intl.DateTimeFormat(model.locale, {
              timeZone: model.timeZone,
              dateStyle: 'long',
            }).format(link.expiresAt),
          }
        : { unavailable: true, size, limit };
    }
  }
  const { sections, charts } = input.inline
    ? extractCharts(model.sections.map(emailSummary), input.pool !== undefined)
    : { sections: [], charts: [] };
  const subject = emailSubject(model);
  const context = {
    ...model,
    sections,
    subject,
    inline: input.inline,
    attached: attachment !== null,
    pdfNote: note,
    online: input.onlineLink && {
      url: input.onlineLink.url,
      expires: new Intl.DateTimeFormat(model.locale, {
        timeZone: model.timeZone,
        dateStyle: 'long',
      }).format(input.onlineLink.expiresAt),
    },
    scheduleName: input.scheduleName,
    unsubscribeMailto: input.unsubscribeMailto,
  };
  const templates = emailTemplates();
  const html = juice(templates.html(context), {
    removeStyleTags: true,
    preserveMediaQueries: true,
    applyWidthAttributes: true,
  });
  const text = `${templates
    .text(context)
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
  // Only the charts the body shows are drawn and attached: an unused image is weight for nothing.
  const used = referencedCids(html);
  const shown = charts.filter((chart) => used.has(chart.cid));
  const { pool, drawCharts } = input;
  const images = pool ? await (drawCharts ? drawCharts(shown) : rasterizeCharts(pool, shown)) : [];
  return { subject, html, text, images, pdf: attachment };
}
