import type { JourneyMapResult, PersonaMap, StageCell } from '../analyses/map/journeyMap.js';

/** One colour per lane: all users first, then up to four personas (the report's segment colours). */
export const LANE_COLORS = ['#4F81BD', '#C0504D', '#9BBB59', '#8064A2', '#F79646'];
const TEXT = '#1f2937';
const SUBTLE = '#6b7280';
const GRID = '#e5e7eb';
const GOOD = '#15803d';
const BAD = '#b91c1c';
const FONT = "'DejaVu Sans', 'Noto Sans', sans-serif";

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Cuts a label to about `chars` characters (the font is about 0.6em wide per character). */
const fit = (s: string, chars: number) =>
  s.length <= chars ? s : `${s.slice(0, Math.max(1, chars - 1))}…`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const text = (x: number, y: number, body: string, attrs = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(body)}</text>`;

/** The chips of a stage: its most reached channel, pages and events, widest first. */
function chips(cell: StageCell) {
  return [
    ...cell.doing.channel.slice(0, 1),
    ...cell.doing.page.slice(0, 2),
    ...cell.doing.event.slice(0, 2),
  ]
    .sort((a, b) => b.share - a.share)
    .slice(0, 4);
}

export interface JourneyMapChartOptions {
  readonly width?: number;
}

/**
 * The journey map as one SVG: a column per stage; above, a line of P(goal) at each stage per persona;
 * below, a lane per persona with touchpoint chips sized by reach, the stage's strongest moment of
 * truth (▲ raises, ▼ lowers the chance of the goal) and its largest pain point (!). A persona with
 * no users gets a lane that says so. Plain SVG with <title> tooltips, for reports, email and the page.
 */
export function journeyMapChart(
  result: JourneyMapResult,
  options: JourneyMapChartOptions = {},
): string {
  const width = Math.max(360, options.width ?? 960);
  const narrow = width < 640;
  const labelW = narrow ? 0 : 130;
  const stages = result.stages;
  const colW = (width - labelW - 10) / stages.length;
  const chars = Math.floor((colW - 12) / 6.2);
  const x0 = labelW;
  const cx = (k: number) => x0 + colW * k + colW / 2;
  const headerH = 28;
  const lineTop = headerH + 14;
  const lineH = 110;
  const laneTop = lineTop + lineH + 30;
  const laneH = narrow ? 176 : 150;
  const lanes = result.personas;
  const height = laneTop + lanes.length * laneH + 8;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="11" role="img" aria-label="${esc(`Journey map, ${stages.join(', ')}`)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  // Columns and their headers.
  stages.forEach((name, k) => {
    const x = x0 + colW * k;
    if (k % 2 === 0)
      out.push(
        `<rect x="${x.toFixed(1)}" y="0" width="${colW.toFixed(1)}" height="${height}" fill="#f8fafc"/>`,
      );
    out.push(
      text(
        cx(k),
        18,
        fit(name, chars),
        `text-anchor="middle" font-weight="bold" font-size="12" fill="${TEXT}"`,
      ),
    );
    if (k > 0)
      out.push(
        `<line x1="${x.toFixed(1)}" y1="0" x2="${x.toFixed(1)}" y2="${height}" stroke="${GRID}"/>`,
      );
  });
  // P(goal) at each stage, one line per persona with users.
  const yOf = (rate: number) => lineTop + lineH - rate * lineH;
  out.push(text(narrow ? 4 : 6, lineTop + 4, 'P(goal) at stage', `fill="${SUBTLE}"`));
  for (const tick of [0, 0.5, 1]) {
    out.push(
      `<line x1="${x0}" y1="${yOf(tick).toFixed(1)}" x2="${width - 10}" y2="${yOf(tick).toFixed(1)}" stroke="${GRID}" stroke-dasharray="3 3"/>`,
    );
    out.push(text(x0 + 2, yOf(tick) - 2, `${tick * 100}%`, `fill="${SUBTLE}" font-size="9"`));
  }
  lanes.forEach((p, i) => {
    if (p.empty) return;
    const color = LANE_COLORS[i % LANE_COLORS.length] as string;
    const points = p.stages.map(
      (s, k) => `${cx(k).toFixed(1)},${yOf(s.conversionRate).toFixed(1)}`,
    );
    out.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
    );
    p.stages.forEach((s, k) =>
      out.push(
        `<circle cx="${cx(k).toFixed(1)}" cy="${yOf(s.conversionRate).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${p.name} at ${s.stage}: ${pct(s.conversionRate)} reach the goal (${s.converted} of ${s.users})`)}</title></circle>`,
      ),
    );
  });
  // Legend under the line chart.
  let lx = x0 + 4;
  lanes.forEach((p, i) => {
    const color = LANE_COLORS[i % LANE_COLORS.length] as string;
    const label = fit(p.name, 18);
    out.push(`<rect x="${lx}" y="${laneTop - 22}" width="10" height="10" fill="${color}"/>`);
    out.push(text(lx + 14, laneTop - 13, label, `fill="${TEXT}"`));
    lx += 24 + label.length * 6.2;
  });
  // Lanes.
  lanes.forEach((p, i) =>
    lane(out, p, i, laneTop + i * laneH, { x0, colW, width, laneH, chars, narrow, cx }),
  );
  out.push('</svg>');
  return out.join('');
}

