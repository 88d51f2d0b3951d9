import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverRun, type DeliverOptions } from '../../src/app/deliverRun.js';
import type { RenderedEmail } from '../../src/delivery/renderedEmail.js';
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import type { Transport } from '../../src/delivery/transport.js';
import { RunsRepo } from '../../src/store/runsRepo.js';
import { migrate } from '../../src/store/migrate.js';
import { startSmtpPeer } from '../support/smtpPeer.js';
import { storeKinds, type TestStore } from '../support/stores.js';

// A 1x1 white PNG and a tiny PDF stand in for the rendered chart and report.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64',
);
const email: RenderedEmail = {
  subject: 'Weekly journeys · 16–22 Nov 2026',
  html: '<p style="color:#123">Conversions: <b>42</b></p><img src="cid:funnel">',
  text: 'Conversions: 42',
  images: [{ cid: 'funnel', filename: 'funnel.png', content: PNG }],
  pdf: { filename: 'weekly.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') },
};
const recipients = {
  to: ['ceo@example.com', 'cmo@example.com'],
  cc: ['team@example.com'],
  bcc: ['audit@example.com'],
};

let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let store: TestStore;
let transport: Transport;
let runId: number;

const options = (): DeliverOptions => ({
  db: store.db,
  transport,
  from: 'Pathlight <reports@example.com>',
  messageIdDomain: 'pathlight.example.com',
  unsubscribe: (recipient) => ({
    mailto: 'marketing@example.com',
    url: `https://pathlight.example.com/u/${recipient}`,
  }),
  retry: { attempts: 3, baseMs: 1, capMs: 5 },
});

beforeAll(async () => {
  store = await storeKinds.postgres();
  await migrate(store.db);
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', '{}')`);
});
afterAll(async () => {
  await store.dispose();
});
beforeEach(async () => {
  peer = await startSmtpPeer({ rejectRecipients: ['cmo@example.com'] });
  transport = smtpTransport({
    url: peer.url,
    allowInsecureTls: true,
    connectionTimeoutMs: 5000,
    socketTimeoutMs: 5000,
  });
  runId = (await new RunsRepo(store.db).createManual('weekly', 'send_now', {})).id;
});
afterEach(async () => {
  await transport.close();
  await peer.close();
});

describe('delivering a run over SMTP', () => {
  it('sends each recipient one message with the right parts and headers; a 550 fails that recipient only', async () => {
    const outcome = await deliverRun(runId, recipients, email, options());
    expect(outcome).toEqual({ sent: 3, failed: 1, abandoned: 0 });
    expect(peer.received.map((m) => m.envelopeTo)).toEqual([
      ['ceo@example.com'],
      ['team@example.com'],
      ['audit@example.com'],
    ]);
    const message = peer.received[0]!.parsed;
    expect(message.subject).toBe('Weekly journeys · 16–22 Nov 2026');
    expect(message.text?.trim()).toBe('Conversions: 42');
    expect(message.html).toContain('<b>42</b>');
    expect(message.html).toContain('src="cid:funnel"');
    const header = (key: string) =>
      message.headerLines
        .find((h) => h.key === key)
        ?.line.replace(/^[^:]+:\s*/, '')
        .replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(
      '<https://pathlight.example.com/u/ceo@example.com>, <mailto:marketing@example.com?subject=unsubscribe>',
    );
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    // Bcc never shows in the headers; To and Cc do, whoever the envelope names.
    expect(message.to && 'text' in message.to ? message.to.text : '').toBe(
      'ceo@example.com, cmo@example.com',
    );
    expect(message.cc && 'text' in message.cc ? message.cc.text : '').toBe('team@example.com');
    const bccCopy = peer.received[2]!.parsed;
    expect(bccCopy.headers.has('bcc')).toBe(false);
    expect(bccCopy.to && 'text' in bccCopy.to ? bccCopy.to.text : '').toBe(
      'ceo@example.com, cmo@example.com',
    );
    const [image, pdf] = message.attachments;
    expect(image).toMatchObject({
      contentType: 'image/png',
      contentId: '<funnel>',
      contentDisposition: 'inline',
    });
    expect(image?.content.equals(PNG)).toBe(true);
    expect(pdf).toMatchObject({ contentType: 'application/pdf', filename: 'weekly.pdf' });
    expect(message.messageId).toBe(
      `<run-${runId}.${Buffer.from('ceo@example.com').toString('base64url')}@pathlight.example.com>`,
    );
    const deliveries = await store.db.query<{
      recipient: string;
      status: string;
      attempts: number;
      smtp_response: string | null;
    }>(
      'SELECT recipient, status, attempts, smtp_response FROM deliveries WHERE run_id = $1 ORDER BY id',
      [runId],
    );
    expect(deliveries.map((d) => [d.recipient, d.status, d.attempts])).toEqual([
      ['ceo@example.com', 'sent', 1],
      ['cmo@example.com', 'failed', 1],
      ['team@example.com', 'sent', 1],
      ['audit@example.com', 'sent', 1],
    ]);
    expect(deliveries[0]?.smtp_response).toMatch(/^250 /);
    expect(deliveries[1]?.smtp_response).toMatch(/^550 /);
  });

  it('retries a 421 and sends once', async () => {
    peer.plan({ code: 421, message: '4.3.2 try again later' });
    const outcome = await deliverRun(
      runId,
      { to: ['ceo@example.com'], cc: [], bcc: [] },
      email,
      options(),
    );
    expect(outcome).toEqual({ sent: 1, failed: 0, abandoned: 0 });
    expect(peer.received).toHaveLength(1);
    const attempts = await store.db.query<{ status: string; smtp_response: string | null }>(
      'SELECT status, smtp_response FROM attempts WHERE run_id = $1 ORDER BY id',
      [runId],
    );
    expect(attempts.map((a) => a.status)).toEqual(['retrying', 'sent']);
    expect(attempts[0]?.smtp_response).toMatch(/^421 /);
  });

  it('retries a connection dropped in the middle of DATA', async () => {
    peer.plan('drop');
    const outcome = await deliverRun(
      runId,
      { to: ['ceo@example.com'], cc: [], bcc: [] },
      email,
      options(),
    );
    expect(outcome).toEqual({ sent: 1, failed: 0, abandoned: 0 });
    expect(peer.received).toHaveLength(1);
  });

  it('resends nothing that was sent when the run is delivered again', async () => {
    await deliverRun(runId, recipients, email, options());
    await deliverRun(runId, recipients, email, options());
    expect(peer.received).toHaveLength(3);
  });

  it('resends with the same Message-ID when a crash hit between the server’s acceptance and its record', async () => {
    const one = { to: ['ceo@example.com'], cc: [], bcc: [] };
    await deliverRun(runId, one, email, options());
    // The documented gap: the server accepted, the worker died before its one recording statement.
    await store.db.query(`UPDATE deliveries SET status = 'sending' WHERE run_id = $1`, [runId]);
    await deliverRun(runId, one, email, options());
    expect(peer.received).toHaveLength(2);
    expect(peer.received[1]?.parsed.messageId).toBe(peer.received[0]?.parsed.messageId);
  });

  it('gives up a recipient after the transient attempts are spent', async () => {
    peer.plan(...Array.from({ length: 3 }, () => ({ code: 451, message: '4.7.1 greylisted' })));
    const outcome = await deliverRun(
      runId,
      { to: ['ceo@example.com'], cc: [], bcc: [] },
      email,
      options(),
    );
    expect(outcome).toEqual({ sent: 0, failed: 1, abandoned: 0 });
    expect(peer.received).toHaveLength(0);
  });
});
