import type Mail from 'nodemailer/lib/mailer/index.js';

export interface SentMessage {
  readonly messageId: string;
  /** The SMTP server's reply (`250 2.0.0 Ok: queued as ...`), or where the outbox stored it. */
  readonly response: string;
  /** The outbox file, when the message went to the outbox. */
  readonly path?: string;
}

/** Where emails go: an SMTP relay in production, an outbox folder on the embedded default. */
export interface Transport {
  readonly kind: 'smtp' | 'outbox';
  send(message: Mail.Options): Promise<SentMessage>;
  /** Checks the relay answers (and accepts our login) at start-up. */
  verify(): Promise<void>;
  close(): Promise<void>;
}
