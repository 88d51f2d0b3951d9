import type { Row } from '../../engines/normalize.js';
import type { Persona } from '../personas/personaSpec.js';
import type { StageMap } from '../stages/stageMap.js';
import {
  TOUCH_KINDS,
  type FrictionSignal,
  type JourneyMapResult,
  type MomentOfTruth,
  type PainPoint,
  type PersonaMap,
  type StageCell,
  type TouchKind,
} from './journeyMap.js';
import type { MapSpec } from './mapSpec.js';
import { differenceInterval } from './wilson.js';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);
const DOING_TOP = 5;
/** Code-unit order, as the query orders labels, so ties read the same everywhere. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Moments of truth of one stage from its touch counts: supported both ways, largest |difference| first. */
export function momentsOfTruth(
  stage: string,
  stageUsers: number,
  stageConverted: number,
  touches: readonly { kind: TouchKind; label: string; users: number; converted: number }[],
  minSupport: number,
  limit: number,
): MomentOfTruth[] {
  return touches
    .map((t) => {
      const notUsers = stageUsers - t.users;
      const notConverted = stageConverted - t.converted;
      const difference =
        t.users > 0 && notUsers > 0 ? t.converted / t.users - notConverted / notUsers : 0;
      return { t, notUsers, notConverted, difference };
    })
    .filter((m) => m.t.users >= minSupport && m.notUsers >= minSupport && m.difference !== 0)
    .sort(
      (a, b) =>
        Math.abs(b.difference) - Math.abs(a.difference) ||
        b.t.users - a.t.users ||
        byText(a.t.kind, b.t.kind) ||
        byText(a.t.label, b.t.label),
    )
    .slice(0, limit)
    .map(({ t, notUsers, notConverted, difference }) => {
      const [lo, hi] = differenceInterval(t.converted, t.users, notConverted, notUsers);
      return {
        stage,
        kind: t.kind,
        label: t.label,
        did: { users: t.users, converted: t.converted, rate: ratio(t.converted, t.users) },
        didNot: { users: notUsers, converted: notConverted, rate: ratio(notConverted, notUsers) },
        difference: round(difference),
        interval: [round(lo), round(hi)] as [number, number],
      };
    });
}

/** Pain points most conversions at stake first (ties: more users, the earlier stage, the label). */
export function rankOpportunities(
  points: readonly PainPoint[],
  stages: readonly string[],
): PainPoint[] {
  return [...points].sort(
    (a, b) =>
      b.conversionsAtStake - a.conversionsAtStake ||
      b.users - a.users ||
      stages.indexOf(a.stage) - stages.indexOf(b.stage) ||
      byText(a.kind, b.kind) ||
      byText(a.label, b.label),
  );
}

const SIGNAL_LABELS: Record<FrictionSignal, string> = {
  repeated_search: 'searched again',
  repeated_checkout: 'repeated a checkout step',
  form_abandoned: 'started a form without submitting',
  error_page: 'saw an error or not-found page',
  long_gap: 'long gap inside a session',
};

/** The query's rows of one type for one persona (0 is all users). */
type RowsOf = (type: string, persona: number) => Row[];
const num = (x: unknown) => Number(x ?? 0);

interface Touch {
  kind: TouchKind;
  label: string;
  users: number;
  converted: number;
}

/** The top touchpoints of each kind at a stage, with their share of the stage's users. */
function doingOf(touches: readonly Touch[], stageUsers: number): StageCell['doing'] {
  return Object.fromEntries(
    TOUCH_KINDS.map((kind) => [
      kind,
      touches
        .filter((t) => t.kind === kind)
        .slice(0, DOING_TOP)
        .map((t) => ({ kind, label: t.label, users: t.users, share: ratio(t.users, stageUsers) })),
    ]),
  ) as StageCell['doing'];
}

