import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import type { SqlTarget } from '../../engines/engine.js';
import { InputError } from '../../errors/errors.js';
import { inlineParams } from '../../sql/dialect.js';
import { resolveParams } from '../../sql/paramValues.js';
import { listQueries, loadQuery } from '../../sql/queryFiles.js';
import { renderQuery } from '../../sql/renderQuery.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Parses repeated `--param k=v` flags. */
export function parseParamFlags(flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new InputError(`--param: expected name=value, got "${flag}"`, 'param');
    out[flag.slice(0, at)] = flag.slice(at + 1);
  }
  return out;
}

export function registerSql(program: Command): void {
  program
    .command('sql')
    .argument('[name]', 'query name (see --list)')
    .description('print a query from sql/ rendered for an engine, ready to paste')
    .option('--list', 'list the query names')
    .option('--engine <engine>', 'bigquery or duckdb', 'bigquery')
    .option(
      '--param <name=value>',
      'a parameter value (repeatable); others get representative values',
      collect,
      [],
    )
    .option('--context <json>', 'template context, e.g. {"steps": 3}')
    .option('--markers', 'keep @parameter markers instead of inlining values')
    .action(
      (
        name: string | undefined,
        options: {
          list?: boolean;
          engine: string;
          param: string[];
          context?: string;
          markers?: boolean;
        },
      ) => {
        if (options.list || !name) {
          for (const query of listQueries())
            process.stdout.write(`${query.name.padEnd(28)} ${query.description}\n`);
          return;
        }
        if (options.engine !== 'bigquery' && options.engine !== 'duckdb') {
          throw new InputError(
            `--engine: expected bigquery or duckdb, got "${options.engine}"`,
            'engine',
          );
        }
        const query = loadQuery(name);
        const params = resolveParams(query, parseParamFlags(options.param), { useExamples: true });
        let context: Record<string, unknown> | undefined;
        if (options.context) {
          try {
            context = JSON.parse(options.context) as Record<string, unknown>;
          } catch {
            throw new InputError('--context: expected a JSON object', 'context');
          }
        }
        const target: SqlTarget =
          options.engine === 'duckdb' ? { kind: 'duckdb' } : bigqueryTarget();
        const rendered = renderQuery(query, target, context);
        const header = [
          `-- ${query.name}: ${query.description}`,
          ...query.params.map((p) => `-- @${p.name} ${p.type} = ${JSON.stringify(params[p.name])}`),
        ].join('\n');
        // DuckDB's rendering is shown with its own markers ($name); BigQuery's can be inlined to paste.
        const body =
          options.markers || target.kind === 'duckdb'
            ? rendered.sql
            : inlineParams(rendered.sql, params, rendered.paramTypes, target);
        process.stdout.write(`${header}\n${body}\n`);
      },
    );
}

function bigqueryTarget(): SqlTarget {
  const config = loadConfig();
  return {
    kind: 'bigquery',
    project: config.BIGQUERY_PROJECT ?? 'your-project',
    dataset: config.BIGQUERY_DATASET ?? 'analytics_123456789',
  };
}
