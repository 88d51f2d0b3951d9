import type { Queryable } from './storeDb.js';

export type RunStatus = 'claimed' | 'running' | 'sent' | 'partial' | 'failed' | 'skipped';

export interface Run {
  readonly id: number;
  readonly scheduleId: string | null;
  readonly reportId: string;
  readonly slot: Date | null;
  readonly kind: 'scheduled' | 'send_now' | 'test';
  readonly status: RunStatus;
  readonly attempt: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly parameters: Record<string, unknown>;
  readonly stageMs: Record<string, number>;
  readonly bytesProcessed: number | null;
  readonly error: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

interface Row {
  id: string | number;
  schedule_id: string | null;
  report_id: string;
  slot: Date | null;
  kind: Run['kind'];
  status: RunStatus;
  attempt: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  parameters: Record<string, unknown>;
  stage_ms: Record<string, number>;
  bytes_processed: string | number | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const toRun = (row: Row): Run => ({
  id: Number(row.id),
  scheduleId: row.schedule_id,
  reportId: row.report_id,
  slot: row.slot,
  kind: row.kind,
  status: row.status,
  attempt: row.attempt,
  leaseOwner: row.lease_owner,
  leaseExpiresAt: row.lease_expires_at,
  parameters: row.parameters,
  stageMs: row.stage_ms,
  bytesProcessed: row.bytes_processed === null ? null : Number(row.bytes_processed),
  error: row.error,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

export class RunsRepo {
  constructor(private readonly db: Queryable) {}

  /** A run outside the schedule's slots: "send now", or a test send of an unsaved schedule. */
  async createManual(
    reportId: string,
    kind: 'send_now' | 'test',
    parameters: Record<string, unknown>,
    scheduleId: string | null = null,
  ): Promise<Run> {
    const rows = await this.db.query<Row>(
      `INSERT INTO runs (schedule_id, report_id, kind, status, parameters)
       VALUES ($1, $2, $3, 'claimed', $4::jsonb) RETURNING *`,
      [scheduleId, reportId, kind, JSON.stringify(parameters)],
    );
    return toRun(rows[0] as Row);
  }

  /**
   * Takes the oldest claimed run, or a running one whose lease expired (its worker died), and
   * holds it under a lease. SKIP LOCKED lets several workers take different runs at once.
   * `only` takes that one run or none (`pathlight send` carries out its own run, nobody else's).
   */
  async take(
    owner: string,
    leaseMs: number,
    maxAttempts: number,
    only: number | null = null,
  ): Promise<Run | undefined> {
    // Runs whose worker died too often are given up, not retried forever.
    await this.db.query(
      `UPDATE runs SET status = 'failed', finished_at = now(), lease_owner = NULL,
         error = COALESCE(error, 'the worker stopped during the run ' || attempt || ' times')
       WHERE status = 'running' AND lease_expires_at < now() AND attempt >= $1`,
      [maxAttempts],
    );
    const rows = await this.db.query<Row>(
      `UPDATE runs SET status = 'running', attempt = attempt + 1, lease_owner = $1,
         lease_expires_at = now() + ($2 * interval '1 millisecond'), started_at = COALESCE(started_at, now())
       WHERE id = (
         SELECT id FROM runs
         WHERE (status = 'claimed' OR (status = 'running' AND lease_expires_at < now()))
           AND ($3::bigint IS NULL OR id = $3::bigint)
         ORDER BY created_at, id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING *`,
      [owner, leaseMs, only],
    );
    return rows[0] && toRun(rows[0]);
  }

  /** Extends the lease; false when another worker has taken the run (this one must stop). */
  async heartbeat(runId: number, owner: string, leaseMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE runs SET lease_expires_at = now() + ($3 * interval '1 millisecond')
       WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING 1 AS kept`,
      [runId, owner, leaseMs],
    );
    return rows.length > 0;
  }

  async recordStage(
    runId: number,
    stage: string,
    ms: number,
    bytesProcessed?: number | null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE runs SET stage_ms = stage_ms || jsonb_build_object($2::text, $3::numeric),
         bytes_processed = COALESCE($4, bytes_processed)
       WHERE id = $1`,
      [runId, stage, Math.round(ms), bytesProcessed ?? null],
    );
  }

  async finish(
    runId: number,
    owner: string,
    status: Exclude<RunStatus, 'claimed' | 'running' | 'skipped'>,
    error: string | null,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE runs SET status = $3, error = $4, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1 AND lease_owner = $2 RETURNING 1 AS done`,
      [runId, owner, status, error],
    );
    return rows.length > 0;
  }

  /**
   * Claims one slot of a schedule: the unique key (schedule, slot) makes a second claim, from
   * another tick or instance, a no-op that returns undefined.
   */
  async claimSlot(
    scheduleId: string,
    reportId: string,
    slot: Date,
    parameters: Record<string, unknown>,
  ): Promise<number | undefined> {
    const rows = await this.db.query<{ id: string | number }>(
      `INSERT INTO runs (schedule_id, report_id, slot, kind, status, parameters)
       VALUES ($1, $2, $3, 'scheduled', 'claimed', $4::jsonb)
       ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING id`,
      [scheduleId, reportId, slot, JSON.stringify(parameters)],
    );
    return rows[0] ? Number(rows[0].id) : undefined;
  }

  /** Records a slot missed while no instance ran; false when the slot was recorded already. */
  async recordSkipped(scheduleId: string, reportId: string, slot: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO runs (schedule_id, report_id, slot, kind, status, error, finished_at)
       VALUES ($1, $2, $3, 'scheduled', 'skipped', 'missed while no instance was running', now())
       ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING id`,
      [scheduleId, reportId, slot],
    );
    return rows.length > 0;
  }

  /** Hands a run back to be taken again after a transient failure (only by its lease owner). */
  async release(runId: number, owner: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE runs SET status = 'claimed', lease_owner = NULL, lease_expires_at = NULL, error = $2
       WHERE id = $1 AND lease_owner = $3`,
      [runId, error, owner],
    );
  }

  /** True for the one caller that first marks the run's failure notice as sent. */
  async claimFailureNotice(runId: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE runs SET notice_sent_at = now() WHERE id = $1 AND notice_sent_at IS NULL RETURNING 1 AS first`,
      [runId],
    );
    return rows.length > 0;
  }

  async get(runId: number): Promise<Run | undefined> {
    const rows = await this.db.query<Row>('SELECT * FROM runs WHERE id = $1', [runId]);
    return rows[0] && toRun(rows[0]);
  }

  async history(scheduleId: string, limit = 50): Promise<Run[]> {
    const rows = await this.db.query<Row>(
      'SELECT * FROM runs WHERE schedule_id = $1 ORDER BY COALESCE(slot, created_at) DESC, id DESC LIMIT $2',
      [scheduleId, limit],
    );
    return rows.map(toRun);
  }

  /** Keeps the run log bounded: runs older than the retention are deleted with their deliveries. */
  async prune(olderThanDays: number): Promise<number> {
    const rows = await this.db.query(
      `DELETE FROM runs WHERE created_at < now() - ($1 * interval '1 day') AND status NOT IN ('claimed', 'running') RETURNING 1 AS gone`,
      [olderThanDays],
    );
    return rows.length;
  }
}
