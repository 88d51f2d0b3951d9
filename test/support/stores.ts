import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPglite } from '../../src/store/pgliteDb.js';
import { openPostgres } from '../../src/store/postgresDb.js';
import type { StoreDb } from '../../src/store/storeDb.js';
import { freshPgliteDir } from './pgliteTemplate.js';

/** The test PostgreSQL server; CI starts it when it is down. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  readonly db: StoreDb;
  /** A second connection to the same store, as a second instance would have (PostgreSQL only). */
  reopen(): Promise<StoreDb>;
  dispose(): Promise<void>;
}

/** A fresh, empty store of each kind: PGlite in a temp folder, or a new PostgreSQL schema. */
export const storeKinds: Record<'pglite' | 'postgres', () => Promise<TestStore>> = {
  async pglite() {
    const dir = await freshPgliteDir(mkdtempSync(join(tmpdir(), 'pathlight-pglite-')));
    const db = await openPglite(dir);
    return {
      db,
      reopen: () => Promise.reject(new Error('PGlite is one process')),
      dispose: () => db.close(),
    };
  },
  async postgres() {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const opened: StoreDb[] = [];
    const open = async () => {
      const db = await openPostgres(url);
      opened.push(db);
      return db;
    };
    const db = await open();
    return {
      db,
      reopen: open,
      async dispose() {
        for (const each of opened) await each.close();
        const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleanup.end();
      },
    };
  },
};
