import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Transport } from '../delivery/transport.js';
import type { StoreDb } from '../store/storeDb.js';
import { deliverSettings } from './mailSetup.js';
import type { RunRenderer, WorkerOptions } from './processNextRun.js';

/**
 * How this instance works through scheduled runs: a lease renewed while it works (a crashed
 * instance's run is taken over when it lapses), three attempts, a render limit of twice the query
 * timeout, a schedule paused after three failed runs in a row, its owner told once per failure.
 */
export function scheduledWorker(
  config: Config,
  parts: { store: StoreDb; renderer: RunRenderer; transport: Transport; logger: Logger },
): WorkerOptions {
  const { transport } = parts;
  return {
    db: parts.store,
    renderer: parts.renderer,
    deliver: deliverSettings(config, transport),
    owner: `pathlight-${process.pid}-${randomBytes(4).toString('hex')}`,
    leaseMs: 5 * 60_000,
    maxAttempts: 3,
    renderTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS * 2,
    pauseAfterFailures: 3,
    notifyOwner: async (run, schedule, error) => {
      await transport.send({
        from: config.PATHLIGHT_MAIL_FROM,
        to: schedule.owner,
        subject: `Pathlight: "${schedule.name}" failed`,
        text: `Run ${run.id} of schedule ${schedule.id} failed:\n\n${error}\n`,
      });
    },
    logger: parts.logger,
  };
}
