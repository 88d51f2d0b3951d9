import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDb } from '../render/sampleDb.js';
import { runChaos } from '../support/chaosRun.js';
import { dstPlan, fallBack, springForward, type DstWindow } from '../support/dstPlans.js';

let file: string;
beforeAll(async () => {
  file = await sampleDb();
}, 60_000);

// 8 schedules, two of each kind: hourly and daily in Europe/Berlin, hourly and daily in UTC.
const expectedRuns = (window: DstWindow) =>
  window.kinds.reduce((sum, kind) => sum + 2 * kind.slots.length, 0);

describe.each([fallBack, springForward])(
  'the chaos run with the clock moved across a DST change: $name',
  (window) => {
    it('runs every expected slot once for every schedule, none skipped or doubled, each message once', async () => {
      // 130 simulated minutes in about 13 s.
      const counts = await runChaos({
        plan: dstPlan(window, 8, 600),
        file,
        leaseMs: 3000,
        killAt: 0.3,
        timeoutMs: 60_000,
      });
      expect({
        slots: counts.slots,
        expected: counts.expected,
        missing: counts.missing,
        unexpected: counts.unexpected,
        receivedKeys: counts.exactlyOnce + counts.duplicatedKeys,
        extraOutsideWindow: counts.extraCopies - counts.windowCopies,
        windowWithinCut: counts.windowCopies <= counts.cutAttempts,
        runs: counts.runs,
        dropped: counts.dropped,
        killedMidDrain: (counts.acceptedByInstance[counts.killed] ?? 0) > 0,
      }).toEqual({
        // Each of the two schedules of a kind ran each of its slots, and no other.
        slots: window.kinds.map((kind) => ({
          schedule: `${kind.cron} ${kind.timeZone}`,
          expected: kind.slots,
          ran: Object.fromEntries(kind.slots.map((slot) => [slot, 2])),
        })),
        expected: 3 * expectedRuns(window),
        missing: 0,
        unexpected: 0,
        receivedKeys: 3 * expectedRuns(window),
        extraOutsideWindow: 0,
        windowWithinCut: true,
        runs: { sent: expectedRuns(window) },
        dropped: 1,
        killedMidDrain: true,
      });
    }, 150_000);
  },
);
