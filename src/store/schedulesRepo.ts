import { InputError, formatIssuePath } from '../errors/errors.js';
import type { Queryable } from './storeDb.js';
import {
  scheduleSpecSchema,
  type Recipients,
  type ScheduleSpec,
} from '../delivery/scheduleSpec.js';

export interface Schedule extends ScheduleSpec {
  readonly paused: boolean;
  readonly pausedReason: string | null;
  readonly consecutiveFailures: number;
  readonly checkedUntil: Date | null;
  readonly createdAt: Date;
}

interface Row {
  id: string;
  report_id: string;
  name: string;
  cron: string;
  time_zone: string;
  recipients: Recipients;
  formats: ScheduleSpec['formats'];
  date_range: string | null;
  owner: string;
  paused: boolean;
  paused_reason: string | null;
  consecutive_failures: number;
  checked_until: Date | null;
  created_at: Date;
}

const toSchedule = (row: Row): Schedule => ({
  id: row.id,
  reportId: row.report_id,
  name: row.name,
  cron: row.cron,
  timeZone: row.time_zone,
  recipients: row.recipients,
  formats: row.formats,
  dateRange: row.date_range as Schedule['dateRange'],
  owner: row.owner,
  paused: row.paused,
  pausedReason: row.paused_reason,
  consecutiveFailures: row.consecutive_failures,
  checkedUntil: row.checked_until,
  createdAt: row.created_at,
});

export function parseScheduleSpec(input: unknown): ScheduleSpec {
  const parsed = scheduleSpecSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatIssuePath(issue?.path ?? []);
    throw new InputError(`${path}: ${issue?.message ?? 'invalid'}`, path);
  }
  return parsed.data;
}

export class SchedulesRepo {
  constructor(private readonly db: Queryable) {}

  /** Creates or replaces a schedule; a replaced one keeps its history and its place in time. */
  async save(input: unknown): Promise<Schedule> {
    const spec = parseScheduleSpec(input);
    const rows = await this.db.query<Row>(
      `INSERT INTO schedules (id, report_id, name, cron, time_zone, recipients, formats, date_range, owner)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)
       ON CONFLICT (id) DO UPDATE SET report_id = EXCLUDED.report_id, name = EXCLUDED.name,
         cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone, recipients = EXCLUDED.recipients,
         formats = EXCLUDED.formats, date_range = EXCLUDED.date_range, owner = EXCLUDED.owner,
         updated_at = now()
       RETURNING *`,
      [
        spec.id,
        spec.reportId,
        spec.name,
        spec.cron,
        spec.timeZone,
        JSON.stringify(spec.recipients),
        JSON.stringify(spec.formats),
        spec.dateRange,
        spec.owner,
      ],
    );
    return toSchedule(rows[0] as Row);
  }

  async get(id: string): Promise<Schedule | undefined> {
    const rows = await this.db.query<Row>('SELECT * FROM schedules WHERE id = $1', [id]);
    return rows[0] && toSchedule(rows[0]);
  }

  async list(): Promise<Schedule[]> {
    return (await this.db.query<Row>('SELECT * FROM schedules ORDER BY name, id')).map(toSchedule);
  }

  async active(): Promise<Schedule[]> {
    return (await this.db.query<Row>('SELECT * FROM schedules WHERE NOT paused ORDER BY id')).map(
      toSchedule,
    );
  }

  /** Pausing keeps the schedule; resuming starts from now, so paused slots are not run late. */
  async setPaused(
    id: string,
    paused: boolean,
    reason: string | null = null,
    now = new Date(),
  ): Promise<void> {
    await this.db.query(
      `UPDATE schedules SET paused = $2, paused_reason = $3,
         checked_until = CASE WHEN $2 THEN checked_until ELSE $4::timestamptz END,
         consecutive_failures = CASE WHEN $2 THEN consecutive_failures ELSE 0 END,
         updated_at = now()
       WHERE id = $1`,
      [id, paused, paused ? reason : null, now],
    );
  }

  /** Counts a scheduled run's outcome: failures in a row, reset by a success; returns the count. */
  async countOutcome(id: string, failed: boolean): Promise<number> {
    const [row] = await this.db.query<{ consecutive_failures: number }>(
      `UPDATE schedules SET consecutive_failures = CASE WHEN $2 THEN consecutive_failures + 1 ELSE 0 END
       WHERE id = $1 RETURNING consecutive_failures`,
      [id, failed],
    );
    return row?.consecutive_failures ?? 0;
  }

  /** Slots up to `now` have been looked at; the next tick starts after them. */
  async markChecked(id: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE schedules SET checked_until = GREATEST(COALESCE(checked_until, created_at), $2) WHERE id = $1`,
      [id, now],
    );
  }

  async delete(id: string): Promise<boolean> {
    return (
      (await this.db.query('DELETE FROM schedules WHERE id = $1 RETURNING 1 AS deleted', [id]))
        .length > 0
    );
  }
}
