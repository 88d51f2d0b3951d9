import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig, storeDir, type Config } from '../../config/config.js';
import { deliverSettings, emailSettings, transportFor } from '../../delivery/mailSetup.js';
import { bigqueryEngineFromConfig } from '../../engines/bigquery/BigqueryEngine.js';
import { DuckdbEngine } from '../../engines/duckdb/DuckdbEngine.js';
import type { Engine } from '../../engines/engine.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import { loadReportDefinition, reportRunRenderer } from '../../http/reportRenderer.js';
import { BrowserPool } from '../../render/browserPool.js';
import { findChrome } from '../../render/findChrome.js';
import {
  parseReportDefinition,
  reportDateRangeSchema,
  type ReportDateRange,
  type ReportDefinition,
} from '../../reports/reportDefinition.js';
import { processNextRun } from '../../scheduler/runWorker.js';
import { RunsRepo } from '../../scheduler/runsRepo.js';
import { recipientsSchema, type Recipients } from '../../scheduler/scheduleSpec.js';
import { migrate } from '../../store/migrate.js';
import { openPglite } from '../../store/pgliteDb.js';
import { openPostgres } from '../../store/postgresDb.js';
import type { StoreDb } from '../../store/storeDb.js';
import { dbOption } from './dbOption.js';
import { readDocument } from './funnel.js';

