import type { Recipients } from '../scheduler/scheduleSpec.js';
import type { Queryable } from '../store/storeDb.js';
import { backoffMs, classifyError, describeError } from './classifyError.js';
import { composeMessage, deliveryMessageId } from './composeMessage.js';
import type { RenderedEmail } from './renderedEmail.js';
import type { Transport } from './transport.js';

export interface DeliverOptions {
  readonly db: Queryable;
  readonly transport: Transport;
  readonly from: string;
  /** The domain of our Message-IDs. */
  readonly messageIdDomain: string;
  readonly unsubscribe: (recipient: string) => { mailto: string; url?: string };
  readonly retry: { attempts: number; baseMs: number; capMs: number };
  /** Asked before each send: false once another worker has taken the run over. */
  readonly stillOwner?: () => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryOutcome {
  readonly sent: number;
  readonly failed: number;
  /** Deliveries left unsent because this worker lost the run. */
  readonly abandoned: number;
}

interface DeliveryRow {
  id: string | number;
  recipient: string;
  kind: 'to' | 'cc' | 'bcc';
  message_id: string;
  attempts: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a run's email to every recipient not yet sent to. A (run, recipient) row is created once;
 * a retry or a worker taking the run over resends only what is not marked sent. The one gap, a
 * crash between the server's acceptance and the single statement that records it, resends the
 * message with the same Message-ID.
 */
export async function deliverRun(
  runId: number,
  recipients: Recipients,
  email: RenderedEmail,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  const { db } = options;
  const all = [
    ...recipients.to.map((r) => ['to', r] as const),
    ...recipients.cc.map((r) => ['cc', r] as const),
    ...recipients.bcc.map((r) => ['bcc', r] as const),
  ];
  for (const [kind, recipient] of all) {
    await db.query(
      `INSERT INTO deliveries (run_id, recipient, kind, status, message_id)
       VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT (run_id, recipient) DO NOTHING`,
      [
        runId,
        recipient.toLowerCase(),
        kind,
        deliveryMessageId(runId, recipient, options.messageIdDomain),
      ],
    );
  }
  const pending = await db.query<DeliveryRow>(
    `SELECT id, recipient, kind, message_id, attempts FROM deliveries
     WHERE run_id = $1 AND status IN ('pending', 'sending') ORDER BY id`,
    [runId],
  );
  let abandoned = 0;
  for (const delivery of pending) {
    if (options.stillOwner && !options.stillOwner()) {
      abandoned += 1;
      continue;
    }
    await deliverOne(Number(delivery.id), delivery, recipients, email, options);
  }
  const [counts] = await db.query<{ sent: string; failed: string }>(
    `SELECT COUNT(*) FILTER (WHERE status = 'sent')::text AS sent, COUNT(*) FILTER (WHERE status = 'failed')::text AS failed
     FROM deliveries WHERE run_id = $1`,
    [runId],
  );
  return { sent: Number(counts?.sent ?? 0), failed: Number(counts?.failed ?? 0), abandoned };
}

async function deliverOne(
  deliveryId: number,
  delivery: DeliveryRow,
  recipients: Recipients,
  email: RenderedEmail,
  options: DeliverOptions,
): Promise<'sent' | 'failed'> {
  const { db } = options;
  const message = composeMessage(email, {
    from: options.from,
    to: recipients.to,
    cc: recipients.cc,
    envelopeTo: delivery.recipient,
    messageId: delivery.message_id,
    unsubscribe: options.unsubscribe(delivery.recipient),
  });
  for (let attempt = 1; ; attempt += 1) {
    const [started] = await db.query<{ id: string | number }>(
      `WITH marked AS (
         UPDATE deliveries SET status = 'sending', attempts = attempts + 1 WHERE id = $1 RETURNING run_id
       )
       INSERT INTO attempts (run_id, delivery_id, status) SELECT run_id, $1, 'sending' FROM marked RETURNING id`,
      [deliveryId],
    );
    const attemptId = Number(started?.id);
    const began = performance.now();
    try {
      const result = await options.transport.send(message);
      const ms = Math.round(performance.now() - began);
      // One statement records the send: the delivery, its attempt, and the outbox entry.
      await db.query(
        `WITH delivered AS (
           UPDATE deliveries SET status = 'sent', smtp_response = $2, sent_at = now(), error = NULL
           WHERE id = $1 RETURNING id
         ), attempt AS (
           UPDATE attempts SET status = 'sent', smtp_response = $2, message_id = $3, finished_at = now(),
             stage_ms = jsonb_build_object('send', $4::numeric)
           WHERE id = $5 RETURNING id
         )
         INSERT INTO outbox (delivery_id, message_id, recipients, subject, path, bytes)
         SELECT $1, $3, $6::jsonb, $7, $8, $9 FROM delivered WHERE $8::text IS NOT NULL`,
        [
          deliveryId,
          result.response,
          result.messageId,
          ms,
          attemptId,
          JSON.stringify([delivery.recipient]),
          email.subject,
          result.path ?? null,
          email.pdf?.content.length ?? 0,
        ],
      );
      return 'sent';
    } catch (error) {
      const kind = classifyError(error);
      const text = describeError(error);
      const final = kind === 'permanent' || attempt >= options.retry.attempts;
      await db.query(
        `WITH attempt AS (
           UPDATE attempts SET status = $3, error = $2, smtp_response = $4, finished_at = now() WHERE id = $5 RETURNING id
         )
         UPDATE deliveries SET status = $6, error = $2, smtp_response = $4 WHERE id = $1`,
        [
          deliveryId,
          text,
          kind === 'transient' ? 'retrying' : 'failed',
          (error as { response?: string }).response ?? null,
          attemptId,
          final ? 'failed' : 'pending',
        ],
      );
      if (final) return 'failed';
      await (options.sleep ?? wait)(backoffMs(attempt, options.retry.baseMs, options.retry.capMs));
    }
  }
}
