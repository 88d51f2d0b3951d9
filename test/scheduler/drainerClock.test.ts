import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDrainer } from '../../src/app/drainer.js';
import { outboxTransport } from '../../src/delivery/outboxTransport.js';
import { migrate } from '../../src/store/migrate.js';
import { SchedulesRepo } from '../../src/store/schedulesRepo.js';
import { storeKinds, type TestStore } from '../support/stores.js';

let store: TestStore;
beforeAll(async () => {
  store = await storeKinds.pglite();
  await migrate(store.db);
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', $1::jsonb)`, [
    JSON.stringify({
      title: 'Weekly',
      goal: { event: 'purchase' },
      sections: [{ type: 'kpi_summary' }],
    }),
  ]);
  const schedules = new SchedulesRepo(store.db);
  for (const [id, cron] of [
    ['hourly', '30 * * * *'],
    ['daily', '30 2 * * *'],
  ])
    await schedules.save({
      id,
      reportId: 'weekly',
      name: id,
      cron,
      timeZone: 'Europe/Berlin',
      recipients: { to: [`${id}@example.com`] },
      owner: 'owner@example.com',
    });
  // Sunday 25 Oct 2026, 02:05 CEST: Berlin falls back at 03:00 CEST (01:00Z) to 02:00 CET.
  await store.db.query(`UPDATE schedules SET checked_until = '2026-10-25T00:05:00Z'`);
}, 60_000);
afterAll(() => store.dispose());

describe('the drainer on a calendar clock it is given', () => {
  it('claims slots by that clock, read when each drain starts', async () => {
    let now = '2026-10-25T00:20:00Z';
    const drainer = createDrainer({
      db: store.db,
      graceMs: 15 * 60_000,
      now: () => new Date(now),
      worker: {
        db: store.db,
        // The runs' work is not what this checks: each fails at once and is recorded.
        renderer: { render: () => Promise.reject(new Error('not rendered here')) },
        deliver: {
          transport: outboxTransport('/nonexistent'),
          from: 'x@example.com',
          messageIdDomain: 'example.com',
          unsubscribe: () => ({ mailto: 'x@example.com' }),
          retry: { attempts: 1, baseMs: 1, capMs: 1 },
        },
        owner: 'test',
        leaseMs: 60_000,
        maxAttempts: 1,
        renderTimeoutMs: 1000,
        pauseAfterFailures: 10,
        notifyOwner: async () => undefined,
      },
    });
    // Asked at 00:20Z, but the drain starts after the clock has moved to 00:31Z (02:31 CEST).
    const first = drainer.runOnce();
    now = '2026-10-25T00:31:00Z';
    expect((await first).claimed).toBe(2);
    // 01:31Z is 02:31 CET, the second 02:30: the hourly schedule runs again, the daily one does not.
    now = '2026-10-25T01:31:00Z';
    expect((await drainer.runOnce()).claimed).toBe(1);
    const runs = await store.db.query<{ schedule_id: string; slot: Date }>(
      'SELECT schedule_id, slot FROM runs ORDER BY slot, schedule_id',
    );
    expect(runs.map((r) => [r.schedule_id, new Date(r.slot).toISOString()])).toEqual([
      ['daily', '2026-10-25T00:30:00.000Z'],
      ['hourly', '2026-10-25T00:30:00.000Z'],
      ['hourly', '2026-10-25T01:30:00.000Z'],
    ]);
  });
});
