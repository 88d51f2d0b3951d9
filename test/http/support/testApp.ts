import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, storeDir } from '../../../src/config/config.js';
import {
  startService,
  type RunningService,
  type ServiceOptions,
} from '../../../src/main/startService.js';
import { freshPgliteDir } from '../../support/pgliteTemplate.js';
import { eventsDb } from './eventsFixture.js';

let sharedDb: Promise<string> | undefined;

export type TestService = RunningService & { dataDir: string };

/** The real service (PGlite store, outbox, the fixture's DuckDB file) on a free loopback port. */
export async function startTestService(
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<TestService> {
  sharedDb ??= eventsDb();
  const dataDir = mkdtempSync(join(tmpdir(), 'pathlight-http-'));
  const config = loadConfig({
    PATHLIGHT_DATA_DIR: dataDir,
    PATHLIGHT_DUCKDB_FILE: await sharedDb,
    PATHLIGHT_SAMPLE_ON_START: 'false',
    PORT: '0',
    PATHLIGHT_SCHEDULER_INTERVAL_MS: '0',
    ...env,
  });
  // The embedded store of a new data dir starts as a copy of an empty cluster, not from initdb.
  if (!config.DATABASE_URL && config.PATHLIGHT_DATA_DIR === dataDir)
    await freshPgliteDir(storeDir(config));
  const service = await startService(config, pino({ level: 'silent' }), options);
  // The service listens before its embedded store is created; tests start once it is, so a
  // readiness probe or a first request does not race the store's creation on a busy machine.
  await service.store.query('SELECT 1');
  return Object.assign(service, { dataDir });
}

/** fetch with a JSON body and the given headers, answering status and parsed body. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are read field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: {
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers };
}
