import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { parseFunnelSpec } from '../../analyses/funnel/funnelSpec.js';
import { runFunnel, type FunnelResult } from '../../analyses/funnel/runFunnel.js';
import { parseGoals, type Goal } from '../../analyses/goals/goal.js';
import { InputError } from '../../errors/errors.js';
import { openCliEngine } from './dbOption.js';

/** A JSON or YAML document from a file; unreadable or malformed files are the user's input errors. */
export function readDocument(file: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `${flag}: cannot read ${file} (${(error as Error).message})`,
      flag.replace(/^--/, ''),
    );
  }
  try {
    return /\.ya?ml$/i.test(file) ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new InputError(
      `${flag}: ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
      flag.replace(/^--/, ''),
    );
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const secs = (x: number | null) =>
  x === null
    ? ''
    : x < 120
      ? `${Number(x.toFixed(x < 10 ? 1 : 0))}s`
      : x < 7200
        ? `${(x / 60).toFixed(1)}m`
        : `${(x / 3600).toFixed(1)}h`;

/** A readable table: one line per step with a bar proportional to the step's count. */
export function funnelTable(result: FunnelResult, width = 30): string {
  const max = Math.max(1, ...result.steps.map((s) => s.count));
  const nameWidth = Math.min(32, Math.max(4, ...result.steps.map((s) => s.name.length)));
  const lines = [
    `${'step'.padEnd(nameWidth + 4)} ${result.unit.padStart(10)}  ${'bar'.padEnd(width)}  ${'of first'.padStart(8)} ${'of prev'.padStart(8)} ${'dropped'.padStart(8)} ${'median'.padStart(7)}`,
  ];
  // Next-action values (event names, page paths) get one column wide enough for the longest.
  const valueWidth = Math.min(
    60,
    Math.max(0, ...result.steps.flatMap((s) => (s.nextActions ?? []).map((a) => a.value.length))),
  );
  result.steps.forEach((s, i) => {
    const bar = '█'.repeat(Math.round((s.count / max) * width));
    lines.push(
      `${`${i + 1}. ${s.name}`.slice(0, nameWidth + 4).padEnd(nameWidth + 4)} ${String(s.count).padStart(10)}  ${bar.padEnd(width)}  ${pct(s.conversionRate).padStart(8)} ${pct(s.fromPrevious).padStart(8)} ${String(s.abandonments).padStart(8)} ${secs(s.medianSecondsFromPrevious).padStart(7)}`,
    );
    for (const a of s.nextActions ?? []) {
      const reached = a.reachedNext === null ? '' : `  ${a.reachedNext} reached step ${i + 2}`;
      lines.push(
        `     then ${a.value.slice(0, valueWidth).padEnd(valueWidth)} ${String(a.units).padStart(10)}  ${pct(a.share).padStart(6)}${reached}`,
      );
    }
  });
  for (const group of result.breakdown) {
    lines.push('', `${group.value}:`);
    group.steps.forEach((s, i) => {
      lines.push(
        `  ${`${i + 1}. ${s.name}`.slice(0, nameWidth + 2).padEnd(nameWidth + 2)} ${String(s.count).padStart(10)}  ${pct(s.conversionRate).padStart(8)}`,
      );
    });
  }
  for (const segment of result.segments) {
    lines.push('', `segment ${segment.name}:`);
    segment.steps.forEach((s, i) => {
      lines.push(
        `  ${`${i + 1}. ${s.name}`.slice(0, nameWidth + 2).padEnd(nameWidth + 2)} ${String(s.count).padStart(10)}  ${pct(s.conversionRate).padStart(8)} ${pct(s.fromPrevious).padStart(8)}`,
      );
    });
  }
  const ttc = result.timeToConvert;
  if (ttc) {
    lines.push('', `time to convert, step 1 to step ${ttc.toStep}: ${ttc.count} ${result.unit}`);
    if (ttc.count > 0) {
      const p = ttc.percentiles;
      lines.push(
        `  median ${secs(ttc.medianSeconds)}  mean ${secs(ttc.meanSeconds)}  p25 ${secs(p.p25)}  p75 ${secs(p.p75)}  p90 ${secs(p.p90)}  p95 ${secs(p.p95)}  p99 ${secs(p.p99)}`,
      );
      const most = Math.max(1, ...ttc.bins.map((b) => b.count));
      for (const b of ttc.bins) {
        const range = `${secs(b.fromSeconds)} to ${secs(b.toSeconds)}`;
        lines.push(
          `  ${range.padEnd(16)} ${String(b.count).padStart(10)}  ${'█'.repeat(Math.round((b.count / most) * width))}`,
        );
      }
    }
  }
  if (result.trend) {
    const last = result.steps.length;
    lines.push(
      '',
      `trend by ${result.trend.interval} of entry:`,
      `  ${'from'.padEnd(10)} ${result.steps.map((_s, i) => `step ${i + 1}`.padStart(9)).join(' ')} ${'converted'.padStart(9)}`,
    );
    for (const period of result.trend.periods) {
      const rate = period.steps[last - 1]?.conversionRate ?? 0;
      lines.push(
        `  ${period.start.padEnd(10)} ${period.steps.map((s) => String(s.count).padStart(9)).join(' ')} ${pct(rate).padStart(9)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function registerFunnel(program: Command): void {
  program
    .command('funnel')
    .description('users (or sessions) reaching each step of a funnel, over all attempts')
    .requiredOption('--spec <file>', 'the funnel spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option('--goals <file>', 'saved goals (JSON or YAML list) that steps refer to by name')
    .option('--json', 'print JSON')
    .action(async (options: { spec: string; db?: string; goals?: string; json?: boolean }) => {
      const spec = parseFunnelSpec(readDocument(options.spec, '--spec'));
      const goals: Map<string, Goal> = options.goals
        ? parseGoals(readDocument(options.goals, '--goals'))
        : new Map();
      const engine = await openCliEngine(options.db);
      try {
        const result = await runFunnel(engine, spec, { goals });
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : funnelTable(result),
        );
      } finally {
        await engine.close();
      }
    });
}
