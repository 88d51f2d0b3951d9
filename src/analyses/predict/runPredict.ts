import type { Engine } from '../../engines/engine.js';
import type { Row } from '../../engines/normalize.js';
import { runQuery } from '../../sql/runQuery.js';
import type { Goal } from '../goals/goal.js';
import { ContextModel, type NextGuess } from './contextModel.js';
import { predictQuery, predictWindow, type PredictWindow } from './predictQuery.js';
import type { PredictSpec } from './predictSpec.js';
import { score, type Scored, type Scores } from './scores.js';

export interface UserPrediction {
  readonly user: string;
  /** The latest stage reached before the cutoff (stage map order), or null. */
  readonly stage: string | null;
  /** The user's latest step, and the two before it (older last). */
  readonly node: string;
  readonly context: string[];
  readonly lastSeen: string;
  /** The context length the model used for this user (0: the overall rate) and its support. */
  readonly order: number;
  readonly support: number;
  readonly next: NextGuess[];
  readonly goalProbability: number;
}

export interface BacktestResult {
  /** The backtest's cutoff t: fitted on [t − train, t), scored on what users did in [t, t + H). */
  readonly cutoff: string;
  readonly trainFrom: string;
  readonly horizonEnd: string;
  readonly trainingPositions: number;
  readonly model: Scores;
  /** Everyone gets the training positions' goal rate and the commonest next steps. */
  readonly overall: Scores;
  /** The current step alone (order 1, same back-off). */
  readonly firstOrder: Scores;
  readonly beatsOverall: { readonly logLoss: boolean; readonly brier: boolean };
  /** In words: whether the model beats the overall rate, as scored. */
  readonly verdict: string;
}

export interface PredictResult {
  readonly goal: string;
  readonly nodeType: PredictSpec['nodeType'];
  readonly cutoff: string;
  readonly trainFrom: string;
  readonly activeFrom: string;
  readonly horizonDays: number;
  readonly maxOrder: number;
  readonly minSupport: number;
  readonly trainingPositions: number;
  readonly users: UserPrediction[];
  readonly backtest: BacktestResult;
  readonly sql: { contexts: string; users: string };
}

/**
 * Below this many converters among the scored users, one more or less moves every score: the
 * verdict says the comparison is not settled.
 */
const FEW_GOALS = 10;

const iso = (us: number) => new Date(us / 1000).toISOString();
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Stage nodes come back as the stage's number; everything shown carries its name. */
function naming(spec: PredictSpec, stageNames: readonly string[]) {
  const stage = (v: unknown) => {
    const s = text(v);
    return s === null ? null : (stageNames[Number(s) - 1] ?? s);
  };
  const node = spec.nodeType === 'stage' ? stage : text;
  return {
    stage,
    rows: (rows: readonly Row[]): Row[] =>
      rows.map((r) => ({
        ...r,
        c1: node(r.c1),
        c2: node(r.c2),
        c3: node(r.c3),
        next_node: node(r.next_node),
      })),
  };
}

