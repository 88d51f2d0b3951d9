import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFile } from '../../src/importer/exportFiles.js';
import {
  FieldError,
  compileRowValidator,
  formatFieldPath,
} from '../../src/importer/rowValidator.js';

const validate = compileRowValidator();

/** The message and path a row is refused with, or undefined when it is accepted. */
function refusal(row: unknown): string | undefined {
  try {
    validate(row);
    return undefined;
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    return `${formatFieldPath(error.path)}: ${error.message}`;
  }
}

describe('the row check compiled from EVENTS_SCHEMA', () => {
  it('accepts the encodings BigQuery writes, and NULL or missing fields', () => {
    expect(
      refusal({
        event_date: '20201101',
        event_timestamp: '1604188800000000',
        event_previous_timestamp: 1604188800000000,
        event_params: [
          { key: 'a', value: { int_value: '-9223372036854775808' } },
          { key: 'b', value: { double_value: 'NaN', float_value: '-Infinity' } },
          { key: 'c', value: { double_value: 1.5, string_value: null } },
        ],
        user_ltv: {},
        items: null,
        is_active_user: true,
        device: { web_info: null },
      }),
    ).toBeUndefined();
  });

  it('names the field path of a wrong value', () => {
    expect(refusal({ items: [{ item_params: [{ key: 'k', value: { int_value: 'x' } }] }] })).toBe(
      'items[0].item_params[0].value.int_value: expected INT64, got "x"',
    );
    expect(refusal({ event_timestamp: '9223372036854775808' })).toBe(
      'event_timestamp: expected INT64, got "9223372036854775808" (out of range)',
    );
    expect(refusal({ event_params: [null] })).toMatch(
      /^event_params\[0\]: expected RECORD, got null/,
    );
    expect(refusal({ ecommerce: { unknown_total: 1 } })).toBe(
      'ecommerce.unknown_total: unknown field (not in the GA4 events schema)',
    );
    expect(refusal({ event_timestamp: '007' })).toBe('event_timestamp: expected INT64, got "007"');
    expect(refusal({ event_value_in_usd: '.5' })).toBe(
      'event_value_in_usd: expected FLOAT64, got ".5"',
    );
    expect(refusal([1, 2])).toMatch(/^: expected a JSON object per line/);
  });

  it('accepts every int64 as a string and every safe integer as a number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        expect(refusal({ event_timestamp: n.toString() })).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(refusal({ event_timestamp: n })).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(refusal({ event_value_in_usd: x })).toBeUndefined();
      }),
    );
  });

  it('refuses any string that is not an integer as INT64', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^-?\d+$/.test(s)),
        (s) => {
          expect(refusal({ event_timestamp: s })).toMatch(/^event_timestamp: expected INT64/);
        },
      ),
    );
  });
});

describe('export file names', () => {
  it('take the day from events_YYYYMMDD, intraday and shards, and only real days', () => {
    const suffix = (name: string): string | undefined => describeFile(`/x/${name}`)?.suffixFromName;
    expect(suffix('events_20201101.json')).toBe('20201101');
    expect(suffix('events_20201101-000000000003.json.gz')).toBe('20201101');
    expect(suffix('events_intraday_20201101.parquet')).toBe('intraday_20201101');
    expect(suffix('events_20201301.json')).toBeUndefined();
    expect(suffix('export.jsonl')).toBeUndefined();
    expect(describeFile('/x/events_20201101.csv')).toBeUndefined();
    expect(describeFile('/x/events_20201101.ndjson.gz')).toMatchObject({
      format: 'ndjson',
      gzip: true,
    });
  });
});
