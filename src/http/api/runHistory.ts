import type { Queryable } from '../../store/storeDb.js';
import { RunsRepo, type Run } from '../../scheduler/runsRepo.js';

export interface DeliveryView {
  readonly recipient: string;
  readonly kind: 'to' | 'cc' | 'bcc';
  readonly status: string;
  readonly attempts: number;
  readonly error: string | null;
  readonly smtpResponse: string | null;
  readonly sentAt: Date | null;
}

/** A schedule's runs, newest first, each with its per-recipient deliveries (a read model). */
export async function runHistory(
  db: Queryable,
  scheduleId: string,
  limit = 50,
): Promise<(Run & { deliveries: DeliveryView[] })[]> {
  const runs = await new RunsRepo(db).history(scheduleId, limit);
  if (runs.length === 0) return [];
  const rows = await db.query<{
    run_id: string | number;
    recipient: string;
    kind: DeliveryView['kind'];
    status: string;
    attempts: number;
    error: string | null;
    smtp_response: string | null;
    sent_at: Date | null;
  }>(
    `SELECT run_id, recipient, kind, status, attempts, error, smtp_response, sent_at
     FROM deliveries WHERE run_id = ANY($1::bigint[]) ORDER BY run_id, id`,
    [runs.map((r) => r.id)],
  );
  return runs.map((run) => ({
    ...run,
    deliveries: rows
      .filter((d) => Number(d.run_id) === run.id)
      .map((d) => ({
        recipient: d.recipient,
        kind: d.kind,
        status: d.status,
        attempts: d.attempts,
        error: d.error,
        smtpResponse: d.smtp_response,
        sentAt: d.sent_at,
      })),
  }));
}