async function fitAndPlace(
  engine: Engine,
  spec: PredictSpec,
  window: PredictWindow,
  goals: ReadonlyMap<string, Goal>,
  timeoutMs: number | undefined,
) {
  const q = predictQuery(spec, window, goals);
  const options = { context: q.context, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  const contexts = await runQuery(engine, 'predict_contexts', q.contexts, options);
  const users = await runQuery(engine, 'predict_users', q.users, options);
  const names = naming(
    spec,
    q.stageMap.stages.map((s) => s.name),
  );
  return {
    goal: q.goal.event,
    contextRows: names.rows(contexts.rows),
    userRows: names
      .rows(users.rows)
      .map((r, i): Row => ({ ...r, stage: names.stage(users.rows[i]?.stage) })),
    sql: { contexts: contexts.sql, users: users.sql },
  };
}

const contextOf = (r: Row) => [text(r.c1), text(r.c2), text(r.c3)];

/** Scores the model and both baselines on users placed at the backtest's cutoff (pure: rows in). */
export function backtestFromRows(
  spec: PredictSpec,
  window: PredictWindow,
  contextRows: readonly Row[],
  userRows: readonly Row[],
): BacktestResult {
  const model = ContextModel.fit(contextRows, spec.maxOrder, spec.minSupport);
  const first = ContextModel.fit(contextRows, 1, spec.minSupport);
  const overall = ContextModel.fit(contextRows, 0, spec.minSupport);
  const scoreWith = (m: ContextModel) =>
    score(
      userRows.map((r): Scored => {
        const p = m.predict(contextOf(r));
        return {
          p: p.goal,
          goal: r.goal === true,
          ranked: p.next.map((n) => n.node),
          actual: text(r.next_node),
        };
      }),
    );
  const scores = {
    model: scoreWith(model),
    overall: scoreWith(overall),
    firstOrder: scoreWith(first),
  };
  const beats = {
    logLoss:
      scores.model.logLoss !== null &&
      scores.overall.logLoss !== null &&
      scores.model.logLoss < scores.overall.logLoss,
    brier:
      scores.model.brier !== null &&
      scores.overall.brier !== null &&
      scores.model.brier < scores.overall.brier,
  };
  const verdict =
    scores.model.users === 0
      ? 'No user was active before the backtest cutoff: nothing to score.'
      : scores.model.goals === 0
        ? 'No scored user reached the goal within the horizon: the scores only reward predicting low, and there is nothing to rank; the backtest cannot tell whether the model beats the overall rate.'
        : beats.logLoss && beats.brier
          ? 'The model beats the overall rate on log loss and Brier score.'
          : beats.logLoss || beats.brier
            ? `The model beats the overall rate on ${beats.logLoss ? 'log loss' : 'Brier score'} only, not on ${beats.logLoss ? 'Brier score' : 'log loss'}.`
            : 'The model does not beat the overall rate: its P(goal) is no better than giving everyone the same rate.';
  const goals = scores.model.goals;
  const caveat =
    goals > 0 && goals < FEW_GOALS
      ? ` Only ${goals} scored user${goals === 1 ? '' : 's'} reached the goal, too few for these scores to settle it either way.`
      : '';
  return {
    cutoff: iso(window.cutoffUs),
    trainFrom: iso(window.trainFromUs),
    horizonEnd: iso(window.cutoffUs + window.horizonUs),
    trainingPositions: model.positions,
    ...scores,
    beatsOverall: beats,
    verdict: verdict + caveat,
  };
}

/**
 * Fits on [T − train, T) and predicts for users active in [T − active, T), T the end of `asOf`
 * (today by default); and, every time, the same fit H days earlier scored on what happened next.
 */
export async function runPredict(
  engine: Engine,
  spec: PredictSpec,
  options: { goals?: ReadonlyMap<string, Goal>; timeoutMs?: number; now?: Date } = {},
): Promise<PredictResult> {
  const goals = options.goals ?? new Map();
  const asOf = spec.asOf ?? (options.now ?? new Date()).toISOString().slice(0, 10);
  const window = predictWindow(spec, asOf);
  const backWindow = predictWindow(spec, asOf, spec.horizonDays);
  const back = await fitAndPlace(engine, spec, backWindow, goals, options.timeoutMs);
  const now = await fitAndPlace(engine, spec, window, goals, options.timeoutMs);
  const model = ContextModel.fit(now.contextRows, spec.maxOrder, spec.minSupport);
  const users = now.userRows.map((r): UserPrediction => {
    const p = model.predict(contextOf(r));
    return {
      user: String(r.user_pseudo_id),
      stage: text(r.stage),
      node: String(r.c1),
      context: [r.c2, r.c3].filter((c) => c !== null && c !== undefined).map(String),
      lastSeen: iso(Number(r.last_us)),
      order: p.order,
      support: p.support,
      next: p.next,
      goalProbability: p.goal,
    };
  });
  return {
    goal: now.goal,
    nodeType: spec.nodeType,
    cutoff: iso(window.cutoffUs),
    trainFrom: iso(window.trainFromUs),
    activeFrom: iso(window.activeFromUs),
    horizonDays: spec.horizonDays,
    maxOrder: spec.maxOrder,
    minSupport: spec.minSupport,
    trainingPositions: model.positions,
    users,
    backtest: backtestFromRows(spec, backWindow, back.contextRows, back.userRows),
    sql: now.sql,
  };
}
