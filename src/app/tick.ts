import type { StoreDb } from '../store/storeDb.js';
import { RunsRepo } from '../store/runsRepo.js';
import { SchedulesRepo } from '../store/schedulesRepo.js';
import { dueSlots } from '../delivery/slots.js';

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
      const runs = new RunsRepo(tx);
      for (const slot of due.skipped) {
        if (await runs.recordSkipped(schedule.id, schedule.reportId, slot))
          skipped.push({ scheduleId: schedule.id, slot });
      }
      if (due.run) {
        const runId = await runs.claimSlot(schedule.id, schedule.reportId, due.run, {
          dateRange: schedule.dateRange,
        });
        if (runId !== undefined) claimed.push({ scheduleId: schedule.id, slot: due.run, runId });
      }
      await new SchedulesRepo(tx).markChecked(schedule.id, now);
    });
  }
  return { claimed, skipped };
}