interface LaneGeometry {
  x0: number;
  colW: number;
  width: number;
  laneH: number;
  chars: number;
  narrow: boolean;
  cx: (k: number) => number;
}

function lane(out: string[], p: PersonaMap, i: number, top: number, g: LaneGeometry): void {
  const color = LANE_COLORS[i % LANE_COLORS.length] as string;
  out.push(
    `<line x1="0" y1="${top}" x2="${g.width}" y2="${top}" stroke="${color}" stroke-width="2"/>`,
  );
  const title = `${p.name} · ${p.users.toLocaleString('en-US')} users`;
  if (g.narrow) out.push(text(4, top + 13, fit(title, 60), `font-weight="bold" fill="${color}"`));
  else {
    out.push(text(6, top + 16, fit(p.name, 20), `font-weight="bold" fill="${color}"`));
    out.push(text(6, top + 30, `${p.users.toLocaleString('en-US')} users`, `fill="${SUBTLE}"`));
    if (p.overlapUsers > 0)
      out.push(
        text(6, top + 44, `${p.overlapUsers} also in another`, `fill="${SUBTLE}" font-size="10"`),
      );
  }
  if (p.empty) {
    out.push(
      text(
        g.x0 + 12,
        top + g.laneH / 2,
        'No users match this persona in the range.',
        `fill="${SUBTLE}" font-style="italic" font-size="12"`,
      ),
    );
    return;
  }
  const base = top + (g.narrow ? 22 : 8);
  p.stages.forEach((s, k) => {
    const left = g.x0 + g.colW * k + 6;
    const inner = g.colW - 12;
    out.push(
      text(
        left,
        base + 12,
        `${s.users.toLocaleString('en-US')} · ${pct(s.shareOfPersona)}`,
        `font-weight="bold" fill="${TEXT}"`,
      ),
    );
    chips(s).forEach((c, j) => {
      const y = base + 20 + j * 19;
      const w = Math.max(18, inner * c.share);
      out.push(
        `<rect x="${left.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="15" rx="7" fill="${color}" fill-opacity="0.18" stroke="${color}" stroke-opacity="0.5"><title>${esc(`${c.kind} ${c.label}: ${c.users} users (${pct(c.share)})`)}</title></rect>`,
      );
      out.push(text(left + 5, y + 11, fit(c.label, g.chars - 1), `fill="${TEXT}" font-size="10"`));
    });
    const moment = s.moments[0];
    const yM = base + 20 + 4 * 19 + 10;
    if (moment) {
      const up = moment.difference > 0;
      out.push(
        `<g><title>${esc(`Moment of truth at ${s.stage}: ${moment.kind} ${moment.label}: ${pct(moment.did.rate)} of ${moment.did.users} reach the goal vs ${pct(moment.didNot.rate)} of ${moment.didNot.users} who did not (95% ${pct(moment.interval[0])} to ${pct(moment.interval[1])})`)}</title>${text(left, yM, `${up ? '▲' : '▼'} ${fit(moment.label, g.chars - 9)} ${up ? '+' : ''}${(moment.difference * 100).toFixed(0)} pts`, `fill="${up ? GOOD : BAD}" font-size="10" font-weight="bold"`)}</g>`,
      );
    }
    const pain = s.painPoints[0];
    if (pain) {
      out.push(
        `<g><title>${esc(`Pain point at ${s.stage}: ${pain.label}: ${pain.users} users, ${pain.conversionsAtStake} conversions at stake`)}</title>${text(left, yM + 15, `! ${fit(pain.label, g.chars - 8)} ${pain.users}`, `fill="${BAD}" font-size="10"`)}</g>`,
      );
    }
  });
}
