import { afterEach, describe, expect, it } from 'vitest';
import { RunsRepo } from '../../src/store/runsRepo.js';
import { SchedulesRepo } from '../../src/store/schedulesRepo.js';
import { tick } from '../../src/app/tick.js';
import { migrate } from '../../src/store/migrate.js';
import type { StoreDb } from '../../src/store/storeDb.js';
import { storeKinds, type TestStore } from '../support/stores.js';

const spec = {
  id: 'weekly-ceo',
  reportId: 'weekly',
  name: 'Weekly for the CEO',
  cron: '0 * * * *',
  timeZone: 'Europe/Berlin',
  recipients: { to: ['ceo@example.com'], cc: [], bcc: [] },
  owner: 'marketing@example.com',
};

async function prepare(db: StoreDb, createdAt: string): Promise<void> {
  await migrate(db);
  await db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', '{}')`);
  await new SchedulesRepo(db).save(spec);
  await db.query('UPDATE schedules SET created_at = $1', [createdAt]);
}

const HOUR = 3_600_000;

describe.each(['pglite', 'postgres'] as const)('tick on %s', (kind) => {
  let store: TestStore;
  afterEach(async () => {
    await store.dispose();
  });

  it('claims each due slot once however often it ticks, and skips slots missed beyond the grace period', async () => {
    store = await storeKinds[kind]();
    await prepare(store.db, '2026-11-23T05:30:00Z');
    const first = await tick(store.db, new Date('2026-11-23T08:05:00Z'), { graceMs: 15 * 60_000 });
    expect(first.claimed.map((c) => c.slot.toISOString())).toEqual(['2026-11-23T08:00:00.000Z']);
    expect(first.skipped.map((c) => c.slot.toISOString())).toEqual([
      '2026-11-23T06:00:00.000Z',
      '2026-11-23T07:00:00.000Z',
    ]);
    const again = await tick(store.db, new Date('2026-11-23T08:06:00Z'), { graceMs: 15 * 60_000 });
    expect(again).toEqual({ claimed: [], skipped: [] });
    const runs = await store.db.query<{ status: string; n: string }>(
      'SELECT status, COUNT(*)::text AS n FROM runs GROUP BY status ORDER BY status',
    );
    expect(runs).toEqual([
      { status: 'claimed', n: '1' },
      { status: 'skipped', n: '2' },
    ]);
  });

  it('does not run slots that passed while paused', async () => {
    store = await storeKinds[kind]();
    await prepare(store.db, '2026-11-23T05:30:00Z');
    const schedules = new SchedulesRepo(store.db);
    await schedules.setPaused('weekly-ceo', true, 'holidays');
    expect(await tick(store.db, new Date('2026-11-23T09:01:00Z'), { graceMs: HOUR })).toEqual({
      claimed: [],
      skipped: [],
    });
    await schedules.setPaused('weekly-ceo', false, null, new Date('2026-11-23T09:02:00Z'));
    const schedule = await schedules.get('weekly-ceo');
    expect(schedule?.paused).toBe(false);
    // Resumed at 09:02: the 06:00 to 09:00 slots are neither run nor recorded; 10:00 is.
    expect(await tick(store.db, new Date('2026-11-23T09:30:00Z'), { graceMs: HOUR })).toEqual({
      claimed: [],
      skipped: [],
    });
    const next = await tick(store.db, new Date('2026-11-23T10:00:30Z'), { graceMs: HOUR });
    expect(next.claimed.map((c) => c.slot.toISOString())).toEqual(['2026-11-23T10:00:00.000Z']);
  });
});

