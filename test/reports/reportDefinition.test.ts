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

  it('keeps a stored goal of { event, name } and takes conditions, a value source or a saved name', () => {
    expect(
      parseReportDefinition({ ...base, goal: { event: 'purchase', name: 'Orders' } }),
    ).toMatchObject({
      goal: { event: 'purchase', name: 'Orders' },
      filters: [],
      segments: [],
    });
    const d = parseReportDefinition({
      ...base,
      goal: {
        event: 'purchase',
        where: [{ param: 'currency', op: 'eq', value: 'USD' }],
        value: 'param:value',
      },
    });
    expect(d.goal).toEqual({
      event: 'purchase',
      where: [{ param: 'currency', op: 'eq', value: 'USD' }],
      value: 'param:value',
    });
    expect(parseReportDefinition({ ...base, goal: 'USD purchases' }).goal).toBe('USD purchases');
  });

  it('names the path of a bad goal, filter or segment', () => {
    const cases: [unknown, string, string][] = [
      [
        {
          ...base,
          goal: { event: 'purchase', where: [{ param: 'currency', op: 'equals', value: 'USD' }] },
        },
        'goal.where[0].op',
        'goal.where[0].op: Invalid option: expected one of "eq"|"neq"|"contains"|"starts_with"|"regex"|"in"|"gt"|"gte"|"lt"|"lte"|"between"',
      ],
      [
        { ...base, goal: { event: 'purchase', value: 'revenue' } },
        'goal.value',
        'goal.value: expected param:<key>, ecommerce.purchase_revenue or none',
      ],
      [
        { ...base, goal: 42 },
        'goal',
        'goal: expected a saved goal name or { event, where?, value?, name? }',
      ],
      [
        { ...base, filters: [{ field: 'device.colour', op: 'eq', value: 'red' }] },
        'filters[0].field',
        'filters[0].field: expected one of platform',
      ],
      [
        {
          ...base,
          filters: Array.from({ length: 11 }, () => ({ param: 'a', op: 'eq', value: 'b' })),
        },
        'filters',
        'filters: expected at most 10 filters',
      ],
      [
        { ...base, segments: [{ name: 'Mobile', scope: 'device' }] },
        'segments[0].scope',
        'segments[0].scope: Invalid option: expected one of "user"|"session"',
      ],
      [
        { ...base, segments: [{ name: 'Nothing' }] },
        'segments[0]',
        'segments[0]: expected an event or at least one where condition',
      ],
      [
        {
          ...base,
          segments: [
            { name: 'A', event: 'x' },
            { name: 'A', event: 'y' },
          ],
        },
        'segments[1].name',
        'segments[1].name: duplicate segment name',
      ],
      [
        { ...base, goals: ['a', 'b', 'c', 'd', 'e'] },
        'goals',
        'goals: expected at most 4 further goals',
      ],
      [
        { ...base, goals: [{ event: 'purchase', value: 'price' }] },
        'goals[0].value',
        'goals[0].value: expected param:<key>, ecommerce.purchase_revenue or none',
      ],
      [
        { ...base, segments: Array.from({ length: 5 }, (_, i) => ({ name: `s${i}`, event: 'x' })) },
        'segments',
        'segments: expected at most 4 segments',
      ],
    ];
    for (const [input, field, message] of cases) {
      const error = errorOf(input);
      expect(error.field, message).toBe(field);
      expect(error.message.startsWith(message), error.message).toBe(true);
    }
  });

  it('accepts the shipped examples as they are', () => {
    for (const file of ['weekly-ecommerce', 'lead-generation']) {
      const d = parseReportDefinition(parse(readFileSync(`examples/reports/${file}.yaml`, 'utf8')));
      expect(d.id).toBe(file);
    }
  });
});
