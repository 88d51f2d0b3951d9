import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Engine } from '../engines/engine.js';
import { openEngine } from '../engines/openEngine.js';
import { PathlightError, PreparingError } from '../errors/errors.js';
import { needsSample, prepareSample } from './prepareSample.js';
import { ReopeningEngine } from './reopeningEngine.js';

/** The engine the service serves with, and how its data is coming along. */
export interface ServingEngine {
  readonly engine: Engine;
  /** Settles once the data is there (at once when nothing had to be prepared). */
  readonly ready: Promise<void>;
  /**
   * Runs a write to the events file with the service's reader closed, then reads the file
   * afresh; queries wait meanwhile. BigQuery has no file: the write just runs.
   */
  whileClosed<T>(write: () => Promise<T>): Promise<T>;
}

/** The configured engine; the embedded file behind a reader that can close for a write. */
function servingOpen(config: Config): Promise<Engine> {
  if (config.PATHLIGHT_ENGINE === 'bigquery') return openEngine(config);
  return ReopeningEngine.open(() => openEngine(config));
}

/** A reopening reader's whileClosed, or the write alone where there is no file to close. */
const closing =
  (engine: () => Engine | undefined) =>
  <T>(write: () => Promise<T>): Promise<T> => {
    const current = engine();
    return current instanceof ReopeningEngine ? current.whileClosed(write) : write();
  };

/**
 * The events engine, available at once: when the first start must build the sample, an engine
 * that answers every query with a PreparingError saying how far the build has got ("preparing the
 * sample: day 12 of 35") until the file is written, then the file's engine. Closing it stops a
 * build in progress, which leaves no events file behind.
 */
export async function servingEngine(config: Config, logger: Logger): Promise<ServingEngine> {
  if (!needsSample(config)) {
    const engine = await servingOpen(config);
    return { engine, ready: Promise.resolve(), whileClosed: closing(() => engine) };
  }
  const stop = new AbortController();
  let step = 'starting';
  let opened: Engine | undefined;
  let failure: unknown;
  const ready = prepareSample(config, logger, {
    onProgress: (now) => {
      step = now;
    },
    signal: stop.signal,
  })
    .then(() => servingOpen(config))
    .then(
      (engine) => {
        opened = engine;
      },
      (error: unknown) => {
        failure = error;
        if (!stop.signal.aborted) logger.error({ err: error }, 'the sample could not be built');
      },
    );
  const engine: Engine = {
    kind: 'duckdb',
    target: { kind: 'duckdb' },
    query(sql, params, options) {
      if (opened) return opened.query(sql, params, options);
      if (failure !== undefined) {
        return Promise.reject(
          new PathlightError('the sample could not be built; see the service log', undefined, {
            cause: failure,
          }),
        );
      }
      return Promise.reject(new PreparingError(`preparing the sample: ${step}`));
    },
    async close() {
      stop.abort();
      await ready;
      await opened?.close();
    },
  };
  return {
    engine,
    ready,
    // A write before the sample is there waits for it, so it lands in the finished file.
    whileClosed: async (write) => {
      await ready;
      return closing(() => opened)(write);
    },
  };
}
