import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, storeDir } from '../../config/config.js';
import { InputError } from '../../errors/errors.js';
import { parseWith } from '../../errors/parseWith.js';
import { createLink, linkRequestSchema } from '../../app/createLink.js';
import { rotateLinkKeyFile } from '../../links/linkKeyFile.js';
import { SharingOffError } from '../../links/linkService.js';
import { linkKeyFile, linkServiceFor } from '../../links/linkSettings.js';
import { parseReportDefinition } from '../../reports/reportDefinition.js';
import { DefinitionsRepo } from '../../store/definitionsRepo.js';
import { migrate } from '../../store/migrate.js';
import { openPglite } from '../../store/pgliteDb.js';
import { openPostgres } from '../../store/postgresDb.js';
import { readDocument } from './funnel.js';

interface LinkOptions {
  ttl: string;
  range?: string;
  ranges?: string;
  maxSpan?: string;
  pdf?: boolean;
}

/** The request's field names as the flags that set them, so an error names what to retype. */
const FLAGS: Record<string, string> = {
  ttl: '--ttl',
  range: '--range',
  ranges: '--ranges',
  maxSpanDays: '--max-span',
};

/** The use-case's error with the flag's name in place of the field's. */
function asFlag(error: unknown): unknown {
  if (!(error instanceof InputError) || !error.field) return error;
  const field = error.field.split(/[.[]/)[0] as string;
  const flag = FLAGS[field] ?? field;
  return new InputError(error.message.replace(new RegExp(`^${field}`), flag), flag);
}

function requestOf(options: LinkOptions): Record<string, unknown> {
  const request: Record<string, unknown> = { ttl: options.ttl };
  if (options.range) {
    const [start, end] = options.range.split('..');
    request.range = end ? { start, end } : options.range;
  }
  if (options.ranges)
    request.ranges = options.ranges
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
  if (options.maxSpan) {
    const days = /^([1-9][0-9]{0,2})d?$/.exec(options.maxSpan);
    if (!days) throw new InputError('--max-span: expected a number of days like 90d', 'max-span');
    request.maxSpanDays = Number(days[1]);
  }
  return request;
}

/**
 * `pathlight link <report id or file> [--ttl 30d] [--range last_week] [--ranges a,b] [--max-span 90d] [--pdf]`:
 * a shared link, recorded in the store like one made in the Share dialog, printed on stdout.
 */
export function registerLink(program: Command): void {
  program
    .command('link')
    .description(
      'make a signed, expiring link to a report that anyone with it can open (no account), and print it',
    )
    .argument('<report>', 'the id of a stored report, or a report file (stored as a file report)')
    .option('--ttl <ttl>', 'how long the link works: 12h, 30d, 2w (at most 366 days)', '30d')
    .option('--range <range>', 'the period it opens on: last_week, ... or START..END')
    .option('--ranges <list>', 'relative ranges the viewer may switch to, comma-separated')
    .option('--max-span <days>', 'or: any start and end dates up to this many days apart')
    .option('--pdf', 'print the link to the PDF instead of the page')
    .action(async (report: string, options: LinkOptions) => {
      const request = requestOf(options);
      // Checked before the store opens: a mistyped flag answers at once.
      try {
        parseWith(linkRequestSchema, request);
      } catch (error) {
        throw asFlag(error);
      }
      const config = loadConfig();
      const links = linkServiceFor(config, () => `http://${config.PATHLIGHT_HOST}:${config.PORT}`);
      if (!links) throw new SharingOffError();
      const store = config.DATABASE_URL
        ? await openPostgres(config.DATABASE_URL)
        : await openPglite(storeDir(config));
      try {
        await migrate(store);
        let reportId = report;
        if (existsSync(report)) {
          // The service renders what the store holds: a file is stored as a file report first.
          const definition = parseReportDefinition(readDocument(report, 'report'));
          await new DefinitionsRepo<object>(store, 'reports').syncFromFiles([
            { key: definition.id, definition, filePath: resolve(report) },
          ]);
          reportId = definition.id;
        }
        let made;
        try {
          made = await createLink(
            {
              store,
              ...links,
            },
            {
              reportId,
              request,
              createdBy: `${userInfo().username} (command line)`,
              source: 'cli',
            },
          );
        } catch (error) {
          throw asFlag(error);
        }
        process.stdout.write(`${options.pdf ? made.pdfUrl : made.url}\n`);
        const allows = made.ranges
          ? 'list' in made.ranges
            ? `, may switch to ${made.ranges.list.join(', ')}`
            : `, may choose dates up to ${made.ranges.maxDays} days apart`
          : '';
        process.stderr.write(
          `link ${made.id} to ${reportId}: expires ${made.expiresAt.toISOString()}${allows}\n`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('rotate-link-key')
    .description(
      'sign new links with a fresh key; links signed with the previous keys keep working until they expire',
    )
    .action(() => {
      const config = loadConfig();
      if (process.env.PATHLIGHT_LINK_SECRETS)
        throw new InputError(
          'PATHLIGHT_LINK_SECRETS is set: rotate by putting a new kid:secret pair first in it',
          'PATHLIGHT_LINK_SECRETS',
        );
      const file = linkKeyFile(config);
      const keys = rotateLinkKeyFile(file);
      process.stdout.write(`${keys.current}\n`);
      process.stderr.write(
        `new signing key ${keys.current} in ${file}; ${keys.keys.size - 1} older key(s) still verify. Restart the service to use it.\n`,
      );
    });
}
