import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAttributionSpec } from '../../src/analyses/attribution/attributionSpec.js';
import { runAttribution } from '../../src/analyses/attribution/runAttribution.js';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { parseNextStepSpec } from '../../src/analyses/nextStep/nextStepSpec.js';
import { runNextStep } from '../../src/analyses/nextStep/runNextStep.js';
import { deliverRun } from '../../src/app/deliverRun.js';
import type { RenderedEmail } from '../../src/delivery/renderedEmail.js';
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import type { Transport } from '../../src/delivery/transport.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { reportRunEmail } from '../../src/app/reportRunEmail.js';
import type { EmailSettings } from '../../src/delivery/emailSettings.js';
import { linkSecretsSchema } from '../../src/links/linkSecrets.js';
import { verifyLink } from '../../src/links/linkToken.js';
import { BrowserPool } from '../../src/render/browserPool.js';
import { toRun, type Run } from '../../src/store/runsRepo.js';
import { migrate } from '../../src/store/migrate.js';
import { NOW, sampleDb } from '../render/sampleDb.js';
import { startSmtpPeer } from '../support/smtpPeer.js';
import { storeKinds, type TestStore } from '../support/stores.js';

const STEPS = [
  { name: 'Viewed a product', event: 'view_item' },
  { name: 'Added to cart', event: 'add_to_cart' },
  { name: 'Started checkout', event: 'begin_checkout' },
  { name: 'Bought', event: 'purchase' },
];
const DEFINITION = {
  title: 'Weekly journeys',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [{ type: 'kpi_summary' }, { type: 'funnel', funnel: { steps: STEPS } }],
};
/** Every section type, in an order that puts a chartless one (conversion paths) among the charts. */
const EVERY_SECTION = {
  title: 'Every section',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [
    { type: 'kpi_summary' },
    { type: 'funnel', funnel: { steps: STEPS } },
    { type: 'trended_funnel', funnel: { steps: STEPS }, interval: 'day' },
    { type: 'attribution_table' },
    { type: 'conversion_paths', top: 8 },
    { type: 'stages' },
    { type: 'journey_sankey', title: 'Journeys by page', paths: { nodeType: 'page_path' } },
    { type: 'next_step', title: 'What comes next', nextStep: { minSupport: 20 } },
    { type: 'retention', periods: 2 },
    { type: 'data_quality' },
  ],
};
const WEEK = { start: '2026-10-19', end: '2026-10-25' };
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'email');
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

const KEYS = linkSecretsSchema.parse('k1:0123456789abcdef0123456789abcdef');
const int = new Intl.NumberFormat('en-US');
const recipients = { to: ['ceo@example.com'], cc: [], bcc: [] };

let engine: DuckdbEngine;
let pool: BrowserPool;
let store: TestStore;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let transport: Transport;

/** A scheduled run of `weekly` at NOW, as the tick would have claimed it. */
async function scheduledRun(): Promise<Run> {
  const rows = await store.db.query<Parameters<typeof toRun>[0]>(
    `INSERT INTO runs (report_id, slot, kind, status, parameters)
     VALUES ('weekly', $1, 'scheduled', 'running', $2::jsonb) RETURNING *`,
    [NOW, JSON.stringify({ recipients })],
  );
  return toRun(rows[0]!);
}

async function render(email: Partial<EmailSettings> = {}, formats?: object) {
  const renderer = reportRunEmail({
    engine,
    store: store.db,
    pool,
    email: {
      attachmentLimitBytes: 7 * 1024 * 1024,
      unsubscribeMailto: 'reports@example.com',
      ...email,
    },
  });
  const run = await scheduledRun();
  const schedule = formats
    ? ({ name: 'Monday digest', formats } as unknown as Parameters<typeof renderer.render>[1])
    : null;
  return { run, ...(await renderer.render(run, schedule, new AbortController().signal)) };
}

async function send(runId: number, email: RenderedEmail) {
  await deliverRun(runId, recipients, email, {
    db: store.db,
    transport,
    from: 'Pathlight <reports@example.com>',
    messageIdDomain: 'example.com',
    unsubscribe: () => ({ mailto: 'reports@example.com' }),
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
  });
  const received = peer.received.at(-1);
  if (!received) throw new Error('nothing arrived');
  return received.parsed;
}

/** Intl puts thin spaces around the range dash; tests write plain ones. */
const plain = (s: unknown) => String(s).replace(/[\u2009\u202f]/g, ' ');

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

