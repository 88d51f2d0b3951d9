import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { duckdbFile, loadConfig } from '../../config/config.js';
import { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import { createApp, startServer } from '../../http/server.js';
import { generateSample } from '../../sample/generateSample.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the web service (embedded defaults: sample data in DuckDB, loopback only)')
    .action(async () => {
      const config = loadConfig();
      const logger = pino({ level: config.PATHLIGHT_LOG_LEVEL });
      const file = duckdbFile(config);
      if (!existsSync(file) && config.PATHLIGHT_SAMPLE_ON_START) {
        mkdirSync(dirname(file), { recursive: true });
        logger.info({ file }, 'no events database yet: generating the GA4-schema sample');
        const result = await generateSample(file, {
          days: config.PATHLIGHT_SAMPLE_DAYS,
          users: config.PATHLIGHT_SAMPLE_USERS,
          seed: 7,
        });
        logger.info({ file, events: result.events }, 'sample ready');
      }
      const engine = await DuckdbEngine.open(file, {
        mode: 'read',
        defaultTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS,
      });
      const server = await startServer(
        createApp({ engine, logger }),
        config.PATHLIGHT_HOST,
        config.PORT,
      );
      logger.info({ url: server.url }, 'pathlight is listening');
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'shutting down');
        await server.stop();
        await engine.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      await new Promise(() => undefined);
    });
}
