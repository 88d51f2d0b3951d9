import type { StoreDb } from './storeDb.js';

/**
 * A store still opening (the embedded one's first start creates its database, which takes
 * seconds): every call waits for it, so the service can listen meanwhile. A failed opening fails
 * every call with its error.
 */
export function deferredStore(kind: StoreDb['kind'], opening: Promise<StoreDb>): StoreDb {
  // Marked handled here; each call below still sees the rejection.
  opening.catch(() => undefined);
  return {
    kind,
    query: async (sql, params) => (await opening).query(sql, params),
    exec: async (sql) => (await opening).exec(sql),
    transaction: async (fn) => (await opening).transaction(fn),
    async close() {
      const store = await opening.catch(() => undefined);
      await store?.close();
    },
  };
}
