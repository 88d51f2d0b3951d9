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

export function mapFromRows(
  spec: MapSpec,
  map: StageMap,
  personas: readonly Persona[],
  rows: readonly Row[],
  sql: string,
): JourneyMapResult {
  const stageNames = map.stages.map((s) => s.name);
  const of = (type: string, persona: number) =>
    rows.filter((r) => r.row_type === type && Number(r.persona) === persona);
  const num = (x: unknown) => Number(x ?? 0);
  const allUsers = num(of('persona', 0)[0]?.n);
  const entries = [
    { name: 'All users', description: 'Every user with an event in the range.' },
    ...personas.map((p) => ({ name: p.name, description: p.description })),
  ];
  const result: PersonaMap[] = entries.map((entry, index) => {
    const head = of('persona', index)[0];
    const users = num(head?.n);
    const stageRows = of('stage', index);
    const stageRow = (k: number) => stageRows.find((r) => Number(r.stage) === k);
    const stages: StageCell[] =
      users === 0
        ? []
        : stageNames.map((name, s) => {
            const k = s + 1;
            const row = stageRow(k);
            const stageUsers = num(row?.n);
            const converted = num(row?.converted);
            const rate = ratio(converted, stageUsers);
            const touches = of('touch', index)
              .filter((r) => Number(r.stage) === k)
              .map((r) => ({
                kind: String(r.kind) as TouchKind,
                label: String(r.label),
                users: num(r.n),
                converted: num(r.converted),
              }));
            const doing = Object.fromEntries(
              TOUCH_KINDS.map((kind) => [
                kind,
                touches
                  .filter((t) => t.kind === kind)
                  .slice(0, DOING_TOP)
                  .map((t) => ({
                    kind,
                    label: t.label,
                    users: t.users,
                    share: ratio(t.users, stageUsers),
                  })),
              ]),
            ) as StageCell['doing'];
            const last = k === stageNames.length;
            const progressed = last
              ? null
              : num(of('progress', index).find((r) => Number(r.stage) === k)?.n);
            const stake = (n: number) =>
              round(n * (stageUsers > 0 ? converted / stageUsers : 0), 2);
            const pains: PainPoint[] = [];
            if (progressed !== null && stageUsers - progressed > 0) {
              const lost = stageUsers - progressed;
              pains.push({
                stage: name,
                kind: 'drop_off',
                label: `left before ${stageNames[k] as string}`,
                users: lost,
                conversionsAtStake: stake(lost),
              });
            }
            for (const r of of('exit', index).filter((x) => Number(x.stage) === k)) {
              pains.push({
                stage: name,
                kind: 'exit_page',
                label: String(r.label),
                users: num(r.n),
                conversionsAtStake: stake(num(r.n)),
              });
            }
            for (const r of of('friction', index).filter((x) => Number(x.stage) === k)) {
              const signal = String(r.kind) as FrictionSignal;
              pains.push({
                stage: name,
                kind: signal,
                label: SIGNAL_LABELS[signal],
                users: num(r.n),
                conversionsAtStake: stake(num(r.n)),
              });
            }
            const medianRaw = row?.median_s;
            return {
              stage: name,
              users: stageUsers,
              shareOfPersona: ratio(stageUsers, users),
              medianSecondsSincePrevious:
                medianRaw === null || medianRaw === undefined ? null : round(Number(medianRaw), 3),
              converted,
              conversionRate: rate,
              progressed,
              doing,
              moments: momentsOfTruth(
                name,
                stageUsers,
                converted,
                touches,
                spec.minSupport,
                spec.momentsPerStage,
              ),
              painPoints: rankOpportunities(pains, stageNames),
            };
          });
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
  });
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