interface SendOptions {
  to: string[];
  cc: string[];
  bcc: string[];
  dateRange?: string;
  pdf: boolean;
  inline: boolean;
  db?: string;
  now?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function parseRecipients(options: SendOptions): Recipients {
  const parsed = recipientsSchema.safeParse({ to: options.to, cc: options.cc, bcc: options.bcc });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const [list, index] = issue?.path ?? ['to'];
  const field = typeof index === 'number' ? `--${String(list)}[${index}]` : `--${String(list)}`;
  throw new InputError(`${field}: ${issue?.message ?? 'invalid'}`, String(list));
}

function parseDateRange(value: string | undefined): ReportDateRange | undefined {
  if (!value) return undefined;
  const [start, end] = value.split('..');
  const parsed = reportDateRangeSchema.safeParse(end ? { start, end } : value);
  if (!parsed.success)
    throw new InputError(
      `--date-range: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      'date-range',
    );
  return parsed.data;
}

/** A report file wins over a stored report of the same name only when it is a file on disk. */
async function resolveReport(store: StoreDb, report: string): Promise<ReportDefinition> {
  if (existsSync(report)) return parseReportDefinition(readDocument(report, 'report'));
  const stored = await loadReportDefinition(store, report);
  if (!stored)
    throw new InputError(
      `report: no report file at ${report} and no stored report with that id`,
      'report',
    );
  return stored;
}

async function openEngine(config: Config, db: string | undefined): Promise<Engine> {
  if (!db && config.PATHLIGHT_ENGINE === 'bigquery') return bigqueryEngineFromConfig(config);
  return DuckdbEngine.open(dbOption(db), {
    mode: 'read',
    defaultTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS,
  });
}

const STAGE_ORDER = ['query', 'html', 'pdf', 'email', 'render_total', 'send'];

/** Stages in the order they happen (the store keeps them as JSON, in its own key order). */
const ms = (stageMs: Record<string, number>) =>
  Object.entries(stageMs)
    .sort(([a], [b]) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b))
    .map(([stage, value]) => `${stage} ${Math.round(value)} ms`)
    .join(', ');

/**
 * `pathlight send <report file or id> --to a@example.com [--date-range last_week]`: one email now,
 * through the configured transport, recorded as a run with its deliveries and attempts.
 */
export function registerSend(program: Command): void {
  program
    .command('send')
    .description(
      'send a report now through the configured mail transport (the outbox folder, or SMTP_URL) and print where each message went',
    )
    .argument('<report>', 'a report definition file (YAML or JSON) or the id of a stored report')
    .option('--to <address>', 'a recipient (repeat for more)', collect, [])
    .option('--cc <address>', 'a recipient in Cc (repeat for more)', collect, [])
    .option('--bcc <address>', 'a hidden recipient (repeat for more)', collect, [])
    .option(
      '--date-range <range>',
      'replace the date range: yesterday, last_7_days, last_week, ... or START..END',
    )
    .option('--no-pdf', 'do not attach (or link) the PDF')
    .option('--no-inline', 'leave the summary out of the email body')
    .option('--db <file>', 'the DuckDB events file (default: the configured engine)')
    .option('--now <iso>', 'send as if it were this time (relative ranges resolve from it)')
    .action(async (report: string, options: SendOptions) => {
      const recipients = parseRecipients(options);
      const dateRange = parseDateRange(options.dateRange);
      const now = options.now ? new Date(options.now) : new Date();
      if (Number.isNaN(now.getTime()))
        throw new InputError('--now: expected an ISO date-time', 'now');
      const config = loadConfig();
      const logger = pino({ level: config.PATHLIGHT_LOG_LEVEL }, pino.destination(2));
      const store = config.DATABASE_URL
        ? await openPostgres(config.DATABASE_URL)
        : await openPglite(storeDir(config));
      const { transport } = transportFor(config);
      let engine: Engine | undefined;
      let pool: BrowserPool | undefined;
      try {
        await migrate(store);
        const definition = await resolveReport(store, report);
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
        engine = await openEngine(config, options.db);
        const run = await new RunsRepo(store).createManual(definition.id, 'send_now', {
          recipients,
          formats: { pdf: options.pdf, inline: options.inline },
          ...(dateRange ? { dateRange } : {}),
          at: now.toISOString(),
          source: 'cli',
        });
        const settings = emailSettings(config);
        await processNextRun({
          db: store,
          only: run.id,
          renderer: reportRunRenderer({
            engine,
            store,
            ...(pool ? { pool } : {}),
            email: settings,
            loadDefinition: async (id) => (id === definition.id ? definition : undefined),
          }),
          deliver: deliverSettings(config, transport),
          owner: `pathlight-send-${process.pid}-${randomBytes(4).toString('hex')}`,
          leaseMs: 5 * 60_000,
          maxAttempts: 1,
          renderTimeoutMs: config.PATHLIGHT_QUERY_TIMEOUT_MS * 2,
          pauseAfterFailures: Number.POSITIVE_INFINITY,
          // A one-off send has no schedule owner to notify; its outcome is printed here.
          notifyOwner: async () => undefined,
          logger,
        });
        const done = await new RunsRepo(store).get(run.id);
        const deliveries = await store.query<{
          recipient: string;
          status: string;
          message_id: string;
          smtp_response: string | null;
          error: string | null;
          path: string | null;
        }>(
          `SELECT d.recipient, d.status, d.message_id, d.smtp_response, d.error, o.path
           FROM deliveries d LEFT JOIN outbox o ON o.delivery_id = d.id
           WHERE d.run_id = $1 ORDER BY d.id`,
          [run.id],
        );
        for (const d of deliveries) {
          if (d.status === 'sent')
            process.stdout.write(
              `sent to ${d.recipient}: ${d.path ?? `${d.message_id} (${d.smtp_response ?? ''})`}\n`,
            );
          else process.stdout.write(`failed for ${d.recipient}: ${d.error ?? d.status}\n`);
        }
        process.stderr.write(
          `run ${run.id}: ${done?.status ?? 'unknown'}${done?.stageMs ? ` (${ms(done.stageMs)})` : ''}\n`,
        );
        if (done?.status !== 'sent')
          throw new PathlightError(`run ${run.id} ${done?.status}: ${done?.error ?? 'not sent'}`);
      } finally {
        await transport.close();
        await pool?.close();
        await engine?.close();
        await store.close();
      }
    });
}
