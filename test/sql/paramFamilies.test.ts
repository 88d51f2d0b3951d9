import { describe, expect, it } from 'vitest';
import { expandParamFamily } from '../../src/sql/paramFamilies.js';
import { loadQuery, parseQueryFile } from '../../src/sql/queryFiles.js';

describe('parameter families', () => {
  it('expands a slot range in slot order, member by member, with overridden examples', () => {
    expect(expandParamFamily('q.sql', '@params step step2..step3 event=purchase')).toEqual([
      { name: 'step2_event', type: 'STRING', example: 'purchase' },
      { name: 'step2_within_us', type: 'INT64', example: '3600000000' },
      { name: 'step3_event', type: 'STRING', example: 'purchase' },
      { name: 'step3_within_us', type: 'INT64', example: '3600000000' },
    ]);
    expect(expandParamFamily('q.sql', '@param c1_key STRING x')).toBeNull();
  });

  it('declares a condition slot as its six bound values', () => {
    const query = parseQueryFile(
      'q',
      '-- A query.\n-- @param start_date DATE 2020-11-01\n-- @params condition c7..c7\nSELECT 1',
    );
    expect(query.params.map((p) => `${p.name} ${p.type} ${p.example}`)).toEqual([
      'start_date DATE 2020-11-01',
      'c7_key STRING currency',
      'c7_s STRING USD',
      'c7_n FLOAT64 0',
      'c7_n2 FLOAT64 0',
      'c7_list ARRAY<STRING> USD',
      'c7_nums ARRAY<FLOAT64> 1',
    ]);
  });

  it('names the file and the expected form when a directive is malformed', () => {
    expect(() => expandParamFamily('sql/q.sql', '@params colour c1..c3')).toThrow(
      'sql/q.sql: expected "@params <condition|step|exclusion|rule> <prefix><first>..<prefix><last>", got "@params colour c1..c3"',
    );
    expect(() => expandParamFamily('sql/q.sql', '@params step step1..x3')).toThrow('sql/q.sql');
    expect(() => expandParamFamily('sql/q.sql', '@params step step3..step1')).toThrow(
      'sql/q.sql: empty slot range in "@params step step3..step1"',
    );
    expect(() => expandParamFamily('sql/q.sql', '@params step step1..step2 colour=red')).toThrow(
      'sql/q.sql: the step family has no member "colour"',
    );
  });

  it('gives the funnel query its 20 steps, 5 exclusions and 30 conditions from three lines', () => {
    const names = loadQuery('funnel').params.map((p) => p.name);
    expect(names.filter((n) => /^step\d+_/.test(n))).toHaveLength(40);
    expect(names.filter((n) => /^x\d+_event$/.test(n))).toHaveLength(5);
    expect(names.filter((n) => /^c\d+_/.test(n))).toHaveLength(180);
    expect(names.at(-1)).toBe('c30_nums');
  });
});
