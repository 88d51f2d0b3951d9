import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { SentMessage, Transport } from './transport.js';

/**
 * The embedded default: each message is written as an `.eml` file in an outbox folder, which the
 * UI lists. Written to a temporary name and renamed, so a reader never sees half a message.
 */
export function outboxTransport(folder: string): Transport {
  const builder = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  return {
    kind: 'outbox',
    async send(message: Mail.Options): Promise<SentMessage> {
      mkdirSync(folder, { recursive: true });
      const info = (await builder.sendMail(message)) as { messageId: string; message: Buffer };
      const stamp = new Date().toISOString().replaceAll(/[:.]/g, '-');
      const safeId = info.messageId.replaceAll(/[^A-Za-z0-9.@_-]/g, '');
      const path = join(folder, `${stamp}_${safeId}.eml`);
      writeFileSync(`${path}.tmp`, info.message);
      renameSync(`${path}.tmp`, path);
      return { messageId: info.messageId, response: `stored in the outbox as ${path}`, path };
    },
    async verify() {
      mkdirSync(folder, { recursive: true });
    },
    async close() {},
  };
}
