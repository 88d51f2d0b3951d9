import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { storeKinds, type TestStore } from '../support/stores.js';

describe.each(['pglite', 'postgres'] as const)('migrations on %s', (kind) => {
  let store: TestStore;
  afterEach(async () => {
    await store.dispose();
  });

  it('creates every table once and is a no-op the second time', async () => {
    store = await storeKinds[kind]();
    expect(await migrate(store.db)).toEqual(['001_store', '002_report_links', '003_personas']);
    expect(await migrate(store.db)).toEqual([]);
    const tables = await store.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'attempts',
      'deliveries',
      'goals',
      'link_revocations',
      'outbox',
      'personas',
      'report_links',
      'reports',
      'runs',
      'schedules',
      'schema_migrations',
    ]);
  });

  it('claims a (schedule, slot) once: the second insert is refused by the unique key', async () => {
    store = await storeKinds[kind]();
    await migrate(store.db);
    await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', '{}')`);
    await store.db.query(
      `INSERT INTO schedules (id, report_id, name, cron, time_zone, recipients, formats, owner)
       VALUES ('s1', 'weekly', 'Weekly', '0 8 * * 1', 'Europe/Berlin', '[]', '[]', 'a@example.com')`,
    );
    const claim = `INSERT INTO runs (schedule_id, report_id, slot, kind, status)
      VALUES ('s1', 'weekly', '2026-11-23T07:00:00Z', 'scheduled', 'claimed')
      ON CONFLICT (schedule_id, slot) DO NOTHING RETURNING id`;
    expect(await store.db.query(claim)).toHaveLength(1);
    expect(await store.db.query(claim)).toHaveLength(0);
  });

  it('rolls a failed transaction back whole', async () => {
    store = await storeKinds[kind]();
    await migrate(store.db);
    await expect(
      store.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO goals (name, definition) VALUES ('Purchase', '{"event":"purchase"}')`,
        );
        await tx.query(`INSERT INTO goals (name, definition) VALUES ('bad name!', '{}')`);
      }),
    ).rejects.toThrow(/goals_name_check/);
    expect(await store.db.query('SELECT name FROM goals')).toEqual([]);
  });
});

describe('migrations with two PostgreSQL instances starting together', () => {
  it('apply once', async () => {
    const store = await storeKinds.postgres();
    try {
      const other = await store.reopen();
      const results = await Promise.all([migrate(store.db), migrate(other)]);
      expect(results.flat().sort()).toEqual(['001_store', '002_report_links', '003_personas']);
    } finally {
      await store.dispose();
    }
  });
});
