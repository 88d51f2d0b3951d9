import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  composeMessage,
  deliveryMessageId,
  parseDeliveryMessageId,
} from '../../src/delivery/composeMessage.js';
import { listOutbox } from '../../src/delivery/outboxFolder.js';
import { outboxTransport } from '../../src/delivery/outboxTransport.js';
import { readMime } from '../../src/delivery/readMime.js';
import { sampleEmail } from '../support/sampleEmail.js';

const addressing = (runId: number, envelopeTo: string) => ({
  from: 'Pathlight <reports@example.com>',
  to: ['ceo@example.com', 'cmo@example.com'],
  cc: [],
  envelopeTo,
  messageId: deliveryMessageId(runId, envelopeTo, 'example.com'),
  unsubscribe: { mailto: 'reports@example.com' },
});

describe('reading a stored message', () => {
  it('reads what nodemailer wrote exactly as mailparser does: headers, both parts, attachments', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pathlight-outbox-'));
    const transport = outboxTransport(folder);
    const sent = await transport.send(
      composeMessage(sampleEmail(), addressing(7, 'ceo@example.com')),
    );
    const raw = readFileSync(sent.path!);
    const reference = await simpleParser(raw, { keepCidLinks: true });
    const read = readMime(raw);

    expect(read.subject).toBe('Wöchentlicher Bericht · 19 – 25 Oct 2026');
    expect(read.subject).toBe(reference.subject);
    expect(read.header('message-id')).toBe(reference.messageId);
    expect(read.header('to')).toBe('ceo@example.com, cmo@example.com');
    expect(read.html).toBe(sampleEmail().html);
    expect(read.html).toBe(reference.html);
    // mailparser ends a text part with the line break the sender wrote; so do we.
    expect(read.text).toBe(sampleEmail().text);
    expect(read.text).toBe(reference.text);
    expect(
      read.attachments.map((a) => [a.filename, a.contentType, a.contentId, a.disposition]),
    ).toEqual([
      ['chart1-trend.png', 'image/png', 'chart1-trend', 'inline'],
      ['chart2-chart.png', 'image/png', 'chart2-chart', 'inline'],
      ['Bericht März 2026.pdf', 'application/pdf', null, 'attachment'],
    ]);
    expect(
      reference.attachments.map((a) => [
        a.filename,
        a.contentType,
        a.cid ?? null,
        a.contentDisposition,
      ]),
    ).toEqual(read.attachments.map((a) => [a.filename, a.contentType, a.contentId, a.disposition]));
    const email = sampleEmail();
    const originals = [...email.images.map((i) => i.content), email.pdf!.content];
    read.attachments.forEach((a, i) => {
      expect(a.content.equals(originals[i]!)).toBe(true);
      expect(a.content.equals(reference.attachments[i]!.content)).toBe(true);
    });
  });

  it('turns a delivery Message-ID back into its run and recipient, and nothing else', () => {
    const id = deliveryMessageId(42, 'Anna.Müller@example.com', 'mail.example.com');
    expect(parseDeliveryMessageId(id)).toEqual({
      runId: 42,
      recipient: 'anna.müller@example.com',
      domain: 'mail.example.com',
    });
    expect(parseDeliveryMessageId('<abc@example.com>')).toBeNull();
    expect(parseDeliveryMessageId('<run-1.bm90LWFuLWFkZHJlc3M@example.com>')).toBeNull();
    expect(parseDeliveryMessageId('<run-x.YUBiLmM@example.com>')).toBeNull();
  });
});

describe('the outbox list', () => {
  it('shows one message per run with every recipient its copies went to, newest first', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pathlight-outbox-'));
    const transport = outboxTransport(folder);
    const email = sampleEmail();
    // Run 7 to two To recipients and a Bcc one: three copies, three envelopes.
    for (const to of ['ceo@example.com', 'cmo@example.com', 'audit@example.com'])
      await transport.send(composeMessage(email, addressing(7, to)));
    // A resend after a crash: the same Message-ID stored a second time.
    await transport.send(composeMessage(email, addressing(7, 'cmo@example.com')));
    await new Promise((resolve) => setTimeout(resolve, 15));
    await transport.send(
      composeMessage({ ...email, subject: 'Next week' }, addressing(8, 'ceo@example.com')),
    );
    expect(readdirSync(folder)).toHaveLength(5);

    const listed = listOutbox(folder);
    expect(
      listed.map((m) => ({
        runId: m.runId,
        subject: m.subject,
        to: m.to,
        recipients: [...m.recipients].sort(),
        copies: m.copies.length,
      })),
    ).toEqual([
      {
        runId: 8,
        subject: 'Next week',
        to: 'ceo@example.com, cmo@example.com',
        recipients: ['ceo@example.com'],
        copies: 1,
      },
      {
        runId: 7,
        subject: 'Wöchentlicher Bericht · 19 – 25 Oct 2026',
        to: 'ceo@example.com, cmo@example.com',
        recipients: ['audit@example.com', 'ceo@example.com', 'cmo@example.com'],
        copies: 4,
      },
    ]);
    // The row opens its first stored copy, and that copy is one of run 7's files.
    const run7 = listed[1]!;
    expect(run7.copies.map((c) => c.file)).toContain(run7.file);
    expect(run7.bytes).toBe(readFileSync(join(folder, run7.file)).length);
  });

  it('lists a message that no run sent on its own row, and nothing for a missing folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pathlight-outbox-'));
    const transport = outboxTransport(folder);
    for (let i = 0; i < 2; i += 1)
      await transport.send({
        from: 'a@example.com',
        to: 'b@example.com',
        subject: 'Hand written',
        text: 'hello',
      });
    expect(listOutbox(folder).map((m) => [m.runId, m.recipients])).toEqual([
      [null, ['b@example.com']],
      [null, ['b@example.com']],
    ]);
    expect(listOutbox(join(folder, 'missing'))).toEqual([]);
    expect(listOutbox(undefined)).toEqual([]);
  });
});
