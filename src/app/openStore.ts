import { storeDir, type Config } from '../config/config.js';
import { migrate } from '../store/migrate.js';
import { openPglite } from '../store/pgliteDb.js';
import { openPostgres } from '../store/postgresDb.js';
import type { StoreDb } from '../store/storeDb.js';

/** The configured store (PostgreSQL when DATABASE_URL is set, else PGlite in the data folder), migrated. */
export async function openStore(config: Config): Promise<{ store: StoreDb; applied: string[] }> {
  const store = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL)
    : await openPglite(storeDir(config));
  try {
    return { store, applied: await migrate(store) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
