import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { ImportError } from '../../src/errors/errors.js';
import { importOfflineEvents } from '../../src/importer/offline/importOfflineEvents.js';
import { runCli } from '../support/runCli.js';

const HEADER =
  'measurement_id,client_id,user_id,timestamp_micros,event_name,event_param.transaction_id,event_param.value,event_param.source,user_property.tier,item1.item_id,item1.price,item1.quantity,item1.store_aisle';
const GOOD = [
  HEADER,
  'G-1,c1,,1604224800000000,store_visit,,,,gold,,,,',
  ',,u9,1604311200000000,purchase,"T-100",49.90,crm,,SKU1,49.9,2,12',
  '"G-1",,u9,1604311260000000,phone_call,,12,,,,,,',
];

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'pathlight-offline-'));
}
function write(folder: string, name: string, lines: string[]): string {
  const file = join(folder, name);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}
async function rows(db: string, sql: string) {
  const engine = await DuckdbEngine.open(db);
  try {
    return (await engine.query(sql, {}, { name: 'check' })).rows;
  } finally {
    await engine.close();
  }
}
const param = (key: string, v: Partial<Record<'s' | 'i' | 'd', string | number>>) => ({
  key,
  value: {
    string_value: v.s ?? null,
    int_value: v.i ?? null,
    float_value: null,
    double_value: v.d ?? null,
  },
});

