import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Queryable, StoreDb } from './storeDb.js';
import { lockStoreDir } from './storeLock.js';

const wrap = (db: PGlite | Transaction): Queryable => ({
  async query<T extends object>(sql: string, params: readonly unknown[] = []) {
    return (await db.query<T>(sql, [...params])).rows;
  },
  async exec(sql: string) {
    await db.exec(sql);
  },
});

/** The embedded store: PostgreSQL compiled to run in-process, kept in a data folder. */
export async function openPglite(dataDir: string | undefined): Promise<StoreDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockStoreDir(dataDir) : () => undefined;
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const base = wrap(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async close() {
      await db.close();
      unlock();
    },
  };
}
