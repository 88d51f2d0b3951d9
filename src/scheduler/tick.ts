import type { StoreDb } from '../store/storeDb.js';
import { SchedulesRepo } from './schedulesRepo.js';
import { dueSlots } from './slots.js';

export interface TickResult {
  /** Runs this tick claimed: one per (schedule, slot), never two across ticks or instances. */
  readonly claimed: { scheduleId: string; slot: Date; runId: number }[];
  readonly skipped: { scheduleId: string; slot: Date }[];
}

/**
 * One tick: for every active schedule, the slots due since it was last checked are claimed with
 * the unique key (schedule, slot) before any work starts. Many ticks may run at once (several
 * instances, App Engine cron retries): the key makes each slot run once.
 */
export async function tick(
  db: StoreDb,
  now: Date,
  options: { graceMs: number },
): Promise<TickResult> {
  const claimed: TickResult['claimed'] = [];
  const skipped: TickResult['skipped'] = [];
  for (const schedule of await new SchedulesRepo(db).active()) {
    const after = schedule.checkedUntil ?? schedule.createdAt;
    const due = dueSlots(schedule.cron, schedule.timeZone, after, now, options.graceMs);
    await db.transaction(async (tx) => {
      for (const slot of due.skipped) {
        const rows = await tx.query<{ id: number }>(
          `INSERT INTO runs (schedule_id, report_id, slot, kind, status, error, finished_at)
           VALUES ($1, $2, $3, 'scheduled', 'skipped', 'missed while no instance was running', now())
           ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING id`,
          [schedule.id, schedule.reportId, slot],
        );
        if (rows.length > 0) skipped.push({ scheduleId: schedule.id, slot });
      }
      if (due.run) {
        const rows = await tx.query<{ id: string | number }>(
          `INSERT INTO runs (schedule_id, report_id, slot, kind, status, parameters)
           VALUES ($1, $2, $3, 'scheduled', 'claimed', $4::jsonb)
           ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING id`,
          [
            schedule.id,
            schedule.reportId,
            due.run,
            JSON.stringify({ dateRange: schedule.dateRange }),
          ],
        );
        const row = rows[0];
        if (row) claimed.push({ scheduleId: schedule.id, slot: due.run, runId: Number(row.id) });
      }
      await tx.query(
        `UPDATE schedules SET checked_until = GREATEST(COALESCE(checked_until, created_at), $2) WHERE id = $1`,
        [schedule.id, now],
      );
    });
  }
  return { claimed, skipped };
}
