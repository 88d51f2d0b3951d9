import type { BrowserPool } from './browserPool.js';
import { READY_ATTRIBUTE } from './renderHtml.js';
import type { PageHeadings } from './reportView.js';

export interface PdfOptions {
  /** How long the page may take to say it is ready; a report never goes out half-drawn. */
  readonly readyTimeoutMs?: number;
}

/** The page never loads anything from outside: every request but the document itself is refused. */
const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Chromium's own header/footer: title and date range on top, page numbers and generation time below. */
export function headerFooter(model: PageHeadings) {
  const style =
    "font-family:'DejaVu Sans','Noto Sans',sans-serif;font-size:7.5pt;color:#6B7785;width:100%;padding:0 14mm;display:flex;justify-content:space-between;";
  return {
    headerTemplate: `<div style="${style}"><span>${escapeHtml(model.title)}</span><span>${escapeHtml(model.rangeLabel)}</span></div>`,
    footerTemplate: `<div style="${style}"><span>Generated ${escapeHtml(model.generatedLabel)} · Pathlight</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

/** Prints report HTML to an A4 PDF once the page's ready marker is set and its fonts are loaded. */
export async function renderPdf(
  pool: BrowserPool,
  html: string,
  model: PageHeadings,
  options: PdfOptions = {},
): Promise<Buffer> {
  const timeout = options.readyTimeoutMs ?? 10_000;
  return pool.withPage(async (page) => {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url === 'about:blank') void request.continue();
      else void request.abort('blockedbyclient');
    });
    await page.setContent(html, { waitUntil: 'load', timeout });
    try {
      await page.waitForSelector(`body[${READY_ATTRIBUTE}="true"]`, { timeout });
    } catch (error) {
      throw new Error(`report page was not ready after ${timeout} ms (ready marker never set)`, {
        cause: error,
      });
    }
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      ...headerFooter(model),
      timeout,
    });
    return Buffer.from(pdf);
  });
}
