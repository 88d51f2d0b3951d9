/** One scored user: the predicted P(goal), whether the goal came, the ranked next steps and the real one. */
export interface Scored {
  readonly p: number;
  readonly goal: boolean;
  readonly ranked: readonly string[];
  /** The step the user took next within the horizon; null when they took none. */
  readonly actual: string | null;
}

export interface CalibrationRow {
  readonly decile: number;
  readonly users: number;
  readonly predicted: number;
  readonly observed: number;
}

export interface Scores {
  readonly users: number;
  readonly goals: number;
  /** Mean negative log-likelihood (natural log); probabilities held inside [1e-6, 1 − 1e-6]. */
  readonly logLoss: number | null;
  readonly brier: number | null;
  /** Null when every user had the same outcome (no pair to rank). */
  readonly auc: number | null;
  /** Among users who took a next step: the share whose step was the top guess / in the top 3. */
  readonly movers: number;
  readonly top1: number | null;
  readonly top3: number | null;
  readonly calibration: CalibrationRow[];
  /** The goal rate of the tenth with the highest P(goal), over everyone's rate (ties shared). */
  readonly topDecileLift: number | null;
}

const EPS = 1e-6;
const mean = (xs: readonly number[]) =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;

export function logLoss(items: readonly Scored[]): number | null {
  return mean(
    items.map((s) => {
      const p = Math.min(1 - EPS, Math.max(EPS, s.p));
      return -(s.goal ? Math.log(p) : Math.log(1 - p));
    }),
  );
}

export function brier(items: readonly Scored[]): number | null {
  return mean(items.map((s) => (s.p - (s.goal ? 1 : 0)) ** 2));
}

/** The Mann–Whitney statistic: P(a random converter outranks a random non-converter), ties ½. */
export function auc(items: readonly Scored[]): number | null {
  const sorted = [...items].sort((a, b) => a.p - b.p);
  const positives = items.filter((s) => s.goal).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && (sorted[j] as Scored).p === (sorted[i] as Scored).p) j += 1;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1) if ((sorted[k] as Scored).goal) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Tenths by predicted P(goal), lowest first; user i of n (sorted) falls in tenth ⌊10·i / n⌋. */
export function calibration(items: readonly Scored[]): CalibrationRow[] {
  const sorted = [...items].sort((a, b) => a.p - b.p);
  const rows: CalibrationRow[] = [];
  for (let d = 0; d < 10; d += 1) {
    const from = Math.ceil((d * sorted.length) / 10);
    const to = Math.ceil(((d + 1) * sorted.length) / 10);
    const group = sorted.slice(from, to);
    if (group.length === 0) continue;
    rows.push({
      decile: d + 1,
      users: group.length,
      predicted: mean(group.map((s) => s.p)) as number,
      observed: group.filter((s) => s.goal).length / group.length,
    });
  }
  return rows;
}

/**
 * The goal rate among the tenth of users with the highest P(goal), over everyone's rate. Users tied
 * at the cut count in proportion (a random pick among equals), so a model that gives everyone the
 * same P has a lift of exactly 1 rather than whatever the input order gives.
 */
export function topDecileLift(items: readonly Scored[]): number | null {
  const goals = items.filter((s) => s.goal).length;
  if (items.length === 0 || goals === 0) return null;
  const sorted = [...items].sort((a, b) => b.p - a.p);
  const k = items.length / 10;
  let taken = 0;
  let converted = 0;
  for (let i = 0; i < sorted.length && taken < k;) {
    let j = i;
    while (j < sorted.length && (sorted[j] as Scored).p === (sorted[i] as Scored).p) j += 1;
    const group = sorted.slice(i, j);
    const share = Math.min(1, (k - taken) / group.length);
    taken += share * group.length;
    converted += share * group.filter((s) => s.goal).length;
    i = j;
  }
  return converted / k / (goals / items.length);
}

export function score(items: readonly Scored[]): Scores {
  const goals = items.filter((s) => s.goal).length;
  const movers = items.filter((s) => s.actual !== null);
  const hit = (k: number) =>
    movers.length
      ? movers.filter((s) => s.ranked.slice(0, k).includes(s.actual as string)).length /
        movers.length
      : null;
  return {
    users: items.length,
    goals,
    logLoss: logLoss(items),
    brier: brier(items),
    auc: auc(items),
    movers: movers.length,
    top1: hit(1),
    top3: hit(3),
    calibration: calibration(items),
    topDecileLift: topDecileLift(items),
  };
}
