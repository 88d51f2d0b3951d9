import type { ReportModel } from '../reports/buildReportModel.js';
import type { BuiltSection } from '../reports/sections/sectionInput.js';
import { reportTemplates } from './handlebarsEnv.js';

/** The attribute the page sets on <body> once its fonts are ready; the PDF renderer waits for it. */
export const READY_ATTRIBUTE = 'data-report-ready';

/** A report model as one self-contained HTML page (inline CSS and SVG, local fonts, nothing fetched). */
export function renderReportHtml(model: ReportModel): string {
  return reportTemplates().render('report', model);
}

let sectionTemplate: ((context: unknown) => string) | undefined;

/** One built section as the report draws it (title, chart, tables), for pages that show a section alone. */
export function renderSectionHtml(section: BuiltSection): string {
  sectionTemplate ??= reportTemplates().env.compile('{{> reportSection}}');
  return sectionTemplate(section);
}
