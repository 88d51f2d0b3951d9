import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Config } from '../config/config.js';
import { ImportError, InputError } from '../errors/errors.js';
import { readCostFile } from '../importer/costs/importAdCosts.js';
import { importCosts } from './importCosts.js';
import { importOffline } from './importOffline.js';

/** A file as a browser sent it: the name it had on the person's computer and its bytes. */
export interface Upload {
  readonly name: string;
  readonly data: Buffer;
}

/** What one file did: its rows, how many were new, how many were there before. */
export interface UploadResult {
  readonly file: string;
  readonly rows: number;
  readonly added: number;
  /** Offline rows already imported (left as they were), or cost rows that replaced their day and key. */
  readonly existing: number;
}

export interface UploadImports {
  offline(files: readonly Upload[]): Promise<UploadResult[]>;
  costs(files: readonly Upload[]): Promise<UploadResult[]>;
}

/** Only letters, digits, dot, dash, underscore and space survive: the name is shown, not trusted. */
export function uploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const safe = base.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 120);
  return safe.replace(/^\.+/, '') || 'upload.csv';
}

/** Each upload in its own folder under its own name, so errors name the file as it was picked. */
function written(dir: string, files: readonly Upload[]): string[] {
  if (files.length === 0) throw new InputError('choose at least one CSV file', 'files');
  return files.map((file, i) => {
    const folder = join(dir, String(i));
    mkdirSync(folder);
    const path = join(folder, uploadName(file.name));
    writeFileSync(path, file.data);
    return path;
  });
}

/**
 * The upload page's imports: the CLI's use-cases on files written to a scratch folder, the
 * service's reader closed while the events file is written (`whileClosed`). Every file is
 * checked before any is written, so a bad file imports nothing from any of them.
 */
export function uploadImports(
  config: Config,
  whileClosed: <T>(write: () => Promise<T>) => Promise<T>,
): UploadImports {
  const inScratch = async <T>(files: readonly Upload[], run: (paths: string[]) => Promise<T>) => {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-upload-'));
    try {
      return await run(written(dir, files));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    offline: (files) =>
      inScratch(files, async (paths) => {
        const { files: done } = await whileClosed(() => importOffline(config, paths));
        return done.map((f) => ({ ...f, existing: f.rows - f.added }));
      }),
    costs: (files) =>
      inScratch(files, async (paths) => {
        // Checked whole first, and in one currency between them, so no file lands alone.
        let first: { file: string; currency: string } | undefined;
        for (const path of paths) {
          const { currency } = readCostFile(path);
          if (currency === null) continue;
          const file = uploadName(basename(path));
          if (first && first.currency !== currency) {
            throw new ImportError(
              `${file}: costs in ${currency} where ${first.file} has ${first.currency}; one property has one currency`,
              'currency',
            );
          }
          first ??= { file, currency };
        }
        return whileClosed(async () => {
          const done: UploadResult[] = [];
          for (const path of paths) {
            const r = await importCosts(config, path);
            done.push({ file: r.file, rows: r.rows, added: r.added, existing: r.replaced });
          }
          return done;
        });
      }),
  };
}
