import { createHash } from 'node:crypto';
import { ImportError } from '../../errors/errors.js';
import { EVENTS_SCHEMA, type Field } from '../../schema/ga4Schema.js';
import type { CsvRecord } from './csvRecords.js';

/** A typed parameter value as the export stores it: exactly one of the values set. */
export interface ParamValueJson {
  string_value: string | null;
  int_value: number | null;
  float_value: null;
  double_value: number | null;
}

/** One offline event in the export's event shape, plus the key that makes re-imports idempotent. */
export interface OfflineEventRow {
  readonly event_date: string;
  readonly event_timestamp: number;
  readonly event_name: string;
  readonly event_params: { key: string; value: ParamValueJson }[];
  readonly user_id: string | null;
  readonly user_pseudo_id: string | null;
  readonly user_properties: {
    key: string;
    value: ParamValueJson & { set_timestamp_micros: number };
  }[];
  readonly platform: 'OFFLINE';
  readonly ecommerce: {
    purchase_revenue: number | null;
    transaction_id: string | null;
  } | null;
  readonly items: Record<string, unknown>[];
  readonly content_key: string;
}

/** What offline rows carry on `platform`, so queries can tell them from web events. */
export const OFFLINE_PLATFORM = 'OFFLINE';

type Column =
  | { kind: 'client_id' | 'user_id' | 'timestamp_micros' | 'event_name' | 'measurement_id' }
  | { kind: 'event_param' | 'user_property'; name: string }
  | { kind: 'item'; index: number; field: string };

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const FIXED = ['client_id', 'user_id', 'timestamp_micros', 'event_name', 'measurement_id'] as const;
const ITEM_FIELDS = new Map(
  (
    (EVENTS_SCHEMA.find((f) => f.name === 'items') as Extract<Field, { type: 'STRUCT' }>)
      .fields as Field[]
  )
    .filter((f) => f.type !== 'STRUCT')
    .map((f) => [f.name, f.type]),
);
/** 2000-01-01 .. 2100-01-01 in microseconds: anything outside is a unit mistake, not a date. */
const MIN_MICROS = 946_684_800_000_000;
const MAX_MICROS = 4_102_444_800_000_000;

const where = (file: string, line: number, col: number, header: string) =>
  `${file} line ${line}, column ${col} (${header})`;

/** The header's columns in GA4's offline-event import shape; any other shape is refused. */
export function offlineColumns(file: string, header: CsvRecord): Column[] {
  const seen = new Set<string>();
  const columns = header.cells.map((raw, i): Column => {
    const name = raw.trim();
    const at = where(file, header.line, i + 1, name || 'empty');
    if (seen.has(name)) throw new ImportError(`${at}: the column appears twice`, name);
    seen.add(name);
    if ((FIXED as readonly string[]).includes(name)) {
      return { kind: name as (typeof FIXED)[number] };
    }
    const param = /^(event_param|user_property)\.(.+)$/.exec(name);
    if (param) {
      if (!NAME.test(param[2] as string)) {
        throw new ImportError(
          `${at}: a parameter name is a letter then up to 39 letters, digits or underscores`,
          name,
        );
      }
      return { kind: param[1] as 'event_param' | 'user_property', name: param[2] as string };
    }
    const item = /^item(\d{1,3})\.(.+)$/.exec(name);
    if (item) {
      if (!NAME.test(item[2] as string)) {
        throw new ImportError(
          `${at}: an item field name is a letter then letters, digits or underscores`,
          name,
        );
      }
      return { kind: 'item', index: Number(item[1]), field: item[2] as string };
    }
    throw new ImportError(
      `${at}: unknown column; expected client_id, user_id, timestamp_micros, event_name, measurement_id, event_param.<name>, user_property.<name> or item<N>.<field>`,
      name,
    );
  });
  for (const required of ['timestamp_micros', 'event_name'] as const) {
    if (!columns.some((c) => c.kind === required)) {
      throw new ImportError(`${file} line ${header.line}: no ${required} column`, required);
    }
  }
  if (!columns.some((c) => c.kind === 'client_id' || c.kind === 'user_id')) {
    throw new ImportError(
      `${file} line ${header.line}: no client_id or user_id column (a row needs one of them)`,
      'client_id',
    );
  }
  return columns;
}

/** A value typed as GA4 types imported parameters: integer, else double, else string. */
export function typedValue(text: string): ParamValueJson {
  if (/^-?\d{1,15}$/.test(text)) {
    return { string_value: null, int_value: Number(text), float_value: null, double_value: null };
  }
  if (/^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(Number(text))) {
    return { string_value: null, int_value: null, float_value: null, double_value: Number(text) };
  }
  return { string_value: text, int_value: null, float_value: null, double_value: null };
}

const numberOf = (v: ParamValueJson): number | null => v.int_value ?? v.double_value;

/** `YYYYMMDD` of a timestamp in UTC: offline systems log instants, not a property's local day. */
const utcDay = (micros: number) =>
  new Date(Math.floor(micros / 1000)).toISOString().slice(0, 10).replaceAll('-', '');