/** What a stage loses: drop-off to the next stage, exit pages, friction signals. */
function painPointsOf(
  of: RowsOf,
  persona: number,
  stageNames: readonly string[],
  k: number,
  cell: { users: number; converted: number; progressed: number | null },
): PainPoint[] {
  const stage = stageNames[k - 1] as string;
  // Conversions at stake: the users lost times the stage's own conversion rate.
  const stake = (n: number) => round(n * (cell.users > 0 ? cell.converted / cell.users : 0), 2);
  const atStage = (type: string) => of(type, persona).filter((x) => Number(x.stage) === k);
  const pains: PainPoint[] = [];
  if (cell.progressed !== null && cell.users - cell.progressed > 0) {
    const lost = cell.users - cell.progressed;
    const next = stageNames[k] as string;
    pains.push({
      stage,
      kind: 'drop_off',
      label: `left before ${next}`,
      users: lost,
      conversionsAtStake: stake(lost),
    });
  }
  for (const r of atStage('exit')) {
    const users = num(r.n);
    pains.push({
      stage,
      kind: 'exit_page',
      label: String(r.label),
      users,
      conversionsAtStake: stake(users),
    });
  }
  for (const r of atStage('friction')) {
    const signal = String(r.kind) as FrictionSignal;
    const users = num(r.n);
    pains.push({
      stage,
      kind: signal,
      label: SIGNAL_LABELS[signal],
      users,
      conversionsAtStake: stake(users),
    });
  }
  return pains;
}

/** One stage of one persona: who, doing, moments of truth, pain points. */
function stageCell(
  spec: MapSpec,
  of: RowsOf,
  persona: number,
  personaUsers: number,
  stageNames: readonly string[],
  k: number,
): StageCell {
  const name = stageNames[k - 1] as string;
  const row = of('stage', persona).find((r) => Number(r.stage) === k);
  const users = num(row?.n);
  const converted = num(row?.converted);
  const touches: Touch[] = of('touch', persona)
    .filter((r) => Number(r.stage) === k)
    .map((r) => ({
      kind: String(r.kind) as TouchKind,
      label: String(r.label),
      users: num(r.n),
      converted: num(r.converted),
    }));
  const progressed =
    k === stageNames.length
      ? null
      : num(of('progress', persona).find((r) => Number(r.stage) === k)?.n);
  const medianRaw = row?.median_s;
  const pains = painPointsOf(of, persona, stageNames, k, { users, converted, progressed });
  return {
    stage: name,
    users,
    shareOfPersona: ratio(users, personaUsers),
    medianSecondsSincePrevious:
      medianRaw === null || medianRaw === undefined ? null : round(Number(medianRaw), 3),
    converted,
    conversionRate: ratio(converted, users),
    progressed,
    doing: doingOf(touches, users),
    moments: momentsOfTruth(name, users, converted, touches, spec.minSupport, spec.momentsPerStage),
    painPoints: rankOpportunities(pains, stageNames),
  };
}

/** One persona's (or all users') column set, from its rows. */
function personaMap(
  spec: MapSpec,
  of: RowsOf,
  stageNames: readonly string[],
  allUsers: number,
  entry: { name: string; description: string },
  index: number,
): PersonaMap {
  const head = of('persona', index)[0];
  const users = num(head?.n);
  const stages =
    users === 0
      ? []
      : stageNames.map((_name, s) => stageCell(spec, of, index, users, stageNames, s + 1));
  return {
    name: entry.name,
    description: entry.description,
    users,
    shareOfAll: ratio(users, allUsers),
    converted: num(head?.converted),
    overlapUsers: index === 0 ? 0 : num(of('overlap', index)[0]?.n),
    empty: users === 0,
    stages,
    opportunities: rankOpportunities(
      stages.flatMap((s) => s.painPoints),
      stageNames,
    ).slice(0, 5),
  };
}

/** The journey map from the query's rows: per persona and stage, and how far the personas overlap. */
export function mapFromRows(
  spec: MapSpec,
  map: StageMap,
  personas: readonly Persona[],
  rows: readonly Row[],
  sql: string,
): JourneyMapResult {
  const stageNames = map.stages.map((s) => s.name);
  const of: RowsOf = (type, persona) =>
    rows.filter((r) => r.row_type === type && Number(r.persona) === persona);
  const allUsers = num(of('persona', 0)[0]?.n);
  const entries = [
    { name: 'All users', description: 'Every user with an event in the range.' },
    ...personas.map((p) => ({ name: p.name, description: p.description })),
  ];
  const result = entries.map((entry, index) =>
    personaMap(spec, of, stageNames, allUsers, entry, index),
  );
  const together = result.slice(1).reduce((n, p) => n + p.users, 0);
  const several = num(of('overlap', 0)[0]?.n);
  return {
    dateRange: spec.dateRange as { start: string; end: string },
    goal: spec.goal,
    stages: stageNames,
    minSupport: spec.minSupport,
    personas: result,
    // Users counted once: the personas' users together, less the repeats of those in several.
    overlap:
      personas.length < 2
        ? null
        : {
            users: several,
            share: ratio(
              several,
              together - (result.slice(1).reduce((n, p) => n + p.overlapUsers, 0) - several),
            ),
          },
    sql,
  };
}
