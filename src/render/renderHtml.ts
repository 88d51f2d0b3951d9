import type { ReportModel } from '../reports/buildReportModel.js';
import { reportTemplates } from './handlebarsEnv.js';

/** The attribute the page sets on <body> once its fonts are ready; the PDF renderer waits for it. */
export const READY_ATTRIBUTE = 'data-report-ready';

/** A report model as one self-contained HTML page (inline CSS and SVG, local fonts, nothing fetched). */
export function renderReportHtml(model: ReportModel): string {
  return reportTemplates().render('report', model);
}
