/**
 * First open of the embedded store: PGlite started in an empty folder, then every migration
 * applied, each timed. Run: npx tsx bench/storeOpen.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../src/store/migrate.js';
import { openPglite } from '../src/store/pgliteDb.js';

const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const dir = mkdtempSync(join(tmpdir(), 'pathlight-bench-store-'));
try {
  const started = performance.now();
  const store = await openPglite(join(dir, 'store'));
  const opened = performance.now();
  const applied = await migrate(store);
  const migrated = performance.now();
  await store.close();
  console.log(
    `PGlite open ${((opened - started) / 1000).toFixed(2)} s, ${applied.length} migrations ${((migrated - opened) / 1000).toFixed(2)} s (load ${load()})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
