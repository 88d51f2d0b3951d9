import type { Logger } from 'pino';
import { TimeoutError } from '../errors/errors.js';
import { classifyError, describeError } from '../delivery/classifyError.js';
import { deliverRun, type DeliverOptions } from './deliverRun.js';
import type { RenderedEmail } from '../delivery/renderedEmail.js';
import type { StoreDb } from '../store/storeDb.js';
import type { Recipients } from '../delivery/scheduleSpec.js';
import { RunsRepo, type Run } from '../store/runsRepo.js';
import { SchedulesRepo, type Schedule } from '../store/schedulesRepo.js';
import type { SharedRenders } from './sharedRenders.js';

/** Renders a run's report once: the email every recipient gets, and what it cost. */
export interface RunRenderer {
  render(
    run: Run,
    schedule: Schedule | null,
    signal: AbortSignal,
    /** Reports already rendered in this drain, for runs of the same definition and range. */
    shared?: SharedRenders,
  ): Promise<{
    email: RenderedEmail;
    bytesProcessed: number | null;
    stageMs: Record<string, number>;
  }>;
}

export interface WorkerOptions {
  readonly db: StoreDb;
  readonly renderer: RunRenderer;
  readonly deliver: Omit<DeliverOptions, 'db' | 'stillOwner'>;
  readonly owner: string;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  /** Layered limits: the render (queries included) must finish within this. */
  readonly renderTimeoutMs: number;
  /** A schedule pauses itself after this many failed runs in a row. */
  readonly pauseAfterFailures: number;
  /** Who to tell about a failed run (the schedule's owner). */
  readonly notifyOwner: (run: Run, schedule: Schedule, error: string) => Promise<void>;
  readonly logger?: Logger;
  /** Take this run only (a one-off send), not whichever is oldest. */
  readonly only?: number;
  /** Renders shared between the runs of one drain (the drainer brings one per drain). */
  readonly shared?: SharedRenders;
}

/**
 * Takes one claimed (or abandoned) run and carries it through: render once, send to every
 * recipient not yet sent to, record the outcome. Returns undefined when there is nothing to do.
 */
export async function processNextRun(options: WorkerOptions): Promise<Run | undefined> {
  const runs = new RunsRepo(options.db);
  const run = await runs.take(
    options.owner,
    options.leaseMs,
    options.maxAttempts,
    options.only ?? null,
  );
  if (!run) return undefined;
  const schedules = new SchedulesRepo(options.db);
  const schedule = run.scheduleId ? ((await schedules.get(run.scheduleId)) ?? null) : null;
  let owned = true;
  const heartbeat = setInterval(
    () => {
      void runs.heartbeat(run.id, options.owner, options.leaseMs).then((kept) => {
        owned = owned && kept;
      });
    },
    Math.max(1000, Math.floor(options.leaseMs / 3)),
  );
  let status: 'sent' | 'partial' | 'failed' = 'failed';
  let error: string | null = null;
  try {
    const recipients =
      (run.parameters.recipients as Recipients | undefined) ?? schedule?.recipients;
    if (!recipients)
      throw Object.assign(new Error('the run has no recipients'), { transient: false });
    const controller = new AbortController();
    const began = performance.now();
    const rendered = await withTimeout(
      options.renderer.render(run, schedule, controller.signal, options.shared),
      options.renderTimeoutMs,
      () => controller.abort(),
      `render timed out after ${options.renderTimeoutMs} ms`,
    );
    for (const [stage, ms] of Object.entries(rendered.stageMs))
      await runs.recordStage(run.id, stage, ms);
    await runs.recordStage(
      run.id,
      'render_total',
      performance.now() - began,
      rendered.bytesProcessed,
    );
    const sendBegan = performance.now();
    const outcome = await deliverRun(run.id, recipients, rendered.email, {
      ...options.deliver,
      db: options.db,
      // Each message renews the lease as it asks: a heartbeat that runs late on a busy machine
      // cannot let the lease lapse between two sends and hand the run to another worker, which
      // would send what this one is sending. Only a single send longer than the lease can.
      stillOwner: async () => {
        owned = owned && (await runs.heartbeat(run.id, options.owner, options.leaseMs));
        return owned;
      },
    });
    await runs.recordStage(run.id, 'send', performance.now() - sendBegan);
    if (outcome.abandoned > 0) return run; // Another worker holds the run now; it finishes it.
    status = outcome.failed === 0 ? 'sent' : outcome.sent > 0 ? 'partial' : 'failed';
    if (status !== 'sent')
      error = `${outcome.failed} of ${outcome.sent + outcome.failed} recipients failed`;
  } catch (caught) {
    error = describeError(caught);
    if (classifyError(caught) === 'transient' && run.attempt < options.maxAttempts) {
      // Leave it to be taken again once the lease runs out: a transient render failure.
      options.logger?.warn(
        { runId: run.id, err: caught },
        'run failed transiently; it will be retried',
      );
      clearInterval(heartbeat);
      await runs.release(run.id, options.owner, error);
      return run;
    }
  } finally {
    clearInterval(heartbeat);
  }
  if (!(await runs.finish(run.id, options.owner, status, error))) return run;
  if (schedule) await recordOutcome(options, run, schedule, status, error);
  return run;
}

async function recordOutcome(
  options: WorkerOptions,
  run: Run,
  schedule: Schedule,
  status: 'sent' | 'partial' | 'failed',
  error: string | null,
): Promise<void> {
  if (run.kind !== 'scheduled') return;
  const schedules = new SchedulesRepo(options.db);
  const failuresInARow = await schedules.countOutcome(schedule.id, status === 'failed');
  if (status !== 'failed') return;
  if (await new RunsRepo(options.db).claimFailureNotice(run.id))
    await options.notifyOwner(run, schedule, error ?? 'failed');
  if (failuresInARow >= options.pauseAfterFailures) {
    await schedules.setPaused(
      schedule.id,
      true,
      `paused after ${failuresInARow} failed runs in a row; last error: ${error ?? 'unknown'}`,
    );
  }
}

function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => void,
  message: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new TimeoutError(message), { transient: true }));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