describe('two tick loops against one PostgreSQL', () => {
  it('claim each (schedule, slot) once', async () => {
    const store = await storeKinds.postgres();
    try {
      await prepare(store.db, '2026-11-23T00:30:00Z');
      const other = await store.reopen();
      const claims: string[] = [];
      // Both loops tick every 5 minutes from 01:00 to 06:00; ticks interleave at the same instants.
      for (let minute = 30; minute <= 360; minute += 5) {
        const now = new Date(Date.parse('2026-11-23T00:30:00Z') + minute * 60_000);
        const results = await Promise.all([
          tick(store.db, now, { graceMs: 10 * 60_000 }),
          tick(other, now, { graceMs: 10 * 60_000 }),
        ]);
        for (const result of results)
          claims.push(...result.claimed.map((c) => c.slot.toISOString()));
      }
      expect(claims.sort()).toEqual(
        ['01', '02', '03', '04', '05', '06'].map((h) => `2026-11-23T${h}:00:00.000Z`),
      );
    } finally {
      await store.dispose();
    }
  });
});

describe('leases', () => {
  it('lets a second worker take over a run whose lease expired, and stops the first', async () => {
    const store = await storeKinds.postgres();
    try {
      await prepare(store.db, '2026-11-23T07:30:00Z');
      await tick(store.db, new Date('2026-11-23T08:01:00Z'), { graceMs: HOUR });
      const runs = new RunsRepo(store.db);
      const taken = await runs.take('worker-a', 60_000, 3);
      expect(taken?.attempt).toBe(1);
      expect(await runs.take('worker-b', 60_000, 3)).toBeUndefined();
      // worker-a dies: its lease runs out.
      await store.db.query(`UPDATE runs SET lease_expires_at = now() - interval '1 second'`);
      const retaken = await runs.take('worker-b', 60_000, 3);
      expect(retaken?.id).toBe(taken?.id);
      expect(retaken?.attempt).toBe(2);
      expect(await runs.heartbeat(taken?.id ?? 0, 'worker-a', 60_000)).toBe(false);
      expect(await runs.heartbeat(taken?.id ?? 0, 'worker-b', 60_000)).toBe(true);
      expect(await runs.finish(taken?.id ?? 0, 'worker-a', 'sent', null)).toBe(false);
      expect(await runs.finish(taken?.id ?? 0, 'worker-b', 'sent', null)).toBe(true);
    } finally {
      await store.dispose();
    }
  });

  it('gives a run up after its attempts are spent', async () => {
    const store = await storeKinds.postgres();
    try {
      await prepare(store.db, '2026-11-23T07:30:00Z');
      await tick(store.db, new Date('2026-11-23T08:01:00Z'), { graceMs: HOUR });
      const runs = new RunsRepo(store.db);
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        expect((await runs.take(`w${attempt}`, 60_000, 2))?.attempt).toBe(attempt);
        await store.db.query(`UPDATE runs SET lease_expires_at = now() - interval '1 second'`);
      }
      expect(await runs.take('w3', 60_000, 2)).toBeUndefined();
      const [run] = await store.db.query<{ status: string; error: string }>(
        'SELECT status, error FROM runs',
      );
      expect(run).toEqual({ status: 'failed', error: 'the worker stopped during the run 2 times' });
    } finally {
      await store.dispose();
    }
  });
});

describe('schedule input', () => {
  it('names the field at fault', async () => {
    const store = await storeKinds.pglite();
    try {
      await migrate(store.db);
      const repo = new SchedulesRepo(store.db);
      await expect(repo.save({ ...spec, timeZone: 'Europe/Gotham' })).rejects.toThrow(
        /^timeZone: expected an IANA time zone/,
      );
      await expect(repo.save({ ...spec, cron: '0 25 * * *' })).rejects.toThrow(/^cron: /);
      await expect(
        repo.save({ ...spec, recipients: { to: ['ceo@example.com', 'not-an-address'] } }),
      ).rejects.toThrow(/^recipients.to\[1\]: expected an email address/);
      await expect(repo.save({ ...spec, recipients: { to: [] } })).rejects.toThrow(
        /^recipients.to: at least one recipient/,
      );
    } finally {
      await store.dispose();
    }
  });
});
