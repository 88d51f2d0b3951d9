import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sampleDb } from '../render/sampleDb.js';
import { runCli } from '../support/runCli.js';

let db: string;
const dir = mkdtempSync(join(tmpdir(), 'pathlight-cli-render-'));
beforeAll(async () => {
  db = await sampleDb();
});

/** `pathlight render` of a definition to HTML for the sample's week of 19-25 Oct 2026. */
const renderWeek = (file: string, out: string) => [
  'render',
  file,
  '--format',
  'html',
  '--out',
  out,
  '--db',
  db,
  '--now',
  '2026-10-30T10:00:00Z',
  '--date-range',
  '2026-10-19..2026-10-25',
];

describe('pathlight render', () => {
  it('renders a shipped example to HTML with progress on the terminal', async () => {
    const out = join(dir, 'weekly.html');
    const run = await runCli(renderWeek('examples/reports/weekly-ecommerce.yaml', out));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('running the section queries');
    // As many sections as the example file lists, read here from the file itself.
    const example = parse(readFileSync('examples/reports/weekly-ecommerce.yaml', 'utf8')) as {
      sections: unknown[];
    };
    expect(example.sections.length).toBeGreaterThan(5);
    expect(run.stderr).toMatch(
      new RegExp(
        `wrote .*weekly\\.html \\(${example.sections.length} sections, 19\\s?–\\s?25 Oct 2026\\)`,
      ),
    );
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('How sessions move through the shop');
    expect(html).toContain('From each page, the chance of a purchase');
  });

  it('refuses a bad format or date range with exit code 2, naming the flag', async () => {
    const bad = await runCli([
      'render',
      'examples/reports/weekly-ecommerce.yaml',
      '--format',
      'png',
      '--out',
      join(dir, 'x'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format: expected html or pdf');
    const range = await runCli([
      'render',
      'examples/reports/weekly-ecommerce.yaml',
      '--format',
      'html',
      '--out',
      join(dir, 'y'),
      '--date-range',
      'last_fortnight',
    ]);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('--date-range:');
  });
  it('reads saved goals from --goals for a definition that names its goal', async () => {
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const definition = (goal: string) =>
      `id: named-goal\ntitle: Named goal\ngoal: ${goal}\nsections:\n  - type: kpi_summary\n`;
    const named = write('named.yaml', definition('Orders'));
    const inline = write(
      'inline.yaml',
      definition('{ event: purchase, name: Orders, value: ecommerce.purchase_revenue }'),
    );
    const goals = write(
      'goals.yaml',
      '- name: Orders\n  event: purchase\n  value: ecommerce.purchase_revenue\n',
    );
    const render = async (file: string, extra: string[] = []) => {
      const out = join(dir, `${file.split('/').pop()}-${extra.length}.html`);
      const run = await runCli([...renderWeek(file, out), ...extra]);
      return {
        run,
        tiles:
          run.code === 0
            ? [...readFileSync(out, 'utf8').matchAll(/class='value'>([^<]*)</g)].map((m) => m[1])
            : [],
      };
    };
    const byName = await render(named, ['--goals', goals]);
    expect(byName.run.code).toBe(0);
    expect(byName.tiles.length).toBe(5);
    // Purchases and their revenue on the sample's week: real numbers, not empty tiles.
    expect(byName.tiles[2]).toMatch(/[1-9]/);
    expect(byName.tiles[4]).toMatch(/[1-9]/);
    // The same tiles (users, sessions, conversions, rate, revenue) as the goal written inline.
    expect(byName.tiles).toEqual((await render(inline)).tiles);
    const missing = await render(named);
    expect(missing.run.code).toBe(2);
    expect(missing.run.stderr).toContain('goal');
    expect(missing.run.stderr).toContain('Orders');
  });
});
