import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { JourneyMapResult } from '../../analyses/map/journeyMap.js';
import { parseMapSpec } from '../../analyses/map/mapSpec.js';
import { resolvePersonas } from '../../analyses/map/resolvePersonas.js';
import { runMap } from '../../analyses/map/runMap.js';
import { parsePersona } from '../../analyses/personas/personaSpec.js';
import { parseStageMap } from '../../analyses/stages/stageMap.js';
import { openCliEngine } from './dbOption.js';
import { readDocument } from './funnel.js';
import { withStore } from './personas.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

/** The map as text: per persona, per stage, who / moments of truth / pain points, then opportunities. */
export function mapText(r: JourneyMapResult): string {
  const lines: string[] = [`journey map ${r.dateRange.start}..${r.dateRange.end}, goal ${r.goal}`];
  if (r.overlap) {
    lines.push(
      `personas overlap: ${r.overlap.users} users in more than one (${pct(r.overlap.share)})`,
    );
  }
  for (const p of r.personas) {
    lines.push(
      '',
      `== ${p.name}: ${p.users} users (${pct(p.shareOfAll)} of all), ${p.converted} converted`,
    );
    if (p.empty) {
      lines.push('  no users match this persona in the range');
      continue;
    }
    for (const s of p.stages) {
      const median =
        s.medianSecondsSincePrevious === null
          ? ''
          : `, median ${s.medianSecondsSincePrevious}s since previous`;
      lines.push(
        `  ${s.stage}: ${s.users} users (${pct(s.shareOfPersona)}), P(goal) ${pct(s.conversionRate)}${median}`,
      );
      for (const m of s.moments) {
        lines.push(
          `    moment of truth: ${m.kind} ${m.label}: ${pct(m.did.rate)} of ${m.did.users} vs ${pct(m.didNot.rate)} of ${m.didNot.users} (${signed(m.difference)}, 95% ${signed(m.interval[0])}..${signed(m.interval[1])})`,
        );
      }
      for (const pain of s.painPoints.slice(0, 3)) {
        lines.push(
          `    pain point: ${pain.label}: ${pain.users} users, ${pain.conversionsAtStake} conversions at stake`,
        );
      }
    }
    if (p.opportunities.length > 0) {
      lines.push('  opportunities:');
      p.opportunities.forEach((o, i) =>
        lines.push(
          `    ${i + 1}. ${o.stage}: ${o.label} (${o.users} users, ${o.conversionsAtStake} conversions)`,
        ),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerMap(program: Command): void {
  program
    .command('map')
    .description(
      'the customer journey map: per persona and stage, who, doing, moments of truth and pain points',
    )
    .requiredOption('--spec <file>', 'the map spec, JSON or YAML')
    .option('--db <file>', 'the DuckDB events file')
    .option(
      '--stages <file>',
      'a stage map (JSON or YAML) instead of the spec’s or the default one',
    )
    .option(
      '--persona <name-or-file>',
      'a saved persona by name, or a persona file (JSON or YAML); repeat for up to four',
      collect,
      [],
    )
    .option('--json', 'print JSON')
    .action(
      async (options: {
        spec: string;
        db?: string;
        stages?: string;
        persona: string[];
        json?: boolean;
      }) => {
        const input = readDocument(options.spec, '--spec') as Record<string, unknown>;
        const fromFlags = options.persona.map((p, i) =>
          existsSync(p) && /\.(json|ya?ml)$/i.test(p)
            ? parsePersona(readDocument(p, '--persona'), `--persona[${i}]`)
            : p,
        );
        let spec = parseMapSpec({
          ...input,
          personas: [...((input.personas as unknown[] | undefined) ?? []), ...fromFlags],
        });
        if (options.stages)
          spec = {
            ...spec,
            stageMap: parseStageMap(readDocument(options.stages, '--stages'), '--stages'),
          };
        const named = spec.personas.some((p) => typeof p === 'string');
        const personas = named
          ? await withStore((repo) =>
              resolvePersonas(spec, async (name) => (await repo.get(name))?.persona),
            )
          : await resolvePersonas(spec);
        const engine = await openCliEngine(options.db);
        try {
          const result = await runMap(engine, spec, personas);
          process.stdout.write(
            options.json ? `${JSON.stringify(result, null, 2)}\n` : mapText(result),
          );
        } finally {
          await engine.close();
        }
      },
    );
}
