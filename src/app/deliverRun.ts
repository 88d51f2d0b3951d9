import type { Recipients } from '../delivery/scheduleSpec.js';
import { DeliveriesRepo, type PendingDelivery } from '../store/deliveriesRepo.js';
import type { Queryable } from '../store/storeDb.js';
import { backoffMs, classifyError, describeError } from '../delivery/classifyError.js';
import { composeMessage, deliveryMessageId } from '../delivery/composeMessage.js';
import type { RenderedEmail } from '../delivery/renderedEmail.js';
import type { Transport } from '../delivery/transport.js';

export interface DeliverOptions {
  readonly db: Queryable;
  readonly transport: Transport;
  readonly from: string;
  /** The domain of our Message-IDs. */
  readonly messageIdDomain: string;
  readonly unsubscribe: (recipient: string) => { mailto: string; url?: string };
  readonly retry: { attempts: number; baseMs: number; capMs: number };
  /** Asked before each send: false once another worker has taken the run over. */
  readonly stillOwner?: () => boolean | Promise<boolean>;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Messages in flight at once (the pooled transport's connections carry them). Each is claimed in
   * the store (`sending`) before it goes, so this is also how many a crash can leave accepted but
   * unrecorded. Default 1.
   */
  readonly concurrency?: number;
}

export interface DeliveryOutcome {
  readonly sent: number;
  readonly failed: number;
  /** Deliveries left unsent because this worker lost the run. */
  readonly abandoned: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a run's email to every recipient not yet sent to. A (run, recipient) row is created once;
 * a retry or a worker taking the run over resends only what is not marked sent. The one gap, a
 * crash between the server's acceptance and the single statement that records it, resends the
 * message with the same Message-ID: at most one message per send in flight when the process died
 * (`concurrency` of them).
 */
export async function deliverRun(
  runId: number,
  recipients: Recipients,
  email: RenderedEmail,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  const deliveries = new DeliveriesRepo(options.db);
  const all = [
    ...recipients.to.map((r) => ['to', r] as const),
    ...recipients.cc.map((r) => ['cc', r] as const),
    ...recipients.bcc.map((r) => ['bcc', r] as const),
  ];
  for (const [kind, recipient] of all) {
    await deliveries.ensure(
      runId,
      recipient.toLowerCase(),
      kind,
      deliveryMessageId(runId, recipient, options.messageIdDomain),
    );
  }
  let abandoned = 0;
  const queue = await deliveries.unsent(runId);
  const sender = async () => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
      if (options.stillOwner && !(await options.stillOwner())) {
        abandoned += 1;
        continue;
      }
      await deliverOne(deliveries, delivery, recipients, email, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, sender));
  return { ...(await deliveries.counts(runId)), abandoned };
}

async function deliverOne(
  deliveries: DeliveriesRepo,
  delivery: PendingDelivery,
  recipients: Recipients,
  email: RenderedEmail,
  options: DeliverOptions,
): Promise<'sent' | 'failed'> {
  const message = composeMessage(email, {
    from: options.from,
    to: recipients.to,
    cc: recipients.cc,
    envelopeTo: delivery.recipient,
    messageId: delivery.messageId,
    unsubscribe: options.unsubscribe(delivery.recipient),
  });
  for (let attempt = 1; ; attempt += 1) {
    const attemptId = await deliveries.startAttempt(delivery.id);
    const began = performance.now();
    try {
      const result = await options.transport.send(message);
      await deliveries.recordSent(delivery.id, attemptId, {
        response: result.response,
        messageId: result.messageId,
        ms: Math.round(performance.now() - began),
        recipient: delivery.recipient,
        subject: email.subject,
        outboxPath: result.path ?? null,
        bytes: email.pdf?.content.length ?? 0,
      });
      return 'sent';
    } catch (error) {
      const kind = classifyError(error);
      const final = kind === 'permanent' || attempt >= options.retry.attempts;
      await deliveries.recordFailure(delivery.id, attemptId, {
        error: describeError(error),
        smtpResponse: (error as { response?: string }).response ?? null,
        attemptStatus: kind === 'transient' ? 'retrying' : 'failed',
        deliveryStatus: final ? 'failed' : 'pending',
      });
      if (final) return 'failed';
      await (options.sleep ?? wait)(backoffMs(attempt, options.retry.baseMs, options.retry.capMs));
    }
  }
}