/**
 * One CSV record as an offline event. Each offline event is its own touch: it gets a
 * `ga_session_id` of its own (the negated timestamp, so it never equals a web session's id,
 * which counts seconds), and its touchpoint defaults to source = its event name, medium =
 * `offline` where the row names none. A purchase fills `ecommerce` as the export does.
 */
export function offlineEventRow(
  file: string,
  columns: readonly Column[],
  record: CsvRecord,
): OfflineEventRow {
  if (record.cells.length !== columns.length) {
    throw new ImportError(
      `${file} line ${record.line}: ${record.cells.length} columns where the header has ${columns.length}`,
      'file',
    );
  }
  let clientId: string | null = null;
  let userId: string | null = null;
  let micros: number | undefined;
  let eventName: string | undefined;
  const params: { key: string; value: ParamValueJson }[] = [];
  const props: OfflineEventRow['user_properties'] = [];
  const items = new Map<number, Record<string, unknown>>();
  const propCells: { name: string; text: string }[] = [];
  const rawParams = new Map<string, string>();
  columns.forEach((column, i) => {
    const text = (record.cells[i] as string).trim();
    const header =
      column.kind === 'event_param' || column.kind === 'user_property'
        ? `${column.kind}.${column.name}`
        : column.kind === 'item'
          ? `item${column.index}.${column.field}`
          : column.kind;
    const at = where(file, record.line, i + 1, header);
    if (text === '') return;
    switch (column.kind) {
      case 'client_id':
        clientId = text;
        return;
      case 'user_id':
        userId = text;
        return;
      case 'measurement_id':
        return;
      case 'timestamp_micros': {
        const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
        if (!(n >= MIN_MICROS && n < MAX_MICROS)) {
          throw new ImportError(
            `${at}: expected microseconds since 1970 (16 digits, years 2000 to 2099), got "${text}"`,
            'timestamp_micros',
          );
        }
        micros = n;
        return;
      }
      case 'event_name':
        if (!NAME.test(text)) {
          throw new ImportError(
            `${at}: an event name is a letter then up to 39 letters, digits or underscores, got "${text}"`,
            'event_name',
          );
        }
        eventName = text;
        return;
      case 'event_param':
        params.push({ key: column.name, value: typedValue(text) });
        rawParams.set(column.name, text);
        return;
      case 'user_property':
        propCells.push({ name: column.name, text });
        return;
      case 'item': {
        const item = items.get(column.index) ?? { item_params: [] };
        const type = ITEM_FIELDS.get(column.field);
        if (type === 'FLOAT64' || type === 'INT64') {
          const v = typedValue(text);
          const n = numberOf(v);
          if (n === null || (type === 'INT64' && v.int_value === null)) {
            throw new ImportError(
              `${at}: expected ${type === 'INT64' ? 'a whole number' : 'a number'}, got "${text}"`,
              header,
            );
          }
          item[column.field] = n;
        } else if (type === 'STRING') {
          item[column.field] = text;
        } else {
          const list = item.item_params as { key: string; value: ParamValueJson }[];
          list.push({ key: column.field, value: typedValue(text) });
          item.item_params = list;
        }
        items.set(column.index, item);
        return;
      }
    }
  });
  if (micros === undefined) {
    throw new ImportError(
      `${file} line ${record.line}: timestamp_micros is empty`,
      'timestamp_micros',
    );
  }
  if (eventName === undefined) {
    throw new ImportError(`${file} line ${record.line}: event_name is empty`, 'event_name');
  }
  if (clientId === null && userId === null) {
    throw new ImportError(
      `${file} line ${record.line}: a row needs a client_id or a user_id; both are empty`,
      'client_id',
    );
  }
  const timestamp = micros;
  for (const p of propCells) {
    props.push({ key: p.name, value: { ...typedValue(p.text), set_timestamp_micros: timestamp } });
  }
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        clientId,
        userId,
        timestamp,
        eventName,
        [...params].sort((a, b) => (a.key < b.key ? -1 : 1)),
        [...props].sort((a, b) => (a.key < b.key ? -1 : 1)),
        [...items.entries()].sort((a, b) => a[0] - b[0]),
      ]),
    )
    .digest('hex');
  const has = (k: string) => params.some((p) => p.key === k);
  const text = (s: string): ParamValueJson => ({
    string_value: s,
    int_value: null,
    float_value: null,
    double_value: null,
  });
  if (!has('source')) params.push({ key: 'source', value: text(eventName) });
  if (!has('medium')) params.push({ key: 'medium', value: text('offline') });
  if (!has('ga_session_id')) {
    params.push({
      key: 'ga_session_id',
      value: { string_value: null, int_value: -timestamp, float_value: null, double_value: null },
    });
  }
  const param = (k: string) => params.find((p) => p.key === k)?.value;
  const value = param('value');
  return {
    event_date: utcDay(timestamp),
    event_timestamp: timestamp,
    event_name: eventName,
    event_params: params,
    user_id: userId,
    user_pseudo_id: clientId,
    user_properties: props,
    platform: OFFLINE_PLATFORM,
    ecommerce:
      eventName === 'purchase'
        ? {
            purchase_revenue: value ? numberOf(value) : null,
            transaction_id: rawParams.get('transaction_id') ?? null,
          }
        : null,
    items: [...items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item),
    content_key: key,
  };
}
