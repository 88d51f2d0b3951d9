import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDb } from '../render/sampleDb.js';
import { runCli } from '../support/runCli.js';

let db: string;
const dir = mkdtempSync(join(tmpdir(), 'pathlight-cli-render-many-'));
beforeAll(async () => {
  db = await sampleDb();
});

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** A one-section definition: quick to query and print. */
const small = (id: string, title: string) =>
  write(
    `${id}-${title.length}.yaml`,
    `id: ${id}\ntitle: ${title}\ngoal: { event: purchase }\nsections:\n  - type: kpi_summary\n`,
  );

/** `pathlight render <files...>` for the sample's week of 19-25 Oct 2026. */
const renderWeek = (files: string[], format: 'html' | 'pdf', out: string) =>
  runCli([
    'render',
    ...files,
    '--format',
    format,
    '--out',
    out,
    '--db',
    db,
    '--now',
    '2026-10-30T10:00:00Z',
    '--date-range',
    '2026-10-19..2026-10-25',
  ]);

describe('pathlight render with many reports', () => {
  it('writes each report as <id>.html into the folder, names each bad file, and exits 2 at the end', async () => {
    const bad = write(
      'bad-id.yaml',
      'id: Not An Id\ntitle: Bad\ngoal: { event: purchase }\nsections:\n  - type: kpi_summary\n',
    );
    const missing = join(dir, 'no-such-report.yaml');
    const out = join(dir, 'html-out');
    const run = await renderWeek(
      [
        'examples/reports/weekly-ecommerce.yaml',
        bad,
        'examples/reports/lead-generation.yaml',
        missing,
      ],
      'html',
      out,
    );
    expect(run.code).toBe(2);
    // The good ones were written despite the bad ones between them, each with its own title.
    expect(readFileSync(join(out, 'weekly-ecommerce.html'), 'utf8')).toContain(
      'Weekly e-commerce journeys',
    );
    expect(readFileSync(join(out, 'lead-generation.html'), 'utf8')).toContain(
      'Lead generation, last 28 days',
    );
    const lines = run.stderr.split('\n');
    // Not a terminal: the bar's first step and its last, as plain lines.
    expect(lines).toContain(
      'render: report 1 of 4: Weekly e-commerce journeys — running the section queries',
    );
    expect(lines).toContain(`render: 2 of 4 reports written to ${out}`);
    expect(lines).toContain(`error: ${bad}: id: expected a lowercase id like weekly-journeys`);
    expect(
      lines.find((l) => l.startsWith(`error: ${missing}: report: cannot read ${missing}`)),
    ).toBeDefined();
    expect(lines).toContain(`error: 2 of 4 reports failed: ${bad}, ${missing}`);
  });

  it('prints PDFs for many reports in one browser into an existing folder', async () => {
    const out = join(dir, 'pdf-out');
    mkdirSync(out);
    const run = await renderWeek(
      [small('first-report', 'First report'), small('second-report', 'Second report')],
      'pdf',
      out,
    );
    expect(run.code).toBe(0);
    for (const id of ['first-report', 'second-report'])
      expect(
        readFileSync(join(out, `${id}.pdf`))
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
    expect(run.stderr).toContain(
      'render: report 1 of 2: First report — running the section queries',
    );
    expect(run.stderr).toContain(`render: 2 of 2 reports written to ${out}`);
  });

  it('renders one report into an existing folder as <id>.html, and refuses a second report with the same id', async () => {
    const out = join(dir, 'one-out');
    mkdirSync(out);
    const alone = await renderWeek([small('alone', 'Alone')], 'html', out);
    expect(alone.code).toBe(0);
    expect(readFileSync(join(out, 'alone.html'), 'utf8')).toContain('Alone');

    const twice = join(dir, 'twice-out');
    const first = small('same-id', 'Same id');
    const second = small('same-id', 'Same id, again');
    const run = await renderWeek([first, second], 'html', twice);
    expect(run.code).toBe(2);
    const html = readFileSync(join(twice, 'same-id.html'), 'utf8');
    expect(html).toContain('Same id');
    expect(html).not.toContain('Same id, again');
    expect(run.stderr).toContain(
      `error: ${second}: id: "same-id" is also the id of ${first}, whose same-id.html it would overwrite`,
    );
  });

  it('refuses many reports into a file, naming --out', async () => {
    const file = write('a-file.html', '');
    const run = await renderWeek([small('one', 'One'), small('two', 'Two')], 'html', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out: ${file} is a file; 2 reports need a folder`);
    // The file is left as it was.
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
