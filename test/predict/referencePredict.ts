import type { EventRow } from '../support/loadRows.js';

/**
 * An independent reading of sql/predict_contexts.sql for event nodes, one user at a time in plain
 * loops: sort the user's events before the cutoff, drop the excluded ones as steps, merge
 * consecutive repeats into runs (a run stands at its last event), and for each run that is a
 * training position count its context of 1 to 3 runs, the next run's node if it began within the
 * horizon, and whether a goal event came after it within the horizon.
 */
export function referenceContexts(
  rows: readonly EventRow[],
  o: { goal: string; exclude: string[]; cutoffUs: number; trainFromUs: number; horizonUs: number },
) {
  const byUser = new Map<string, EventRow[]>();
  for (const r of rows) {
    if (r.user_pseudo_id === null || r.user_pseudo_id === undefined) continue;
    if (Number(r.event_timestamp) >= o.cutoffUs) continue;
    const list = byUser.get(String(r.user_pseudo_id)) ?? [];
    list.push(r);
    byUser.set(String(r.user_pseudo_id), list);
  }
  const counts = new Map<string, { positions: number; goals: number }>();
  for (const events of byUser.values()) {
    events.sort(
      (a, b) =>
        Number(a.event_timestamp) - Number(b.event_timestamp) ||
        Number(a.batch_ordering_id ?? 0) - Number(b.batch_ordering_id ?? 0) ||
        Number(a.batch_event_index ?? 0) - Number(b.batch_event_index ?? 0) ||
        (String(a.event_name) < String(b.event_name)
          ? -1
          : String(a.event_name) > String(b.event_name)
            ? 1
            : 0),
    );
    const steps: { node: string; index: number; us: number }[] = [];
    events.forEach((e, index) => {
      const name = String(e.event_name);
      if (!o.exclude.includes(name))
        steps.push({ node: name, index, us: Number(e.event_timestamp) });
    });
    const runs: {
      node: string;
      index: number;
      us: number;
      nextNode: string | null;
      nextUs: number | null;
    }[] = [];
    steps.forEach((step, k) => {
      const after = steps[k + 1];
      if (after && after.node === step.node) return;
      runs.push({ ...step, nextNode: after?.node ?? null, nextUs: after?.us ?? null });
    });
    runs.forEach((run, k) => {
      if (run.us < o.trainFromUs || run.us + o.horizonUs > o.cutoffUs) return;
      const goalAfter = events
        .slice(run.index + 1)
        .find((e) => e.event_name === o.goal && Number(e.event_timestamp) < run.us + o.horizonUs);
      const next = run.nextUs !== null && run.nextUs < run.us + o.horizonUs ? run.nextNode : null;
      const context = [run.node, runs[k - 1]?.node, runs[k - 2]?.node];
      for (let order = 1; order <= 3; order += 1) {
        const c = context.slice(0, order);
        if (c.some((x) => x === undefined)) break;
        const key = JSON.stringify([order, c[0] ?? null, c[1] ?? null, c[2] ?? null, next]);
        const entry = counts.get(key) ?? { positions: 0, goals: 0 };
        entry.positions += 1;
        if (goalAfter) entry.goals += 1;
        counts.set(key, entry);
      }
    });
  }
  return [...counts.entries()]
    .map(([key, v]) => {
      const [order, c1, c2, c3, next] = JSON.parse(key) as [
        number,
        string,
        string | null,
        string | null,
        string | null,
      ];
      return { context_order: order, c1, c2, c3, next_node: next, ...v };
    })
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
