import { reportTemplates } from './handlebarsEnv.js';
import type { ReportView, SectionView } from './reportView.js';

/** The attribute the page sets on <body> once its fonts are ready; the PDF renderer waits for it. */
export const READY_ATTRIBUTE = 'data-report-ready';

/** A report as one self-contained HTML page (inline CSS and SVG, local fonts, nothing fetched). */
export function renderReportHtml(model: ReportView): string {
  return reportTemplates().render('report', model);
}

let sectionTemplate: ((context: unknown) => string) | undefined;

/** One built section as the report draws it (title, chart, tables), for pages that show a section alone. */
export function renderSectionHtml(section: SectionView): string {
  sectionTemplate ??= reportTemplates().env.compile('{{> reportSection}}');
  return sectionTemplate(section);
}
