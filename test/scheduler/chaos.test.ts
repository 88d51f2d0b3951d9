import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDb } from '../render/sampleDb.js';
import { oneSlotPlan, runChaos } from '../support/chaosRun.js';

let file: string;
beforeAll(async () => {
  file = await sampleDb();
}, 60_000);

describe('two instances, one killed mid-drain, a relay that refuses and drops', () => {
  it('delivers every (schedule, slot, recipient) once, apart from the documented window it reports', async () => {
    const counts = await runChaos({
      plan: oneSlotPlan(8),
      file,
      leaseMs: 3000,
      killAt: 0.3,
      timeoutMs: 100_000,
    });
    // One comparison, so a failure shows every count at once.
    expect({
      expected: counts.expected,
      missing: counts.missing,
      unexpected: counts.unexpected,
      receivedKeys: counts.exactlyOnce + counts.duplicatedKeys,
      // Every extra copy is one the killed instance had accepted and not recorded...
      extraOutsideWindow: counts.extraCopies - counts.windowCopies,
      // ...at most one per send the kill cut off.
      windowWithinCut: counts.windowCopies <= counts.cutAttempts,
      runs: counts.runs,
      deliveries: counts.deliveries,
      dropped: counts.dropped,
      refusedSome: counts.answered421 >= 3,
      killedMidDrain: (counts.acceptedByInstance[counts.killed] ?? 0) > 0,
    }).toEqual({
      expected: 24,
      missing: 0,
      unexpected: 0,
      receivedKeys: 24,
      extraOutsideWindow: 0,
      windowWithinCut: true,
      runs: { sent: 8 },
      deliveries: { sent: 24 },
      dropped: 1,
      refusedSome: true,
      killedMidDrain: true,
    });
  }, 180_000);
});
