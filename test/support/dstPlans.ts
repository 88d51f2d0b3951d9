import type { ChaosPlan, ChaosSchedule } from './chaosRun.js';

/**
 * A kind of schedule in a DST window and the slots it must run there, as UTC instants derived by
 * hand (below), not by the code under test. They follow what the slots tests pin: an hourly job
 * runs every real hour; a daily job in a skipped hour runs once at the next valid time (03:00);
 * a daily job in a repeated hour runs once, at the first of the two.
 */
interface Kind {
  readonly cron: string;
  readonly timeZone: string;
  readonly slots: readonly string[];
}

export interface DstWindow {
  readonly name: string;
  readonly start: Date;
  readonly end: Date;
  readonly kinds: readonly Kind[];
}

/**
 * Europe/Berlin falls back on Sunday 25 Oct 2026: at 03:00 CEST (UTC+2, 01:00Z) the clocks go back
 * to 02:00 CET (UTC+1), so 02:00-03:00 local happens twice. Simulated from 00:05Z (02:05 CEST, the
 * first time round) to 01:40Z (02:40 CET, the second), before any schedule's next slot (02:15Z).
 */
export const fallBack: DstWindow = {
  name: 'Europe/Berlin falls back, 25 Oct 2026 03:00 CEST -> 02:00 CET',
  start: new Date('2026-10-25T00:05:00Z'),
  end: new Date('2026-10-25T01:40:00Z'),
  kinds: [
    // 02:30 CEST = 00:30Z, then 02:30 CET = 01:30Z: the repeated hour is a real hour, it runs too.
    {
      cron: '30 * * * *',
      timeZone: 'Europe/Berlin',
      slots: ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    },
    // 02:30 comes twice; the daily job runs at the first (CEST, 00:30Z) only.
    { cron: '30 2 * * *', timeZone: 'Europe/Berlin', slots: ['2026-10-25T00:30:00.000Z'] },
    // UTC has no change: 00:15Z and 01:15Z.
    {
      cron: '15 * * * *',
      timeZone: 'UTC',
      slots: ['2026-10-25T00:15:00.000Z', '2026-10-25T01:15:00.000Z'],
    },
    { cron: '0 1 * * *', timeZone: 'UTC', slots: ['2026-10-25T01:00:00.000Z'] },
  ],
};

/**
 * Europe/Berlin springs forward on Sunday 28 Mar 2027: at 02:00 CET (UTC+1, 01:00Z) the clocks
 * jump to 03:00 CEST (UTC+2), so 02:00-03:00 local never happens. Simulated from 00:05Z (01:05
 * CET) to 01:40Z (03:40 CEST), before any schedule's next slot (02:15Z).
 */
export const springForward: DstWindow = {
  name: 'Europe/Berlin springs forward, 28 Mar 2027 02:00 CET -> 03:00 CEST',
  start: new Date('2027-03-28T00:05:00Z'),
  end: new Date('2027-03-28T01:40:00Z'),
  kinds: [
    // 01:30 CET = 00:30Z, no 02:30, then 03:30 CEST = 01:30Z: an hour apart, nothing for 02:30.
    {
      cron: '30 * * * *',
      timeZone: 'Europe/Berlin',
      slots: ['2027-03-28T00:30:00.000Z', '2027-03-28T01:30:00.000Z'],
    },
    // 02:30 does not exist that day; the daily job runs once at 03:00 CEST = 01:00Z.
    { cron: '30 2 * * *', timeZone: 'Europe/Berlin', slots: ['2027-03-28T01:00:00.000Z'] },
    {
      cron: '15 * * * *',
      timeZone: 'UTC',
      slots: ['2027-03-28T00:15:00.000Z', '2027-03-28T01:15:00.000Z'],
    },
    { cron: '0 1 * * *', timeZone: 'UTC', slots: ['2027-03-28T01:00:00.000Z'] },
  ],
};

/**
 * `n` schedules taking the window's kinds in turn, on a clock running `speed` simulated ms per
 * real ms. The grace lets a tick held up behind a drain (up to 45 simulated minutes) still run the
 * slot it finds; a tick later than that records the slot skipped, and the run counts it missing.
 */
export function dstPlan(window: DstWindow, n: number, speed: number): ChaosPlan {
  const schedules: ChaosSchedule[] = Array.from({ length: n }, (_, i) => {
    const kind = window.kinds[i % window.kinds.length] as Kind;
    return { id: `s${i}`, ...kind };
  });
  return {
    schedules,
    graceMs: 45 * 60_000,
    clock: { start: window.start, end: window.end, speed },
  };
}
