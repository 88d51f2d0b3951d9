import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseFunnelSpec } from '../../src/analyses/funnel/funnelSpec.js';
import { runFunnel } from '../../src/analyses/funnel/runFunnel.js';
import { deliverRun } from '../../src/delivery/deliverRun.js';
import type { RenderedEmail } from '../../src/delivery/renderedEmail.js';
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import type { Transport } from '../../src/delivery/transport.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { reportRunRenderer, type EmailSettings } from '../../src/http/reportRenderer.js';
import { linkSecretsSchema } from '../../src/links/linkSecrets.js';
import { verifyLink } from '../../src/links/linkToken.js';
import { BrowserPool } from '../../src/render/browserPool.js';
import { toRun, type Run } from '../../src/scheduler/runsRepo.js';
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
  const renderer = reportRunRenderer({
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
