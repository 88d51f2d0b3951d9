import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { pino } from 'pino';
import { sendNow } from '../../app/sendNow.js';
import { loadConfig } from '../../config/config.js';
import { recipientsSchema, type Recipients } from '../../delivery/scheduleSpec.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import {
  parseReportDefinition,
  reportDateRangeSchema,
  type ReportDateRange,
} from '../../reports/reportDefinition.js';
import { openCliEngine } from './dbOption.js';
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
      // A report file wins over a stored report of the same name only when it is a file on disk.
      const { run, deliveries } = await sendNow(config, logger, () => openCliEngine(options.db), {
        report: existsSync(report)
          ? parseReportDefinition(readDocument(report, 'report'))
          : { id: report },
        recipients,
        formats: { pdf: options.pdf, inline: options.inline },
        ...(dateRange ? { dateRange } : {}),
        at: now,
        source: 'cli',
      });
      for (const d of deliveries) {
        if (d.status === 'sent')
          process.stdout.write(
            `sent to ${d.recipient}: ${d.outboxPath ?? `${d.messageId} (${d.smtpResponse ?? ''})`}\n`,
          );
        else process.stdout.write(`failed for ${d.recipient}: ${d.error ?? d.status}\n`);
      }
      process.stderr.write(
        `run ${run.id}: ${run.status}${Object.keys(run.stageMs).length > 0 ? ` (${ms(run.stageMs)})` : ''}\n`,
      );
      if (run.status !== 'sent')
        throw new PathlightError(`run ${run.id} ${run.status}: ${run.error ?? 'not sent'}`);
    });
}
