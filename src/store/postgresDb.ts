import pg from 'pg';
import type { Queryable, StoreDb } from './storeDb.js';

/** Production store: PostgreSQL (Cloud SQL) through a small pool. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<StoreDb> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 5,
    connectionTimeoutMillis: 10_000,
  });
  // Fail at start-up, not on the first request, when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  const on = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      return (await client.query<T & pg.QueryResultRow>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });
  const base = on(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
