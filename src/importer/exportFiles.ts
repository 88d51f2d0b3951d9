import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ImportError } from '../errors/errors.js';

export type ExportFormat = 'ndjson' | 'parquet';

export interface ExportFile {
  readonly path: string;
  readonly format: ExportFormat;
  readonly gzip: boolean;
  /** `YYYYMMDD` or `intraday_YYYYMMDD` when the file name tells; otherwise from `event_date`. */
  readonly suffixFromName: string | undefined;
}

const EXTENSION = /\.(json|ndjson|jsonl|parquet)(\.gz)?$/i;
/** `events_20201101`, `events_intraday_20201101`, and shards `events_20201101-000000000000`. */
const TABLE_NAME = /^events_((?:intraday_)?(\d{8}))(?:[-_]\d+)?$/;

/** A real calendar day `YYYYMMDD`. */
export function isDay(text: string): boolean {
  if (!/^\d{8}$/.test(text)) return false;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(4, 6));
  const d = Number(text.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function describeFile(path: string): ExportFile | undefined {
  const name = basename(path);
  const match = EXTENSION.exec(name);
  if (!match) return undefined;
  const format: ExportFormat = match[1]?.toLowerCase() === 'parquet' ? 'parquet' : 'ndjson';
  const gzip = match[2] !== undefined;
  if (format === 'parquet' && gzip) return undefined;
  const stem = name.slice(0, match.index);
  const table = TABLE_NAME.exec(stem);
  const suffixFromName = table && isDay(table[2] as string) ? table[1] : undefined;
  return { path, format, gzip, suffixFromName };
}

/**
 * The export files named by the arguments: a file as given, a folder as every `.json`,
 * `.ndjson`, `.jsonl` (each optionally `.gz`) and `.parquet` file directly inside it (not its
 * subfolders: an export folder is flat, and recursing could pick up unrelated data), in name order.
 */
export function findExportFiles(paths: readonly string[]): ExportFile[] {
  if (paths.length === 0) throw new ImportError('no files to import', 'paths');
  const seen = new Set<string>();
  const files: ExportFile[] = [];
  const add = (file: ExportFile): void => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    files.push(file);
  };
  for (const given of paths) {
    const path = resolve(given);
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      throw new ImportError(`${given}: no such file or folder`, 'paths');
    }
    if (isFolder) {
      const inside = readdirSync(path, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => describeFile(join(path, entry.name)))
        .filter((file): file is ExportFile => file !== undefined)
        .sort((a, b) => a.path.localeCompare(b.path));
      if (inside.length === 0) {
        throw new ImportError(
          `${given}: no .json, .ndjson, .jsonl (optionally .gz) or .parquet files in this folder`,
          'paths',
        );
      }
      inside.forEach(add);
    } else {
      const file = describeFile(path);
      if (!file) {
        throw new ImportError(
          `${given}: not an export file (expected .json, .ndjson, .jsonl, optionally .gz, or .parquet)`,
          'paths',
        );
      }
      add(file);
    }
  }
  return files;
}
