import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_HOST, DEFAULT_PORT } from './listenAddress.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';

/**
 * Configuration is parsed once at start-up from environment variables, optionally over a
 * config file (`PATHLIGHT_CONFIG`, YAML or JSON, keys named like the variables). A wrong
 * value stops start-up with a message naming the variable.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((x) => x === 'true' || x === '1' || x === 'yes');
const TABLE_PATH = /^[a-z][a-z0-9-]{4,28}[a-z0-9][.][A-Za-z0-9_]{1,1024}[.][A-Za-z0-9_-]{1,1024}$/;
const int = (min: number) => z.coerce.number().int().min(min);

export const configSchema = z.object({
  PATHLIGHT_DATA_DIR: z.string().min(1).default('data'),
  PATHLIGHT_ENGINE: z.enum(['duckdb', 'bigquery']).default('duckdb'),
  PATHLIGHT_DUCKDB_FILE: z.string().min(1).optional(),
  PATHLIGHT_QUERY_TIMEOUT_MS: int(1000).default(120_000),
  PORT: int(0).max(65535).default(DEFAULT_PORT),
  /** Embedded default binds to loopback; App Engine sets PORT and needs all interfaces. */
  PATHLIGHT_HOST: z.string().min(1).default(DEFAULT_HOST),
  PATHLIGHT_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  PATHLIGHT_SAMPLE_ON_START: bool.default(true),
  PATHLIGHT_SAMPLE_DAYS: int(1).max(3660).default(90),
  PATHLIGHT_SAMPLE_USERS: int(1).default(2000),
  BIGQUERY_PROJECT: z
    .string()
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a Google Cloud project id')
    .optional(),
  BIGQUERY_DATASET: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,1024}$/, 'expected a dataset name like analytics_123456789')
    .optional(),
  BIGQUERY_LOCATION: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .optional(),
  BIGQUERY_MAX_BYTES_BILLED: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 ** 3),
  BIGQUERY_INCLUDE_INTRADAY: bool.default(false),
  /** Imported offline events, read beside the export: `project.dataset.table`. */
  PATHLIGHT_BQ_OFFLINE_TABLE: z
    .string()
    .regex(TABLE_PATH, 'expected a table as project.dataset.table')
    .optional(),
  /** Imported ad costs (GA4's cost-data shape): `project.dataset.table`. */
  PATHLIGHT_BQ_COSTS_TABLE: z
    .string()
    .regex(TABLE_PATH, 'expected a table as project.dataset.table')
    .optional(),
  GOOGLE_APPLICATION_CREDENTIALS: z.string().min(1).optional(),
  BIGQUERY_CREDENTIALS_JSON: z.string().min(1).optional(),
  BIGQUERY_API_ENDPOINT: z.string().url().optional(),
  /** Where set, reports put GA4's own totals beside the export's and pages mark key events. */
  GA4_PROPERTY_ID: z
    .string()
    .regex(/^\d{1,20}$/, 'expected the numeric GA4 property id')
    .optional(),
  /** Production store (Cloud SQL); without it the embedded PGlite store lives in the data dir. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
    .optional(),
  /** Production email: an SMTP relay URL (smtp:// or smtps://); without it, the outbox folder. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL')
    .optional(),
  PATHLIGHT_MAIL_FROM: z.string().min(3).default('Pathlight <pathlight@localhost>'),
  /** A PDF larger than this (bytes) is not attached; the email links to it instead (7 MiB: under 10 MB once base64-encoded). */
  PATHLIGHT_EMAIL_ATTACHMENT_MAX_BYTES: int(1024).default(7 * 1024 * 1024),
  /** The service's address as recipients reach it; links in emails start with it. */
  PATHLIGHT_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'expected an http:// or https:// URL')
    .optional(),
  /** How long a report link in an email stays valid. */
  PATHLIGHT_EMAIL_LINK_TTL_DAYS: int(1).max(366).default(30),
  /** Behind App Engine with Identity-Aware Proxy: trust only a verified IAP JWT. */
  PATHLIGHT_TRUST_IAP: bool.default(false),
  /** `/projects/NUMBER/apps/PROJECT_ID` (App Engine) as IAP signs it. */
  IAP_AUDIENCE: z.string().min(1).optional(),
  IAP_PUBLIC_KEYS_URL: z
    .string()
    .url()
    .default('https://www.gstatic.com/iap/verify/public_key-jwk'),
  /** Signs CSRF tokens behind IAP; the same on every instance (a Secret Manager secret). */
  PATHLIGHT_SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  /** Chrome or Chromium for PDFs; unset, the system's is found (findChrome). `none`: HTML only. */
  PATHLIGHT_BROWSER_PATH: z.string().min(1).optional(),
  /** Comma-separated emails or `@domain`s who may change things; everyone else is a viewer. */
  PATHLIGHT_EDITORS: z.string().default(''),
  /** The embedded default's admin token file; generated at first start (mode 0600). */
  PATHLIGHT_ADMIN_TOKEN_FILE: z.string().min(1).optional(),
  /** Shared secret for `POST /tasks/tick` from an outside scheduler. */
  PATHLIGHT_TICK_SECRET: z.string().min(16, 'expected at least 16 characters').optional(),
  /** The in-process scheduler's tick interval; 0 turns it off (cron calls the tick endpoint). */
  PATHLIGHT_SCHEDULER_INTERVAL_MS: int(0).default(30_000),
  /** Requests per minute per client on /api and on signed links /r/. */
  PATHLIGHT_API_RATE_LIMIT: int(1).default(300),
  PATHLIGHT_LINK_RATE_LIMIT: int(1).default(60),
  PATHLIGHT_BODY_LIMIT_KB: int(1).max(10_240).default(256),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = readConfigFile(env.PATHLIGHT_CONFIG);
  const merged: Record<string, unknown> = { ...fromFile };
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const source = env[name] !== undefined ? 'environment variable' : 'config value';
      return `${source} ${name}: ${issue.message}`;
    });
    throw new ConfigError(
      `invalid configuration:\n  ${lines.join('\n  ')}`,
      lines[0]?.split(' ')[2],
    );
  }
  const config = parsed.data;
  if (config.PATHLIGHT_ENGINE === 'bigquery') {
    for (const name of ['BIGQUERY_PROJECT', 'BIGQUERY_DATASET'] as const) {
      if (!config[name]) {
        throw new ConfigError(
          `environment variable ${name}: required when PATHLIGHT_ENGINE=bigquery`,
          name,
        );
      }
    }
    if (config.GOOGLE_APPLICATION_CREDENTIALS && config.BIGQUERY_CREDENTIALS_JSON) {
      throw new ConfigError(
        'environment variable BIGQUERY_CREDENTIALS_JSON: set either it or GOOGLE_APPLICATION_CREDENTIALS, not both',
        'BIGQUERY_CREDENTIALS_JSON',
      );
    }
  }
  if (config.PATHLIGHT_TRUST_IAP && !config.IAP_AUDIENCE) {
    throw new ConfigError(
      'environment variable IAP_AUDIENCE: required when PATHLIGHT_TRUST_IAP=true',
      'IAP_AUDIENCE',
    );
  }
  return config;
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  if (!existsSync(path)) {
    throw new ConfigError(
      `environment variable PATHLIGHT_CONFIG: no file at ${path}`,
      'PATHLIGHT_CONFIG',
    );
  }
  try {
    const parsed: unknown = parseYaml(readFileSync(path, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('expected a mapping of setting names to values');
    }
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]),
    );
  } catch (error) {
    throw new ConfigError(
      `config file ${path} (PATHLIGHT_CONFIG): ${error instanceof Error ? error.message : String(error)}`,
      'PATHLIGHT_CONFIG',
    );
  }
}

/** Where the embedded DuckDB events file lives unless a command names one. */
export const duckdbFile = (config: Config): string =>
  config.PATHLIGHT_DUCKDB_FILE ?? `${config.PATHLIGHT_DATA_DIR}/events.duckdb`;

/** The embedded store folder (PGlite), used unless DATABASE_URL is set. */
export const storeDir = (config: Config): string => `${config.PATHLIGHT_DATA_DIR}/store`;

/** The embedded default's outbox folder, used unless SMTP_URL is set. */
export const outboxDir = (config: Config): string => `${config.PATHLIGHT_DATA_DIR}/outbox`;

export const adminTokenFile = (config: Config): string =>
  config.PATHLIGHT_ADMIN_TOKEN_FILE ?? `${config.PATHLIGHT_DATA_DIR}/admin-token`;