beforeAll(async () => {
  engine = await DuckdbEngine.open(await sampleDb());
  pool = new BrowserPool({ pages: 1 });
  store = await storeKinds.pglite();
  await migrate(store.db);
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', $1::jsonb)`, [
    JSON.stringify(DEFINITION),
  ]);
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('every', $1::jsonb)`, [
    JSON.stringify(EVERY_SECTION),
  ]);
});
afterAll(async () => {
  await pool?.close();
  await engine?.close();
  await store?.dispose();
});
beforeEach(async () => {
  peer = await startSmtpPeer();
  transport = smtpTransport({ url: peer.url, allowInsecureTls: true });
});
afterEach(async () => {
  await transport.close();
  await peer.close();
});

// Each case renders the report and prints its PDF in Chromium.
describe('the report email', { timeout: 180_000 }, () => {
  it('has the summary with inlined CSS, charts as cid: PNGs, a text part, the PDF and the headers', async () => {
    const { run, email, stageMs } = await render();
    const message = await send(run.id, email);

    expect(plain(message.subject)).toBe('Weekly journeys · Oct 19 – 25, 2026');
    const header = (key: string) => message.headerLines.find((h) => h.key === key)?.line;
    expect(header('list-unsubscribe')).toBe(
      'List-Unsubscribe: <mailto:reports@example.com?subject=unsubscribe>',
    );
    expect(message.messageId).toBe(
      `<run-${run.id}.${Buffer.from('ceo@example.com').toString('base64url')}@example.com>`,
    );
    expect(Object.keys(stageMs).sort()).toEqual(['email', 'html', 'pdf', 'query']);

    const html = String(message.html);
    // Safe for mail clients: no script, nothing fetched from outside, styles on the elements.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).toMatch(/<h1 style="[^"]*color: #1f4e79/);
    expect(html).toMatch(/<td class="header" style="[^"]*border-bottom: 3px solid #1f4e79/);
    // Only the small-screen rules stay in a <style> (they cannot be inlined).
    const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    expect(styles[0]).toMatch(/^\s*@media only screen and \(max-width: 700px\)/);

    // The funnel's counts as the analysis itself returns them, in both parts.
    const funnel = await runFunnel(
      engine,
      parseFunnelSpec({ dateRange: { start: '2026-10-19', end: '2026-10-25' }, steps: STEPS }),
    );
    expect(funnel.steps[3]?.count).toBeGreaterThan(0);
    const text = plain(message.text);
    for (const [i, step] of funnel.steps.entries()) {
      expect(text).toContain(`${i + 1}. ${step.name}: ${int.format(step.count)} (`);
      expect(html).toContain(`${i + 1}. ${step.name}</td><td class="num" style="`);
    }
    expect(text.split('\n').slice(0, 4)).toEqual([
      'Weekly journeys',
      'Oct 19 – 25, 2026, compared with Oct 12 – 18, 2026 (UTC)',
      '',
      `The full report is attached as a PDF (${Math.round(email.pdf!.content.length / 1024)} KB).`,
    ]);
    expect(text).toContain('== Funnel ==');

    // Three charts (sessions per day, by channel, funnel) as inline PNGs at twice their size.
    const images = message.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => [a.contentId, a.contentDisposition])).toEqual([
      ['<chart1-trend>', 'inline'],
      ['<chart1-channel>', 'inline'],
      ['<chart2-chart>', 'inline'],
    ]);
    expect(images.map((a) => pngSize(a.content))).toEqual([
      { width: 1360, height: 440 },
      { width: 1360, height: 400 },
      { width: 1360, height: 480 },
    ]);
    for (const image of images) {
      expect(html).toContain(`src="cid:${image.contentId?.slice(1, -1)}"`);
      // A drawn chart compresses far less than a blank 1360-wide PNG (well under 5 KB).
      expect(image.content.length).toBeGreaterThan(10_000);
    }
    const pdf = message.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe('weekly-2026-10-19-2026-10-25.pdf');
    expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf?.content.equals(email.pdf!.content)).toBe(true);
  });

  it('links to the PDF instead of attaching it when it is over the cap, and says so', async () => {
    const { run, email } = await render({
      attachmentLimitBytes: 1024,
      links: { keys: KEYS, publicUrl: () => 'https://pathlight.example.com/', ttlDays: 30 },
    });
    const message = await send(run.id, email);
    expect(message.attachments.some((a) => a.contentType === 'application/pdf')).toBe(false);
    const text = String(message.text);
    const url = /https:\/\/pathlight\.example\.com\/r\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.pdf/.exec(
      text,
    );
    expect(url).not.toBeNull();
    expect(text).toMatch(/over the 1 KB limit for attachments, so it is not attached/);
    expect(String(message.html)).toContain(`href="${url![0]}"`);
    const claims = verifyLink(KEYS, url![1]!);
    expect(claims.report).toBe('weekly');
    // The link shows this email's week, whenever it is opened.
    expect(claims.params).toEqual({ dateRange: { start: '2026-10-19', end: '2026-10-25' } });
    const expires = new Date(claims.exp * 1000);
    expect(Math.abs(expires.getTime() - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
    const day = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'long' });
    expect(text).toContain(`valid until ${day.format(expires)}`);
  });

  it('says the PDF is not attached when it is over the cap and links are not configured', async () => {
    const { run, email } = await render({ attachmentLimitBytes: 1024 });
    const message = await send(run.id, email);
    expect(message.attachments.some((a) => a.contentType === 'application/pdf')).toBe(false);
    expect(String(message.text)).toMatch(
      /The full report is \d+ KB, over the 1 KB limit for attachments, so it is not attached; open it in Pathlight\./,
    );
  });

  it('sends only the PDF and a short body when the schedule has no inline summary', async () => {
    const { run, email } = await render({}, { pdf: true, inline: false });
    const message = await send(run.id, email);
    expect(message.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(String(message.html)).toContain('this schedule does not put the summary in the email');
    expect(String(message.text)).toContain('To stop receiving the schedule "Monday digest"');
  });
});

