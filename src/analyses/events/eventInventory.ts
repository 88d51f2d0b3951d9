import type { Engine } from '../../engines/engine.js';
import type { Row } from '../../engines/normalize.js';
import { runQuery } from '../../sql/runQuery.js';
import { dateRangeParams, type DateRange } from '../../sql/vocabulary/dateRange.js';

export interface ParamValueCount {
  readonly value: string | number | null;
  readonly type: 'string' | 'int' | 'double' | 'float' | 'null';
  readonly events: number;
}

export interface EventParamKey {
  readonly key: string;
  readonly events: number;
  readonly topValues: ParamValueCount[];
}

export interface EventSummary {
  readonly name: string;
  readonly events: number;
  readonly users: number;
  readonly eventsWithoutUser: number;
  readonly days: number;
  readonly params: EventParamKey[];
}

export interface EventInventory {
  readonly dateRange: DateRange;
  readonly events: EventSummary[];
}

/** The events a property records, with their parameter keys and most common values. */
export async function eventInventory(
  engine: Engine,
  dateRange: DateRange,
  options: { topValues?: number; includeIntraday?: boolean } = {},
): Promise<EventInventory> {
  const params = dateRangeParams(dateRange, options.includeIntraday);
  const [counts, values] = await Promise.all([
    runQuery(engine, 'event_counts', params),
    runQuery(engine, 'event_param_values', { ...params, top_values: options.topValues ?? 10 }),
  ]);
  const keysByEvent = new Map<string, Map<string, EventParamKey>>();
  for (const row of values.rows) {
    const keys = keysByEvent.get(String(row.event_name)) ?? new Map<string, EventParamKey>();
    keysByEvent.set(String(row.event_name), keys);
    const key = String(row.key);
    let entry = keys.get(key);
    if (!entry) {
      entry = { key, events: Number(row.key_events), topValues: [] };
      keys.set(key, entry);
    }
    entry.topValues.push({
      value: valueOf(row),
      type: row.value_type as ParamValueCount['type'],
      events: Number(row.events),
    });
  }
  return {
    dateRange,
    events: counts.rows.map((row) => ({
      name: String(row.event_name),
      events: Number(row.events),
      users: Number(row.users),
      eventsWithoutUser: Number(row.events_without_user),
      days: Number(row.days),
      params: [...(keysByEvent.get(String(row.event_name))?.values() ?? [])],
    })),
  };
}

function valueOf(row: Row): string | number | null {
  switch (row.value_type) {
    case 'string':
      return row.string_value as string;
    case 'int':
      return row.int_value as number;
    case 'double':
    case 'float':
      return row.double_value as number;
    default:
      return null;
  }
}
