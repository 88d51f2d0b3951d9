import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors/errors.js';
import { parseGoals } from '../../analyses/goals/goal.js';
import { ga4DataApi } from '../../ga4/ga4DataApi.js';
import { BrowserPool } from '../../render/browserPool.js';
import { findChrome } from '../../render/findChrome.js';
import { renderReport } from '../../reports/renderReport.js';
import { parseReportDefinition, reportDateRangeSchema } from '../../reports/reportDefinition.js';
import { openCliEngine } from './dbOption.js';
import { readDocument } from './funnel.js';
import { RENDER_STAGES, renderMany } from './renderMany.js';

interface RenderOptions {
  format: string;
  out: string;
  dateRange?: string;
  db?: string;
  now?: string;
  goals?: string;
}

/** Whether `path` is a folder that exists already. */
const isFolder = (path: string): boolean =>
  statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/**
 * `pathlight render <report file...> --format html|pdf --out <file or folder> [--date-range last_week]
 * [--db <file>] [--goals <file>]`: one report into a file, or many (or --out a folder) into
 * `<report id>.<format>` files in that folder, on one engine and one browser.
 */
export function registerRender(program: Command): void {
  program
    .command('render')
    .description('render report definitions (YAML or JSON) to HTML or PDF')
    .argument('<report...>', 'the report definition files')
    .option('--format <format>', 'html or pdf', 'html')
    .requiredOption(
      '--out <path>',
      'the file to write; for more than one report, the folder to write <report id>.<format> into',
    )
    .option(
      '--date-range <range>',
      'replace the date range: yesterday, last_7_days, last_week, ... or START..END',
    )
    .option('--db <file>', 'the DuckDB events file')
    .option('--goals <file>', 'saved goals (JSON or YAML list) the definition names its goal from')
    .option('--now <iso>', 'render as if it were this time (relative ranges resolve from it)')
    .action(async (files: string[], options: RenderOptions) => {
      if (options.format !== 'html' && options.format !== 'pdf') {
        throw new InputError('--format: expected html or pdf', 'format');
      }
      const format: 'html' | 'pdf' = options.format === 'pdf' ? 'pdf' : 'html';
      const many = files.length > 1 || isFolder(options.out);
      if (many && statSync(options.out, { throwIfNoEntry: false })?.isFile())
        throw new InputError(
          `--out: ${options.out} is a file; ${files.length} reports need a folder`,
          'out',
        );
      const [file] = files as [string];
      // One report's bad definition stops it before any work; many set a bad one aside.
      const definition = many ? undefined : parseReportDefinition(readDocument(file, 'report'));
      const goals = options.goals ? parseGoals(readDocument(options.goals, '--goals')) : undefined;
      let dateRange;
      if (options.dateRange) {
        const [start, end] = options.dateRange.split('..');
        const parsed = reportDateRangeSchema.safeParse(end ? { start, end } : options.dateRange);
        if (!parsed.success) {
          throw new InputError(
            `--date-range: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
            'date-range',
          );
        }
        dateRange = parsed.data;
      }
      const now = options.now ? new Date(options.now) : new Date();
      if (Number.isNaN(now.getTime()))
        throw new InputError('--now: expected an ISO date-time', 'now');
      // Find the browser before any query runs, so a missing one fails fast with its fix.
      if (options.format === 'pdf') findChrome();
      const engine = await openCliEngine(options.db);
      const pool = options.format === 'pdf' ? new BrowserPool({ pages: 1 }) : undefined;
      // With a GA4 property configured, the data-quality box sets GA4's totals beside the export's.
      const property = process.env.GA4_PROPERTY_ID;
      const ga4 = property ? ga4DataApi({ propertyId: property }) : undefined;
      const shared = {
        format,
        ...(dateRange ? { dateRange } : {}),
        ...(pool ? { pool } : {}),
        ...(ga4 ? { ga4 } : {}),
        ...(goals ? { goals } : {}),
      };
      if (!definition) {
        try {
          mkdirSync(options.out, { recursive: true });
          await renderMany(files, options.out, engine, now, shared);
        } finally {
          await pool?.close();
          await engine.close();
        }
        return;
      }
      const started = Date.now();
      const progress = (stage: string) =>
        process.stderr.write(
          `[${((Date.now() - started) / 1000).toFixed(1)}s] ${RENDER_STAGES[stage] ?? stage}…\n`,
        );
      try {
        const out = await renderReport(engine, definition, now, { ...shared, onStage: progress });
        writeFileSync(options.out, options.format === 'pdf' ? (out.pdf as Buffer) : out.html);
        process.stderr.write(
          `[${((Date.now() - started) / 1000).toFixed(1)}s] wrote ${options.out} (${out.model.sections.length} sections, ${out.model.rangeLabel})\n`,
        );
      } finally {
        await pool?.close();
        await engine.close();
      }
    });
}
