import { DeliveriesRepo, type DeliveryView } from '../store/deliveriesRepo.js';
import { RunsRepo, type Run } from '../store/runsRepo.js';
import type { Queryable } from '../store/storeDb.js';

/** A delivery as a schedule's history shows it. */
export type RunDelivery = Pick<
  DeliveryView,
  'recipient' | 'kind' | 'status' | 'attempts' | 'error' | 'smtpResponse' | 'sentAt'
>;

/** A schedule's runs, newest first, each with its per-recipient deliveries (a read model). */
export async function runHistory(
  db: Queryable,
  scheduleId: string,
  limit = 50,
): Promise<(Run & { deliveries: RunDelivery[] })[]> {
  const runs = await new RunsRepo(db).history(scheduleId, limit);
  const deliveries = await new DeliveriesRepo(db).ofRuns(runs.map((r) => r.id));
  return runs.map((run) => ({
    ...run,
    deliveries: deliveries
      .filter((d) => d.runId === run.id)
      .map((d) => ({
        recipient: d.recipient,
        kind: d.kind,
        status: d.status,
        attempts: d.attempts,
        error: d.error,
        smtpResponse: d.smtpResponse,
        sentAt: d.sentAt,
      })),
  }));
}
