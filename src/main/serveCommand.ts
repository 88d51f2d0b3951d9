import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { takeEarlyServer } from './earlyServer.js';
import { startService } from './startService.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'start the web service on $PORT (embedded defaults: sample data in DuckDB, PGlite store, outbox, loopback and an admin token)',
    )
    .action(async () => {
      const config = loadConfig();
      const logger = pino({ level: config.PATHLIGHT_LOG_LEVEL });
      const early = await takeEarlyServer(config.PATHLIGHT_HOST, config.PORT);
      const service = await startService(config, logger, early ? { server: early } : {});
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down: finishing open requests and the run in hand');
        try {
          await service.stop();
          process.exit(0);
        } catch (error) {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        }
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      await new Promise(() => undefined);
    });
}
