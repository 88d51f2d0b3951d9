import {
  TOUCH_KINDS,
  type JourneyMapResult,
  type PainPoint,
  type StageCell,
} from '../../analyses/map/journeyMap.js';
import { journeyMapChart } from '../../render/journeyMapChart.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const int = (n: number) => n.toLocaleString('en-US');

/** Seconds as a person reads them: 45 s, 12 min, 3.5 h, 2.1 d. */
export function duration(s: number | null): string {
  if (s === null) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}

const KIND_WORDS: Record<string, string> = {
  channel: 'channel',
  page: 'page',
  event: 'event',
  search: 'searched',
  item: 'item',
  title: 'page title',
};

const painText = (p: PainPoint) =>
  `${p.label}: ${int(p.users)} users, ${p.conversionsAtStake.toFixed(1)} conversions at stake`;

/** What a stage's users did there: the top two of each kind, most users first. */
function doing(cell: StageCell): string[] {
  return TOUCH_KINDS.flatMap((kind) =>
    cell.doing[kind]
      .slice(0, 2)
      .map((t) => `${KIND_WORDS[kind] ?? kind} ${t.label} (${int(t.users)}, ${pct(t.share)})`),
  );
}

/** The map's page context: the SVG, and per persona a row per stage with the five questions. */
export function mapView(result: JourneyMapResult) {
  return {
    svg: journeyMapChart(result, { width: Math.max(960, 170 * result.stages.length + 140) }),
    goal: result.goal,
    range: `${result.dateRange.start} to ${result.dateRange.end}`,
    minSupport: result.minSupport,
    overlap: result.overlap
      ? `${int(result.overlap.users)} users (${pct(result.overlap.share)} of the personas' users) are in more than one persona.`
      : '',
    lanes: result.personas.map((p, index) => ({
      index,
      name: p.name,
      description: p.description,
      users: int(p.users),
      share: pct(p.shareOfAll),
      converted: int(p.converted),
      overlap: p.overlapUsers > 0 ? `${int(p.overlapUsers)} also in another persona` : '',
      empty: p.empty,
      stages: p.stages.map((s) => ({
        stage: s.stage,
        who: `${int(s.users)} users · ${pct(s.shareOfPersona)} of the persona`,
        usersCount: s.users,
        median: duration(s.medianSecondsSincePrevious),
        conversion: `${pct(s.conversionRate)} reach ${result.goal}`,
        doing: doing(s),
        moments: s.moments.map((m) => ({
          up: m.difference > 0,
          text: `${KIND_WORDS[m.kind] ?? m.kind} ${m.label}: ${pct(m.did.rate)} of ${int(m.did.users)} who did it vs ${pct(m.didNot.rate)} of ${int(m.didNot.users)} who did not (95% ${pct(m.interval[0])} to ${pct(m.interval[1])})`,
        })),
        pains: s.painPoints.slice(0, 4).map(painText),
      })),
      opportunities: p.opportunities.map((o) => `${o.stage}: ${painText(o)}`),
    })),
    sql: result.sql,
  };
}
