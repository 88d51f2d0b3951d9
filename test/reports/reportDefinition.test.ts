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

  it('checks the Sankey and next-step sections with their paths', () => {
    const d = parseReportDefinition({
      ...base,
      sections: [{ type: 'journey_sankey' }, { type: 'next_step' }],
    });
    expect(d.sections[0]).toMatchObject({
      paths: { steps: 4, topK: 5, nodeType: 'event', scope: 'session' },
    });
    expect(d.sections[1]).toMatchObject({ nodes: 8, nextStep: { minSupport: 30 } });
    const steps = errorOf({ ...base, sections: [{ type: 'journey_sankey', paths: { steps: 9 } }] });
    expect(steps.message).toBe('sections[0].paths.steps: expected 2 to 6 steps');
    expect(steps.field).toBe('sections[0].paths.steps');
    expect(
      errorOf({
        ...base,
        sections: [{ type: 'kpi_summary' }, { type: 'next_step', nextStep: { minSupport: 0 } }],
      }).field,
    ).toBe('sections[1].nextStep.minSupport');
    expect(
      errorOf({ ...base, sections: [{ type: 'journey_sankey', paths: { dateRange: 'x' } }] })
        .message,
    ).toContain('sections[0].paths');
  });

  it('accepts the shipped examples as they are', () => {
    for (const file of ['weekly-ecommerce', 'lead-generation']) {
      const d = parseReportDefinition(parse(readFileSync(`examples/reports/${file}.yaml`, 'utf8')));
      expect(d.id).toBe(file);
    }
  });
});