describe('the scheduled email body', { timeout: 180_000 }, () => {
  let message: ParsedMail;
  beforeAll(async () => {
    const [row] = await store.db.query<Parameters<typeof toRun>[0]>(
      `INSERT INTO runs (report_id, slot, kind, status, parameters)
       VALUES ('every', $1, 'scheduled', 'running', $2::jsonb) RETURNING *`,
      [NOW, JSON.stringify({ recipients })],
    );
    const run = toRun(row!);
    const renderer = reportRunEmail({
      engine,
      store: store.db,
      pool,
      email: { attachmentLimitBytes: 7 * 1024 * 1024, unsubscribeMailto: 'reports@example.com' },
    });
    // The summary only: the PDF is another test's subject and the slowest step.
    const schedule = { name: 'Monday digest', formats: { pdf: false, inline: true } };
    const { email } = await renderer.render(
      run,
      schedule as unknown as Parameters<typeof renderer.render>[1],
      new AbortController().signal,
    );
    // The file's peer starts before each test; this one receives the message all the tests read.
    const own = await startSmtpPeer();
    const mailer = smtpTransport({ url: own.url, allowInsecureTls: true });
    try {
      await deliverRun(run.id, recipients, email, {
        db: store.db,
        transport: mailer,
        from: 'Pathlight <reports@example.com>',
        messageIdDomain: 'example.com',
        unsubscribe: () => ({ mailto: 'reports@example.com' }),
        retry: { attempts: 1, baseMs: 1, capMs: 1 },
      });
      const received = own.received.at(-1);
      if (!received) throw new Error('nothing arrived');
      message = received.parsed;
    } finally {
      await mailer.close();
      await own.close();
    }
  }, 180_000);

  /** The text part between one section's heading and the next. */
  function textSection(title: string): string {
    const text = String(message.text);
    const start = text.indexOf(`== ${title} ==`);
    expect(start, title).toBeGreaterThanOrEqual(0);
    const next = text.indexOf('\n== ', start + 1);
    return text.slice(start, next < 0 ? undefined : next);
  }

  it('has every section in the body: none falls back to "in the full report"', () => {
    const html = String(message.html);
    const text = String(message.text);
    expect(html).not.toContain('This section is in the full report');
    expect(text).not.toContain('This section is in the full report');
    const titles = [...html.matchAll(/<h2[^>]*>([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      'Key figures',
      'Funnel',
      'Funnel conversion over time',
      'Attribution by channel',
      'Top conversion paths',
      'Journey stages',
      'Journeys by page',
      'What comes next',
      'Retention by first-visit cohort',
      'Data quality',
    ]);
  });

  it('attaches exactly the chart images the HTML refers to, and no other image', () => {
    const html = String(message.html);
    const referenced = [...html.matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    const attached = message.attachments
      .filter((a) => a.contentType === 'image/png')
      .map((a) => a.contentId?.slice(1, -1));
    // By the definition: the key figures draw two charts; conversion paths, retention and data
    // quality draw none.
    const expected = [
      'chart1-trend',
      'chart1-channel',
      'chart2-chart',
      'chart3-chart',
      'chart4-chart',
      'chart6-chart',
      'chart7-chart',
      'chart8-chart',
    ];
    expect(referenced).toEqual(expected);
    expect(attached).toEqual(expected);
    expect(message.attachments).toHaveLength(expected.length);
    for (const a of message.attachments) expect(a.contentDisposition).toBe('inline');
    // Each attachment is a real picture, not an empty canvas.
    for (const a of message.attachments) expect(a.content.length).toBeGreaterThan(10_000);
  });

  it('puts the figures that matter beside each chart, as the analyses compute them', async () => {
    const attribution = await runAttribution(
      engine,
      parseAttributionSpec({ dateRange: WEEK, goal: { event: 'purchase' } }),
    );
    expect(attribution.channels.length).toBeGreaterThan(5);
    // The five channels the email lists, under the Markov model the chart draws, with revenue.
    const attributionText = textSection('Attribution by channel');
    const listed = attribution.channels.slice(0, 5);
    for (const c of listed)
      expect(attributionText).toContain(
        `- ${c.channel}: ${one.format(c.conversions.markov)} (${usd.format(c.revenue.markov)})`,
      );
    expect(attributionText.match(/^- /gm)).toHaveLength(5);
    expect(attributionText).toContain(
      `${attribution.channels.length - 5} more touchpoints in the full report.`,
    );

    const pathsText = textSection('Top conversion paths');
    const paths = attribution.paths.slice(0, 5);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths)
      expect(pathsText).toContain(
        `- ${p.path.join(' › ')}: ${int.format(p.conversions)} converted (${usd.format(p.revenue)})`,
      );

    const next = await runNextStep(
      engine,
      parseNextStepSpec({ dateRange: WEEK, goal: 'purchase', minSupport: 20 }),
    );
    const estimated = next.nodes.filter((n) => n.conversionProbability !== null);
    expect(estimated.length).toBeGreaterThan(5);
    const nextText = textSection('What comes next');
    expect(nextText).toContain(
      `${pct(next.conversionProbability!)} chance that one of the ${int.format(next.journeys)} ${next.unit} reaches purchase (${int.format(next.conversions)} did).`,
    );
    for (const n of estimated.slice(0, 5)) {
      const top = n.next[0]!;
      expect(nextText).toContain(
        `- ${n.node} (${int.format(n.journeys)} ${next.unit}): ${pct(n.reached!.probability)} went on to purchase (${int.format(n.reached!.converted)} of ${int.format(n.reached!.journeys)}), the chain's estimate ${pct(n.conversionProbability!)}; most go next to ${top.node} (${pct(top.probability)})`,
      );
    }
    expect(nextText.match(/^- /gm)).toHaveLength(5);

    // One row per day of the week, in the HTML table too.
    expect(textSection('Funnel conversion over time').match(/^- Oct \d+, 2026: /gm)).toHaveLength(
      7,
    );
  });

  it('reads at 390 px without sideways scrolling, KPI cards wrapping in rows', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // As the recipient's client shows it: the cid: images from the message itself.
    let html = String(message.html);
    for (const a of message.attachments)
      html = html.replaceAll(
        `cid:${a.contentId?.slice(1, -1)}`,
        `data:image/png;base64,${a.content.toString('base64')}`,
      );
    const layout = await pool.withPage(async (page) => {
      const out: Record<number, { scrollWidth: number; tileRows: number[] }> = {};
      for (const width of [1366, 390]) {
        await page.setViewport({ width, height: 900 });
        await page.setContent(html, { waitUntil: 'load' });
        out[width] = await page.evaluate(() => {
          const tops = [...document.querySelectorAll('.tile')].map(
            (t) => (t as HTMLElement).getBoundingClientRect().top,
          );
          const rows = new Map<number, number>();
          for (const top of tops) rows.set(top, (rows.get(top) ?? 0) + 1);
          return {
            scrollWidth: document.documentElement.scrollWidth,
            tileRows: [...rows.values()],
          };
        });
        await page.screenshot({
          path: join(ARTIFACTS, `report-email-${width}.png`),
          fullPage: true,
        });
      }
      return out;
    });
    expect(layout[1366]).toEqual({ scrollWidth: 1366, tileRows: [5] });
    expect(layout[390]).toEqual({ scrollWidth: 390, tileRows: [3, 2] });
  });
});
