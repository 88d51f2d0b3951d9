import type { BrowserPool } from '../render/browserPool.js';
import type { BuiltSection } from '../reports/sections/sectionInput.js';

/** A chart as the email refers to it: `<img src="cid:...">` at the SVG's own size. */
export interface ChartRef {
  readonly cid: string;
  readonly width: number;
  readonly height: number;
  readonly alt: string;
}

export interface ChartSvg extends ChartRef {
  readonly svg: string;
}

export interface ChartImage {
  readonly cid: string;
  readonly filename: string;
  readonly content: Buffer;
}

const size = (svg: string, attribute: 'width' | 'height'): number => {
  const match = new RegExp(`<svg[^>]*?\\s${attribute}="(\\d+(?:\\.\\d+)?)`).exec(svg);
  if (!match?.[1]) throw new Error(`chart SVG has no ${attribute}`);
  return Math.round(Number(match[1]));
};

/**
 * Email clients do not draw inline SVG, so each section's `...Svg` chart becomes a reference to an
 * inline PNG. Returns the sections with those references and the charts to rasterize; without a
 * browser to draw them (`withImages` false) the charts are left out and the tables remain.
 */
export function extractCharts(
  sections: readonly BuiltSection[],
  withImages = true,
): {
  sections: BuiltSection[];
  charts: ChartSvg[];
} {
  const charts: ChartSvg[] = [];
  const out = sections.map((section, index) => {
    const context = section.context as Record<string, unknown> | null;
    if (!context || typeof context !== 'object') return section;
    const replaced: Record<string, unknown> = { ...context };
    for (const [key, value] of Object.entries(context)) {
      if (!key.endsWith('Svg') || typeof value !== 'string') continue;
      if (value === '' || !withImages) {
        replaced[key] = null;
        continue;
      }
      const chart: ChartSvg = {
        cid: `chart${index + 1}-${key.slice(0, -3)}`,
        width: size(value, 'width'),
        height: size(value, 'height'),
        alt: section.title,
        svg: value,
      };
      charts.push(chart);
      replaced[key] = { cid: chart.cid, width: chart.width, height: chart.height, alt: chart.alt };
    }
    return { ...section, context: replaced };
  });
  return { sections: out, charts };
}

/** The `cid:` images an HTML body refers to, as `<img src>` or a CSS `url()`. */
export function referencedCids(html: string): Set<string> {
  return new Set([...html.matchAll(/cid:([^"'()\s>]+)/g)].map((m) => m[1] ?? ''));
}

/**
 * Draws every chart in one page of the browser pool and screenshots each one at twice its CSS
 * size (sharp on high-density screens). Nothing outside the page is fetched.
 */
export async function rasterizeCharts(
  pool: BrowserPool,
  charts: readonly ChartSvg[],
  options: { scale?: number; timeoutMs?: number } = {},
): Promise<ChartImage[]> {
  if (charts.length === 0) return [];
  const timeout = options.timeoutMs ?? 10_000;
  const width = Math.max(...charts.map((c) => c.width));
  return pool.withPage(async (page) => {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url === 'about:blank') void request.continue();
      else void request.abort('blockedbyclient');
    });
    await page.setViewport({ width, height: 800, deviceScaleFactor: options.scale ?? 2 });
    const body = charts
      .map(
        (c, i) =>
          `<div id="chart-${i}" style="width:${c.width}px;height:${c.height}px;overflow:hidden">${c.svg}</div>`,
      )
      .join('');
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff}</style></head><body>${body}</body></html>`,
      { waitUntil: 'load', timeout },
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const images: ChartImage[] = [];
    for (const [i, chart] of charts.entries()) {
      const element = await page.$(`#chart-${i}`);
      if (!element) throw new Error(`chart ${chart.cid} was not drawn`);
      const png = await element.screenshot({ type: 'png' });
      images.push({ cid: chart.cid, filename: `${chart.cid}.png`, content: Buffer.from(png) });
    }
    return images;
  });
}
