import { createHash } from 'node:crypto';
import { reportTemplates } from './handlebarsEnv.js';
import type { ReportView, SectionView } from './reportView.js';

/** The attribute the page sets on <body> once its fonts are ready; the PDF renderer waits for it. */
export const READY_ATTRIBUTE = 'data-report-ready';

/** The report's one script: it sets the ready marker once the fonts have loaded. */
export const READY_SCRIPT = `document.fonts.ready.then(function () { document.body.setAttribute('${READY_ATTRIBUTE}', 'true'); });`;

/**
 * The CSP source that lets exactly the ready script run where the report is served over HTTP
 * (previews, shared links), whose policy refuses every other inline script.
 */
export const READY_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(READY_SCRIPT).digest('base64')}'`;

/** A report as one self-contained HTML page (inline CSS and SVG, local fonts, nothing fetched). */
export function renderReportHtml(model: ReportView): string {
  return reportTemplates().render('report', { ...model, readyScript: READY_SCRIPT });
}

let sectionTemplate: ((context: unknown) => string) | undefined;

/** One built section as the report draws it (title, chart, tables), for pages that show a section alone. */
export function renderSectionHtml(section: SectionView): string {
  sectionTemplate ??= reportTemplates().env.compile('{{> reportSection}}');
  return sectionTemplate(section);
}
