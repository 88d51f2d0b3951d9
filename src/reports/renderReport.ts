import type { Engine } from '../engines/engine.js';
import type { BrowserPool } from '../render/browserPool.js';
import { renderReportHtml } from '../render/renderHtml.js';
import { renderPdf } from '../render/renderPdf.js';
import { buildReportModel, type BuildOptions, type ReportModel } from './buildReportModel.js';
import type { ReportDefinition } from './reportDefinition.js';

export interface RenderedReport {
  readonly model: ReportModel;
  readonly html: string;
  readonly pdf?: Buffer;
}

/** The report use-case every door calls: run the sections, draw the HTML, print the PDF if asked. */
export async function renderReport(
  engine: Engine,
  definition: ReportDefinition,
  now: Date,
  options: BuildOptions & {
    format: 'html' | 'pdf';
    pool?: BrowserPool;
    onStage?: (stage: string) => void;
  },
): Promise<RenderedReport> {
  options.onStage?.('query');
  const model = await buildReportModel(engine, definition, now, options);
  options.onStage?.('html');
  const html = renderReportHtml(model);
  if (options.format === 'html') return { model, html };
  if (!options.pool) throw new Error('a browser pool is needed for PDF');
  options.onStage?.('pdf');
  return { model, html, pdf: await renderPdf(options.pool, html, model) };
}
