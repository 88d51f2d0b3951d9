import type { Queryable } from './storeDb.js';

export type RecipientKind = 'to' | 'cc' | 'bcc';

/** A (run, recipient) row still to be sent: created once, so a retry resends only what is unsent. */
export interface PendingDelivery {
  readonly id: number;
  readonly recipient: string;
  readonly kind: RecipientKind;
  readonly messageId: string;
  readonly attempts: number;
}

/** A delivery as the run history shows it. */
export interface DeliveryView {
  readonly runId: number;
  readonly recipient: string;
  readonly kind: RecipientKind;
  readonly status: string;
  readonly attempts: number;
  readonly error: string | null;
  readonly smtpResponse: string | null;
  readonly sentAt: Date | null;
  /** Where the outbox transport wrote the message, when it did. */
  readonly outboxPath: string | null;
  readonly messageId: string;
}

interface ViewRow {
  run_id: string | number;
  recipient: string;
  kind: RecipientKind;
  status: string;
  attempts: number;
  error: string | null;
  smtp_response: string | null;
  sent_at: Date | null;
  path: string | null;
  message_id: string;
}

const toView = (d: ViewRow): DeliveryView => ({
  runId: Number(d.run_id),
  recipient: d.recipient,
  kind: d.kind,
  status: d.status,
  attempts: d.attempts,
  error: d.error,
  smtpResponse: d.smtp_response,
  sentAt: d.sent_at,
  outboxPath: d.path,
  messageId: d.message_id,
});

/** What a send recorded: the relay's answer and, for the outbox, the message it wrote. */
export interface SentRecord {
  readonly response: string;
  readonly messageId: string;
  readonly ms: number;
  readonly recipient: string;
  readonly subject: string;
  readonly outboxPath: string | null;
  readonly bytes: number;
}

/** A failed attempt: `retrying` keeps the delivery pending, `failed` ends it. */
export interface FailureRecord {
  readonly error: string;
  readonly smtpResponse: string | null;
  readonly attemptStatus: 'retrying' | 'failed';
  readonly deliveryStatus: 'pending' | 'failed';
}

/** The deliveries of runs, one per (run, recipient), with every attempt at sending each. */
export class DeliveriesRepo {
  constructor(private readonly db: Queryable) {}

  /** Creates the (run, recipient) row once; a second call for the same pair changes nothing. */
  async ensure(
    runId: number,
    recipient: string,
    kind: RecipientKind,
    messageId: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO deliveries (run_id, recipient, kind, status, message_id)
       VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT (run_id, recipient) DO NOTHING`,
      [runId, recipient, kind, messageId],
    );
  }

  /** The run's deliveries not yet sent, including any a dead worker left mid-send. */
  async unsent(runId: number): Promise<PendingDelivery[]> {
    const rows = await this.db.query<{
      id: string | number;
      recipient: string;
      kind: RecipientKind;
      message_id: string;
      attempts: number;
    }>(
      `SELECT id, recipient, kind, message_id, attempts FROM deliveries
       WHERE run_id = $1 AND status IN ('pending', 'sending') ORDER BY id`,
      [runId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      recipient: r.recipient,
      kind: r.kind,
      messageId: r.message_id,
      attempts: r.attempts,
    }));
  }

  async counts(runId: number): Promise<{ sent: number; failed: number }> {
    const [counts] = await this.db.query<{ sent: string; failed: string }>(
      `SELECT COUNT(*) FILTER (WHERE status = 'sent')::text AS sent,
              COUNT(*) FILTER (WHERE status = 'failed')::text AS failed
       FROM deliveries WHERE run_id = $1`,
      [runId],
    );
    return { sent: Number(counts?.sent ?? 0), failed: Number(counts?.failed ?? 0) };
  }

  /** Marks the delivery as being sent and opens its attempt; returns the attempt's id. */
  async startAttempt(deliveryId: number): Promise<number> {
    const [started] = await this.db.query<{ id: string | number }>(
      `WITH marked AS (
         UPDATE deliveries SET status = 'sending', attempts = attempts + 1 WHERE id = $1 RETURNING run_id
       )
       INSERT INTO attempts (run_id, delivery_id, status) SELECT run_id, $1, 'sending' FROM marked RETURNING id`,
      [deliveryId],
    );
    return Number(started?.id);
  }

  /**
   * One statement records the send: the delivery, its attempt, and the outbox entry. A crash
   * before it is the one window in which the message may go out twice (same Message-ID).
   */
  async recordSent(deliveryId: number, attemptId: number, sent: SentRecord): Promise<void> {
    await this.db.query(
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
        sent.response,
        sent.messageId,
        sent.ms,
        attemptId,
        JSON.stringify([sent.recipient]),
        sent.subject,
        sent.outboxPath,
        sent.bytes,
      ],
    );
  }

  async recordFailure(
    deliveryId: number,
    attemptId: number,
    failure: FailureRecord,
  ): Promise<void> {
    await this.db.query(
      `WITH attempt AS (
         UPDATE attempts SET status = $3, error = $2, smtp_response = $4, finished_at = now() WHERE id = $5 RETURNING id
       )
       UPDATE deliveries SET status = $6, error = $2, smtp_response = $4 WHERE id = $1`,
      [
        deliveryId,
        failure.error,
        failure.attemptStatus,
        failure.smtpResponse,
        attemptId,
        failure.deliveryStatus,
      ],
    );
  }

  /** The deliveries of these runs, in run and creation order, with the outbox file of each. */
  async ofRuns(runIds: readonly number[]): Promise<DeliveryView[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db.query<ViewRow>(
      `SELECT d.run_id, d.recipient, d.kind, d.status, d.attempts, d.error, d.smtp_response,
              d.sent_at, d.message_id, o.path
       FROM deliveries d LEFT JOIN outbox o ON o.delivery_id = d.id
       WHERE d.run_id = ANY($1::bigint[]) ORDER BY d.run_id, d.id`,
      [runIds],
    );
    return rows.map(toView);
  }
}
