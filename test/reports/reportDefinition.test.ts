import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../src/errors/errors.js';
import { parseReportDefinition } from '../../src/reports/reportDefinition.js';

const base = {
  id: 'r1',
  title: 'T',
  goal: { event: 'purchase' },
  sections: [{ type: 'kpi_summary' }],
};
const errorOf = (input: unknown) => {
  try {
    parseReportDefinition(input);
  } catch (error) {
    return error as InputError;
  }
  throw new Error('expected an error');
};

describe('report definitions', () => {
  it('fills defaults', () => {
    const d = parseReportDefinition(base);
    expect(d).toMatchObject({
      timeZone: 'UTC',
      locale: 'en-US',
      dateRange: 'last_7_days',
      comparison: 'previous_period',
    });
  });

  it('names the path of a bad field', () => {
    const e1 = errorOf({
      ...base,
      sections: [
        {
          type: 'funnel',
          funnel: { steps: [{ event: 'a' }, { event: 'b', within: '5 minutes' }] },
        },
      ],
    });
    expect(e1).toBeInstanceOf(InputError);
    expect(e1.message).toContain(
      'sections[0].funnel.steps[1].within: expected a duration like 30m, 2h, 7d',
    );
    expect(e1.field).toBe('sections[0].funnel.steps[1].within');
    expect(errorOf({ ...base, timeZone: 'Mars/Olympus' }).message).toContain(
      'timeZone: expected an IANA time zone',
    );
    expect(errorOf({ ...base, dateRange: 'last_fortnight' }).message).toMatch(
      /^dateRange: expected one of yesterday/,
    );
    expect(
      errorOf({ ...base, dateRange: { start: '2026-02-30', end: '2026-03-01' } }).message,
    ).toContain('dateRange');
    expect(errorOf({ ...base, sections: [{ type: 'pie_chart' }] }).field).toBe('sections[0].type');
    expect(errorOf({ ...base, colour: 'red' }).message).toContain('colour');
  });

  it('accepts the shipped examples as they are', () => {
    for (const file of ['weekly-ecommerce', 'lead-generation']) {
      const d = parseReportDefinition(parse(readFileSync(`examples/reports/${file}.yaml`, 'utf8')));
      expect(d.id).toBe(file);
    }
  });
});
