import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { duckdbFile, type Config } from '../config/config.js';
import { generateSample } from '../sample/generateSample.js';

/**
 * The embedded default's zero set-up: with no events file yet (and PATHLIGHT_SAMPLE_ON_START),
 * the GA4-schema sample is generated into it. BigQuery, or an existing file, is left alone.
 */
export async function prepareSample(config: Config, logger: Logger): Promise<void> {
  if (config.PATHLIGHT_ENGINE === 'bigquery' || !config.PATHLIGHT_SAMPLE_ON_START) return;
  const file = duckdbFile(config);
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  logger.info({ file }, 'no events database yet: generating the GA4-schema sample');
  const result = await generateSample(file, {
    days: config.PATHLIGHT_SAMPLE_DAYS,
    users: config.PATHLIGHT_SAMPLE_USERS,
    seed: 7,
    // The service's sample ends today, so the pages' default "last 28 days" shows data.
    endDate: new Date().toISOString().slice(0, 10),
  });
  logger.info({ file, events: result.events }, 'sample ready');
}
