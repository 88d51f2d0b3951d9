import type { Engine, ParamType, Params } from '../engines/engine.js';
import { conditionSlots, type CondContext } from './vocabulary/conditionSlots.js';
import type { Condition } from './vocabulary/condition.js';
import type { Segment } from './vocabulary/segment.js';
import type { Identity } from './vocabulary/identity.js';

/** At most this many report-wide filters, and conditions in a scope's segment. */
export const MAX_SCOPE_CONDITIONS = 10;

/**
 * The events a run may read: filters every event must meet, and optionally a segment (the users, or
 * sessions, with at least one event in the range meeting it). Applied inside `{{events}}`, so every
 * query reads the same subset and no query needs to know about it.
 */
export interface EventScope {
  readonly filters: readonly Condition[];
  readonly segment?: Pick<Segment, 'scope' | 'event' | 'where'>;
  /** Whose journey each event belongs to; `device` (the export as it is) when absent. */
  readonly identity?: Identity;
}

/** An engine whose queries all read only the events of `scope` (the base engine's owner closes it). */
export interface ScopedEngine extends Engine {
  readonly eventScope: EventScope;
}

/** Scoping a scoped engine replaces its scope: callers pass the whole scope they want. */
export function scopeEngine(engine: Engine, scope: EventScope): ScopedEngine {
  return {
    kind: engine.kind,
    target: engine.target,
    eventScope: scope,
    query: (sql, params, options) => engine.query(sql, params, options),
    close: () => Promise.resolve(),
  };
}

export const eventScopeOf = (engine: Engine): EventScope | undefined =>
  'eventScope' in engine ? (engine as ScopedEngine).eventScope : undefined;

/** The engine with its scope kept and `identity` set: how an analysis applies its spec's identity. */
export const withIdentity = (engine: Engine, identity: Identity): ScopedEngine =>
  scopeEngine(engine, { ...(eventScopeOf(engine) ?? { filters: [] }), identity });

export const isEmptyScope = (scope: EventScope | undefined): boolean =>
  !scope ||
  (scope.filters.length === 0 && !scope.segment && (scope.identity ?? 'device') === 'device');

/** The template context of `sql/partials/event_scope.sql` and the values and types it binds. */
export interface ScopeSlots {
  readonly context: {
    filters: CondContext[];
    segment: { session: boolean; hasEvent: boolean; where: CondContext[] } | false;
  };
  readonly params: Params;
  readonly types: Record<string, ParamType>;
}

const SLOT_TYPES: Record<string, ParamType> = {
  key: 'STRING',
  s: 'STRING',
  n: 'FLOAT64',
  n2: 'FLOAT64',
  list: 'ARRAY<STRING>',
  nums: 'ARRAY<FLOAT64>',
};

/** Filters fill the slots `@f1_*`.., a segment's conditions `@g1_*`.. and its event `@scope_event`. */
export function scopeSlots(scope: EventScope): ScopeSlots {
  const filterSlots = conditionSlots(MAX_SCOPE_CONDITIONS, 'report filter list', 'f');
  const filters = scope.filters.map((c, i) => filterSlots.add(c, `filters[${i}]`));
  const segSlots = conditionSlots(MAX_SCOPE_CONDITIONS, 'segment', 'g');
  const seg = scope.segment;
  const segment = seg
    ? {
        session: seg.scope === 'session',
        hasEvent: seg.event !== undefined,
        where: (seg.where ?? []).map((c, i) => segSlots.add(c, `segment.where[${i}]`)),
      }
    : (false as const);
  const params: Params = {};
  const types: Record<string, ParamType> = {};
  const keep = (all: Record<string, unknown>, prefix: string, used: number) => {
    for (let n = 1; n <= used; n++) {
      for (const [suffix, type] of Object.entries(SLOT_TYPES)) {
        const name = `${prefix}${n}_${suffix}`;
        params[name] = all[name] as Params[string];
        types[name] = type;
      }
    }
  };
  keep(filterSlots.params, 'f', filters.length);
  if (segment) {
    keep(segSlots.params, 'g', segment.where.length);
    params.scope_event = seg?.event ?? null;
    types.scope_event = 'STRING';
  }
  return { context: { filters, segment }, params, types };
}
