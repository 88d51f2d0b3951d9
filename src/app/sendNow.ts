import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Recipients } from '../delivery/scheduleSpec.js';
import type { Engine } from '../engines/engine.js';
import { InputError, PathlightError } from '../errors/errors.js';
import { BrowserPool } from '../render/browserPool.js';
import { findChrome } from '../render/findChrome.js';
import type { ReportDateRange, ReportDefinition } from '../reports/reportDefinition.js';
import { DeliveriesRepo, type DeliveryView } from '../store/deliveriesRepo.js';
import { RunsRepo, type Run } from '../store/runsRepo.js';
import { deliverSettings, emailSettings, transportFor } from './mailSetup.js';
import { openStore } from './openStore.js';
import { processNextRun } from './processNextRun.js';
import { reportRunRenderer } from './reportRunRenderer.js';
import { storedReportDefinition } from './storedDefinitions.js';

export interface SendNowRequest {
  /** A definition read from a file, or the id of a stored report. */
  readonly report: ReportDefinition | { readonly id: string };
  readonly recipients: Recipients;
  readonly formats: { readonly pdf: boolean; readonly inline: boolean };
  readonly dateRange?: ReportDateRange;
  /** Relative ranges resolve from this time. */
  readonly at: Date;
  /** Where the request came from, recorded with the run. */
  readonly source: string;
}

export interface SendNowOutcome {
  readonly run: Run;
  readonly deliveries: DeliveryView[];
}

/**
 * One email now, through the configured transport, recorded as a run with its deliveries and
 * attempts: the same worker as a scheduled run, taking only this run.
 */
export async function sendNow(
  config: Config,
  logger: Logger,
  openEngine: () => Promise<Engine>,
  request: SendNowRequest,
): Promise<SendNowOutcome> {
  const { store } = await openStore(config);
  const { transport } = transportFor(config);
  let engine: Engine | undefined;
  let pool: BrowserPool | undefined;
  try {
    const definition =
      'title' in request.report
        ? request.report
        : await storedReportDefinition(store, request.report.id);
    if (!definition)
      throw new InputError(
        `report: no report file at ${(request.report as { id: string }).id} and no stored report with that id`,
        'report',
      );
    // Fail before any query when the browser or the relay is missing.
    // PATHLIGHT_BROWSER_PATH=none sends HTML only, as the service does.
    const browserPath = config.PATHLIGHT_BROWSER_PATH;
    if (browserPath !== 'none')
      pool = new BrowserPool({ pages: 1, executablePath: browserPath ?? findChrome() });
    try {
      await transport.verify();
    } catch (error) {
      throw new PathlightError(
        `the mail transport (${transport.kind}) failed its check: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    engine = await openEngine();
    const runs = new RunsRepo(store);
    const run = await runs.createManual(definition.id, 'send_now', {
      recipients: request.recipients,
      formats: request.formats,
      ...(request.dateRange ? { dateRange: request.dateRange } : {}),
      at: request.at.toISOString(),
      source: request.source,
    });
    await processNextRun({
      db: store,
      only: run.id,
      renderer: reportRunRenderer({
        engine,
        store,
        ...(pool ? { pool } : {}),
        email: emailSettings(config),
        loadDefinition: async (id) => (id === definition.id ? definition : undefined),
      }),
      deliver: deliverSettings(config, transport),
      owner: `pathlight-send-${process.pid}-${randomBytes(4).toString('hex')}`,
      leaseMs: 5 * 60_000,
      maxAttempts: 1,
      renderTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS * 2,
      pauseAfterFailures: Number.POSITIVE_INFINITY,
      // A one-off send has no schedule owner to notify; the caller reports its outcome.
      notifyOwner: async () => undefined,
      logger,
    });
    return {
      run: (await runs.get(run.id)) ?? run,
      deliveries: await new DeliveriesRepo(store).ofRuns([run.id]),
    };
  } finally {
    await transport.close();
    await pool?.close();
    await engine?.close();
    await store.close();
  }
}
