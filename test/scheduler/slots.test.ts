import { describe, expect, it } from 'vitest';
import { dueSlots, presetCron, slotsBetween } from '../../src/delivery/slots.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (text: string) => new Date(text);

describe('slots around DST in Europe/Berlin', () => {
  it('runs a job in the skipped hour (29 Mar 2026, 02:00-03:00 local) once, at 03:00 local', () => {
    const slots = slotsBetween(
      '30 2 * * *',
      'Europe/Berlin',
      at('2026-03-27T12:00:00Z'),
      at('2026-03-30T12:00:00Z'),
    );
    // 28 Mar 02:30 CET = 01:30Z; 29 Mar: 02:30 does not exist, next valid time 03:00 CEST = 01:00Z; 30 Mar 02:30 CEST = 00:30Z.
    expect(iso(slots)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs a job in the repeated hour (25 Oct 2026, 02:00-03:00 twice) once', () => {
    const slots = slotsBetween(
      '30 2 * * *',
      'Europe/Berlin',
      at('2026-10-24T12:00:00Z'),
      at('2026-10-26T12:00:00Z'),
    );
    // 25 Oct 02:30 CEST = 00:30Z (the first of the two); 26 Oct 02:30 CET = 01:30Z.
    expect(iso(slots)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('keeps 08:00 local across the change for a weekly report', () => {
    const slots = slotsBetween(
      '0 8 * * 1',
      'Europe/Berlin',
      at('2026-10-18T00:00:00Z'),
      at('2026-11-03T00:00:00Z'),
    );
    expect(iso(slots)).toEqual([
      '2026-10-19T06:00:00.000Z',
      '2026-10-26T07:00:00.000Z',
      '2026-11-02T07:00:00.000Z',
    ]);
  });
});

describe('slots around DST in America/New_York', () => {
  it('runs a job in the skipped hour (8 Mar 2026, 02:00-03:00) once, at 03:00 EDT', () => {
    const slots = slotsBetween(
      '0 2 * * *',
      'America/New_York',
      at('2026-03-07T00:00:00Z'),
      at('2026-03-09T12:00:00Z'),
    );
    expect(iso(slots)).toEqual([
      '2026-03-07T07:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:00:00.000Z',
    ]);
  });

  it('runs a job in the repeated hour (1 Nov 2026, 01:00-02:00 twice) once', () => {
    const slots = slotsBetween(
      '30 1 * * *',
      'America/New_York',
      at('2026-10-31T12:00:00Z'),
      at('2026-11-02T12:00:00Z'),
    );
    // 1 Nov 01:30 EDT = 05:30Z (first); 2 Nov 01:30 EST = 06:30Z.
    expect(iso(slots)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });
});

describe('missed slots', () => {
  const cron = '0 * * * *';
  const zone = 'UTC';

  it('runs the latest missed slot once within the grace period and skips older ones', () => {
    const due = dueSlots(
      cron,
      zone,
      at('2026-11-23T05:00:00Z'),
      at('2026-11-23T08:10:00Z'),
      15 * 60_000,
    );
    expect(due.run?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(iso(due.skipped)).toEqual(['2026-11-23T06:00:00.000Z', '2026-11-23T07:00:00.000Z']);
  });

  it('skips all when the latest is older than the grace period', () => {
    const due = dueSlots(
      cron,
      zone,
      at('2026-11-23T05:00:00Z'),
      at('2026-11-23T08:20:00Z'),
      15 * 60_000,
    );
    expect(due.run).toBeNull();
    expect(due.skipped).toHaveLength(3);
  });

  it('has nothing due between slots', () => {
    expect(
      dueSlots(cron, zone, at('2026-11-23T08:00:00Z'), at('2026-11-23T08:59:59Z'), 60_000),
    ).toEqual({
      run: null,
      skipped: [],
    });
  });
});

describe('presets', () => {
  it('turns presets into cron expressions', () => {
    expect(presetCron({ kind: 'daily', hour: 7 })).toBe('0 7 * * *');
    expect(presetCron({ kind: 'weekdays', hour: 8, minute: 30 })).toBe('30 8 * * 1-5');
    expect(presetCron({ kind: 'weekly', day: 1, hour: 9 })).toBe('0 9 * * 1');
    expect(presetCron({ kind: 'monthly', day: 'last', hour: 18 })).toBe('0 18 L * *');
    expect(presetCron({ kind: 'monthly', day: 15, hour: 6 })).toBe('0 6 15 * *');
  });

  it('runs "monthly on the last day" on 28, 29, 30 or 31', () => {
    const slots = slotsBetween(
      '0 18 L * *',
      'Europe/Berlin',
      at('2027-12-15T00:00:00Z'),
      at('2028-04-15T00:00:00Z'),
    );
    expect(iso(slots)).toEqual([
      '2027-12-31T17:00:00.000Z',
      '2028-01-31T17:00:00.000Z',
      '2028-02-29T17:00:00.000Z',
      '2028-03-31T16:00:00.000Z',
    ]);
  });

  it('names the field at fault', () => {
    expect(() => presetCron({ kind: 'daily', hour: 24 })).toThrow(/preset.hour/);
    expect(() => presetCron({ kind: 'monthly', day: 31, hour: 1 })).toThrow(/preset.day/);
    expect(() => slotsBetween('61 * * * *', 'UTC', new Date(0), new Date(1))).toThrow(/^cron: /);
    expect(() => slotsBetween('0 * * * *', 'Mars/Olympus', new Date(0), new Date(1))).toThrow(
      /timeZone: unknown IANA/,
    );
  });
});
