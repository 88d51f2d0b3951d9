import type { Engine } from './engine.js';

/**
 * The engine with every query a dry run: checked and its bytes estimated, nothing run, no rows.
 * An analysis run on it asks for every query it would run, so their bytes add up to its cost.
 * Its owner closes the engine it wraps.
 */
export function dryRunEngine(engine: Engine): Engine {
  return {
    kind: engine.kind,
    target: engine.target,
    query: (sql, params, options) => engine.query(sql, params, { ...options, dryRun: true }),
    close: () => Promise.resolve(),
  };
}