describe('offline events import', () => {
  it('stores each row in the export shape, params typed as GA4 types them, read through events_*', async () => {
    const folder = dir();
    const db = join(folder, 'events.duckdb');
    const result = await importOfflineEvents(db, [write(folder, 'offline.csv', GOOD)]);
    expect(result).toEqual({ files: [{ file: 'offline.csv', rows: 3, added: 3 }] });
    const stored = await rows(
      db,
      `SELECT _TABLE_SUFFIX AS suffix, event_date, event_timestamp, event_name, user_pseudo_id, user_id,
         platform, event_params, user_properties, ecommerce.transaction_id AS tx,
         ecommerce.purchase_revenue AS revenue, items
       FROM events_wildcard ORDER BY event_timestamp`,
    );
    expect(stored.map((r) => [r.suffix, r.event_date, r.event_timestamp, r.event_name])).toEqual([
      ['20201101', '20201101', 1604224800000000, 'store_visit'],
      ['20201102', '20201102', 1604311200000000, 'purchase'],
      ['20201102', '20201102', 1604311260000000, 'phone_call'],
    ]);
    expect(stored.map((r) => [r.user_pseudo_id, r.user_id, r.platform])).toEqual([
      ['c1', null, 'OFFLINE'],
      [null, 'u9', 'OFFLINE'],
      [null, 'u9', 'OFFLINE'],
    ]);
    // Defaults: source = the event name, medium = offline; each row its own session.
    expect(stored[0]?.event_params).toEqual([
      param('source', { s: 'store_visit' }),
      param('medium', { s: 'offline' }),
      param('ga_session_id', { i: -1604224800000000 }),
    ]);
    expect(stored[0]?.user_properties).toEqual([
      {
        key: 'tier',
        value: {
          string_value: 'gold',
          int_value: null,
          float_value: null,
          double_value: null,
          set_timestamp_micros: 1604224800000000,
        },
      },
    ]);
    // A source given keeps its row's value; `49.90` is a double, `12` an integer.
    expect(stored[1]?.event_params).toEqual([
      param('transaction_id', { s: 'T-100' }),
      param('value', { d: 49.9 }),
      param('source', { s: 'crm' }),
      param('medium', { s: 'offline' }),
      param('ga_session_id', { i: -1604311200000000 }),
    ]);
    expect([stored[1]?.tx, stored[1]?.revenue]).toEqual(['T-100', 49.9]);
    expect(stored[1]?.items).toMatchObject([
      { item_id: 'SKU1', price: 49.9, quantity: 2, item_params: [param('store_aisle', { i: 12 })] },
    ]);
    expect(stored[2]?.event_params).toContainEqual(param('value', { i: 12 }));
    expect([stored[2]?.tx, stored[2]?.revenue]).toEqual([null, null]);
  });

  it('importing the same file again changes nothing; a changed row is a new event', async () => {
    const folder = dir();
    const db = join(folder, 'events.duckdb');
    const file = write(folder, 'offline.csv', GOOD);
    await importOfflineEvents(db, [file]);
    expect(await importOfflineEvents(db, [file])).toEqual({
      files: [{ file: 'offline.csv', rows: 3, added: 0 }],
    });
    const edited = write(folder, 'more.csv', [
      ...GOOD.slice(0, 3),
      '"G-1",,u9,1604311260000000,phone_call,,13,,,,,,',
      // The same row twice in one file is one event.
      '"G-1",,u9,1604311260000000,phone_call,,13,,,,,,',
    ]);
    expect(await importOfflineEvents(db, [edited])).toEqual({
      files: [{ file: 'more.csv', rows: 3, added: 1 }],
    });
    expect(await rows(db, 'SELECT count(*) AS n FROM offline_events')).toEqual([{ n: 4 }]);
  });

  const BAD: [string, string[], string][] = [
    [
      'a bad timestamp',
      [HEADER, 'G-1,c1,,16042248000000x0,store_visit,,,,,,,,'],
      'bad.csv line 2, column 4 (timestamp_micros): expected microseconds since 1970 (16 digits, years 2000 to 2099), got "16042248000000x0"',
    ],
    [
      'a timestamp in seconds (a date outside the calendar it can mean)',
      [HEADER, 'G-1,c1,,1604224800,store_visit,,,,,,,,'],
      'bad.csv line 2, column 4 (timestamp_micros): expected microseconds since 1970 (16 digits, years 2000 to 2099), got "1604224800"',
    ],
    [
      'a row with neither id',
      [
        HEADER,
        'G-1,c1,,1604224800000000,store_visit,,,,,,,,',
        'G-1,,,1604224800000000,phone_call,,,,,,,,',
      ],
      'bad.csv line 3: a row needs a client_id or a user_id; both are empty',
    ],
    [
      'an unknown column',
      ['client_id,timestamp_micros,event_name,event_params.value', 'c1,1604224800000000,call,1'],
      'bad.csv line 1, column 4 (event_params.value): unknown column; expected client_id, user_id, timestamp_micros, event_name, measurement_id, event_param.<name>, user_property.<name> or item<N>.<field>',
    ],
    [
      'no id column',
      ['timestamp_micros,event_name', '1604224800000000,call'],
      'bad.csv line 1: no client_id or user_id column (a row needs one of them)',
    ],
    [
      'a non-numeric item price',
      [HEADER, 'G-1,c1,,1604224800000000,purchase,T1,5,,,SKU,five,1,'],
      'bad.csv line 2, column 11 (item1.price): expected a number, got "five"',
    ],
    [
      'a bad event name',
      [HEADER, 'G-1,c1,,1604224800000000,store visit,,,,,,,,'],
      'bad.csv line 2, column 5 (event_name): an event name is a letter then up to 39 letters, digits or underscores, got "store visit"',
    ],
    [
      'a short row',
      [HEADER, 'G-1,c1,,1604224800000000,store_visit'],
      'bad.csv line 2: 5 columns where the header has 13',
    ],
    [
      'an unclosed quote',
      [HEADER, 'G-1,c1,,1604224800000000,"store_visit,,,,,,,,'],
      'bad.csv line 2: a quoted field is never closed',
    ],
  ];
  it.each(BAD)(
    '%s: names file, line and column, and imports nothing',
    async (_label, lines, message) => {
      const folder = dir();
      const db = join(folder, 'events.duckdb');
      await importOfflineEvents(db, [write(folder, 'first.csv', GOOD)]);
      const good = write(folder, 'good.csv', [
        HEADER,
        'G-1,c2,,1604224800000000,phone_call,,,,,,,,',
      ]);
      const bad = write(folder, 'bad.csv', lines);
      const error = await importOfflineEvents(db, [good, bad]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      expect((error as Error).message).toBe(message);
      expect(await rows(db, 'SELECT count(*) AS n FROM offline_events')).toEqual([{ n: 3 }]);
    },
  );
});

describe('pathlight import-offline', () => {
  it('prints what each file added; a bad file exits 2 with its line', async () => {
    const folder = dir();
    const db = join(folder, 'data', 'events.duckdb');
    const file = write(folder, 'offline.csv', GOOD);
    const first = await runCli(['import-offline', file, '--db', db]);
    expect(first).toMatchObject({ code: 0, stdout: `offline.csv: 3 rows, 3 new\ninto ${db}\n` });
    const again = await runCli(['import-offline', file, '--db', db, '--json']);
    expect(JSON.parse(again.stdout)).toEqual({
      db,
      files: [{ file: 'offline.csv', rows: 3, added: 0 }],
    });
    const bad = write(folder, 'bad.csv', [HEADER, 'G-1,,,1604224800000000,call,,,,,,,,']);
    const failed = await runCli(['import-offline', bad, '--db', db]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('bad.csv line 2: a row needs a client_id or a user_id');
  });
});
