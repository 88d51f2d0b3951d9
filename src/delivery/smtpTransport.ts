import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { SentMessage, Transport } from './transport.js';

export interface SmtpSettings {
  readonly url: string;
  readonly connectionTimeoutMs?: number;
  readonly socketTimeoutMs?: number;
  readonly maxConnections?: number;
  /** Tests talk to a local server with a self-signed certificate or none. */
  readonly allowInsecureTls?: boolean;
}

/** nodemailer over SMTP: pooled connections, explicit timeouts, verified at start. */
export function smtpTransport(settings: SmtpSettings): Transport {
  const transporter = nodemailer.createTransport(settings.url, {
    pool: true,
    maxConnections: settings.maxConnections ?? 3,
    connectionTimeout: settings.connectionTimeoutMs ?? 15_000,
    greetingTimeout: settings.connectionTimeoutMs ?? 15_000,
    socketTimeout: settings.socketTimeoutMs ?? 60_000,
    ...(settings.allowInsecureTls ? { tls: { rejectUnauthorized: false }, ignoreTLS: true } : {}),
  } as Parameters<typeof nodemailer.createTransport>[1]);
  return {
    kind: 'smtp',
    async send(message: Mail.Options): Promise<SentMessage> {
      const info = (await transporter.sendMail(message)) as { messageId: string; response: string };
      return { messageId: info.messageId, response: info.response };
    },
    async verify() {
      await transporter.verify();
    },
    async close() {
      transporter.close();
    },
  };
}
