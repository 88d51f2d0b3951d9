import type { Logger } from 'pino';
import { outboxDir, type Config } from '../config/config.js';
import type { EmailSettings } from '../delivery/emailSettings.js';
import { linkServiceFor } from '../links/linkSettings.js';
import type { DeliverOptions } from './deliverRun.js';
import { outboxTransport } from '../delivery/outboxTransport.js';
import { smtpTransport } from '../delivery/smtpTransport.js';
import type { Transport } from '../delivery/transport.js';

/** The configured transport: SMTP when `SMTP_URL` is set, else the outbox folder in the data dir. */
export function transportFor(config: Config): { transport: Transport; outbox?: string } {
  if (config.SMTP_URL) return { transport: smtpTransport({ url: config.SMTP_URL }) };
  const outbox = outboxDir(config);
  return { transport: outboxTransport(outbox), outbox };
}

/** `Pathlight <reports@example.com>` → `reports@example.com`. */
export const fromAddress = (config: Config): string =>
  /<([^>]+)>/.exec(config.PATHLIGHT_MAIL_FROM)?.[1] ?? config.PATHLIGHT_MAIL_FROM;

/** Everything deliverRun needs but the store and the transport's owner check. */
export function deliverSettings(
  config: Config,
  transport: Transport,
): Omit<DeliverOptions, 'db' | 'stillOwner'> {
  const address = fromAddress(config);
  return {
    transport,
    from: config.PATHLIGHT_MAIL_FROM,
    messageIdDomain: address.split('@')[1] ?? 'pathlight.local',
    unsubscribe: () => ({ mailto: address }),
    retry: { attempts: 3, baseMs: 1000, capMs: 30_000 },
    // As many messages in flight as the SMTP transport keeps connections open.
    concurrency: 3,
  };
}

/**
 * The attachment cap, and recorded links ("open online", over-cap PDFs) whenever sharing is on;
 * `ownUrl` is the service's address, the public URL when none is configured.
 */
export function emailSettings(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
  ownUrl: () => string = () => `http://${config.PATHLIGHT_HOST}:${config.PORT}`,
): EmailSettings {
  const service = linkServiceFor(config, ownUrl, env);
  const links = service && { ...service, ttlDays: config.PATHLIGHT_EMAIL_LINK_TTL_DAYS };
  return {
    attachmentLimitBytes: config.PATHLIGHT_EMAIL_ATTACHMENT_MAX_BYTES,
    unsubscribeMailto: fromAddress(config),
    ...(links ? { links } : {}),
  };
}

/**
 * Checks the relay at start-up (connects, greets, logs in). A failure is logged, not fatal: the
 * relay may be back by the next run, and failed sends are retried and recorded anyway.
 */
export async function verifyTransport(transport: Transport, logger: Logger): Promise<boolean> {
  try {
    await transport.verify();
    return true;
  } catch (error) {
    logger.error(
      { err: error, mail: transport.kind },
      'the mail transport failed its start-up check; emails will fail until it answers',
    );
    return false;
  }
}
