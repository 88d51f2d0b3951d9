import type { Row } from '../../engines/normalize.js';

/** Counts behind one context: positions, the goal within the horizon, and each next node. */
interface ContextCounts {
  positions: number;
  goals: number;
  /** Next node → positions; the key `null` is "no new step within the horizon". */
  readonly next: Map<string | null, number>;
}

export interface NextGuess {
  readonly node: string;
  /** P(the next step within the horizon is this node). */
  readonly probability: number;
}

export interface Prediction {
  /** The context length used: 3, 2 or 1 steps, or 0 (every position: the overall rate). */
  readonly order: number;
  /** Training positions behind the context used. */
  readonly support: number;
  /** P(goal within the horizon), shrunk toward the shorter context's by one pseudo-position. */
  readonly goal: number;
  /** Real nodes, likeliest first (ties by name). */
  readonly next: NextGuess[];
  /** P(no new step within the horizon). */
  readonly none: number;
}

const SEP = '\u001f';
const keyOf = (nodes: readonly string[]) => nodes.join(SEP);

/**
 * A variable-order Markov model over node contexts: for a user whose last steps are c1 (latest),
 * c2, c3, it uses the longest context up to `maxOrder` with at least `minSupport` training
 * positions, and backs off to shorter ones (down to every position) when support is short.
 */
export class ContextModel {
  private readonly tables: Map<string, ContextCounts>[] = [
    new Map(),
    new Map(),
    new Map(),
    new Map(),
  ];

  private constructor(
    readonly maxOrder: number,
    readonly minSupport: number,
  ) {}

  /** From the rows of sql/predict_contexts.sql (order 1 rows also make the order-0 totals). */
  static fit(rows: readonly Row[], maxOrder: number, minSupport: number): ContextModel {
    const model = new ContextModel(maxOrder, minSupport);
    for (const r of rows) {
      const order = Number(r.context_order);
      const next = r.next_node === null || r.next_node === undefined ? null : String(r.next_node);
      if (order === 1) model.add(0, '', next, Number(r.positions), Number(r.goals));
      if (order > maxOrder) continue;
      const context = [r.c1, r.c2, r.c3].slice(0, order).map(String);
      model.add(order, keyOf(context), next, Number(r.positions), Number(r.goals));
    }
    return model;
  }

  private add(order: number, key: string, next: string | null, positions: number, goals: number) {
    const table = this.tables[order] as Map<string, ContextCounts>;
    const counts = table.get(key) ?? { positions: 0, goals: 0, next: new Map() };
    counts.positions += positions;
    counts.goals += goals;
    counts.next.set(next, (counts.next.get(next) ?? 0) + positions);
    table.set(key, counts);
  }

  /** Training positions in all: the overall rate's support. */
  get positions(): number {
    return this.tables[0]?.get('')?.positions ?? 0;
  }

  predict(context: readonly (string | null)[], top = 3): Prediction {
    const known = context.slice(0, this.maxOrder);
    const firstMissing = known.findIndex((c) => c === null || c === undefined);
    const usable = (firstMissing === -1 ? known : known.slice(0, firstMissing)) as string[];
    // The goal estimate of each order from 0 up, each shrunk toward the one below it.
    let goal = 0;
    let chosen: { order: number; counts: ContextCounts } | undefined;
    for (let order = 0; order <= usable.length; order += 1) {
      const counts = this.tables[order]?.get(keyOf(usable.slice(0, order)));
      if (!counts || counts.positions === 0) break;
      if (order > 0 && counts.positions < this.minSupport) break;
      goal =
        order === 0
          ? counts.goals / counts.positions
          : (counts.goals + goal) / (counts.positions + 1);
      chosen = { order, counts };
    }
    if (!chosen) return { order: 0, support: 0, goal: 0, next: [], none: 1 };
    const { counts } = chosen;
    const next = [...counts.next.entries()]
      .filter((e): e is [string, number] => e[0] !== null)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, top)
      .map(([node, n]) => ({ node, probability: n / counts.positions }));
    return {
      order: chosen.order,
      support: counts.positions,
      goal,
      next,
      none: (counts.next.get(null) ?? 0) / counts.positions,
    };
  }
}
