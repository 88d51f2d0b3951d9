import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../engines/engine.js';
import { InputError, PathlightError } from '../../errors/errors.js';
import type { BrowserPool } from '../../render/browserPool.js';
import { renderReport } from '../../reports/renderReport.js';
import { parseReportDefinition } from '../../reports/reportDefinition.js';
import { progressBar } from '../progressBar.js';
import { readDocument } from './funnel.js';

/** What each stage of a render is doing, in the words progress lines use. */
export const RENDER_STAGES: Record<string, string> = {
  query: 'running the section queries',
  html: 'drawing charts and HTML',
  pdf: 'printing the PDF in Chromium',
};

type RenderOptions = Omit<Parameters<typeof renderReport>[3], 'onStage'>;

/**
 * Renders each report file into `dir` as `<report id>.<format>`, one after another on the one
 * engine and browser given, with one progress bar for them all. A file that cannot be read or
 * rendered is set aside with its error and the others still go out; the failures are listed at
 * the end, and the whole exits as failed (2 when every failure was bad input, else 1).
 */
export async function renderMany(
  files: readonly string[],
  dir: string,
  engine: Engine,
  now: Date,
  options: RenderOptions & { pool?: BrowserPool },
): Promise<void> {
  const bar = progressBar('render');
  const written: string[] = [];
  const failed: { file: string; error: unknown }[] = [];
  // An id seen twice would have the second report overwrite the first one's file.
  const idFrom = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    const head = `report ${i + 1} of ${files.length}`;
    try {
      const definition = parseReportDefinition(readDocument(file, 'report'));
      const earlier = idFrom.get(definition.id);
      if (earlier !== undefined)
        throw new InputError(
          `id: "${definition.id}" is also the id of ${earlier}, whose ${definition.id}.${options.format} it would overwrite`,
          'id',
        );
      idFrom.set(definition.id, file);
      const out = await renderReport(engine, definition, now, {
        ...options,
        onStage: (stage) =>
          bar.update(
            i,
            files.length,
            `${head}: ${definition.title} — ${RENDER_STAGES[stage] ?? stage}`,
          ),
      });
      const path = join(dir, `${definition.id}.${options.format}`);
      writeFileSync(path, options.format === 'pdf' ? (out.pdf as Buffer) : out.html);
      written.push(
        `wrote ${path} (${out.model.sections.length} sections, ${out.model.rangeLabel})`,
      );
    } catch (error) {
      failed.push({ file, error });
    }
  }
  bar.update(
    files.length,
    files.length,
    `${written.length} of ${files.length} reports written to ${dir}`,
  );
  bar.stop();
  for (const line of written) process.stderr.write(`${line}\n`);
  for (const { file, error } of failed)
    process.stderr.write(
      `error: ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  if (failed.length === 0) return;
  const message = `${failed.length} of ${files.length} reports failed: ${failed.map((f) => f.file).join(', ')}`;
  throw failed.every((f) => f.error instanceof InputError)
    ? new InputError(message, 'report')
    : new PathlightError(message);
}
