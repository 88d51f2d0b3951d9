import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { duckdbFile, type Config } from '../config/config.js';
import { generateSample } from '../sample/generateSample.js';
import { addJourneyExtras } from '../sample/sampleJourneyExtras.js';

/**
 * Whether this start builds the sample: the embedded default with PATHLIGHT_SAMPLE_ON_START and no
 * events file yet. BigQuery, or an existing file, is left alone.
 */
export function needsSample(config: Config): boolean {
  return (
    config.PATHLIGHT_ENGINE !== 'bigquery' &&
    config.PATHLIGHT_SAMPLE_ON_START &&
    !existsSync(duckdbFile(config))
  );
}

/** The embedded default's zero set-up: the GA4-schema sample generated into the events file. */
export async function prepareSample(
  config: Config,
  logger: Logger,
  options: { onProgress?: (step: string) => void; signal?: AbortSignal } = {},
): Promise<void> {
  if (!needsSample(config)) return;
  const file = duckdbFile(config);
  mkdirSync(dirname(file), { recursive: true });
  logger.info({ file }, 'no events database yet: generating the GA4-schema sample');
  const result = await generateSample(file, {
    days: config.PATHLIGHT_SAMPLE_DAYS,
    users: config.PATHLIGHT_SAMPLE_USERS,
    seed: 7,
    // The service's sample ends today, so the pages' default "last 28 days" shows data.
    endDate: new Date().toISOString().slice(0, 10),
    ...(options.onProgress
      ? { onProgress: (_done, _total, step) => options.onProgress?.(step) }
      : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // Sign-ins across devices, offline visits and calls, and the paid campaigns' costs: the
  // journeys the pages show are whole from the first start.
  options.onProgress?.('adding sign-ins, offline events and ad costs');
  const extras = await addJourneyExtras(file, 7);
  logger.info({ file, events: result.events, ...extras }, 'sample ready');
}
