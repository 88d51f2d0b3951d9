import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/pgliteDb.js';

describe('the embedded store lock', () => {
  it('refuses a folder another live process holds, and takes over a dead one’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathlight-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(dir, 'pathlight.pid'), String(holder.pid));
      await expect(openPglite(dir)).rejects.toThrow(
        `the embedded store in ${dir} is in use by process ${holder.pid}`,
      );
    } finally {
      holder.kill('SIGKILL');
    }
    // A process that has exited: its pid file is stale.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dir, 'pathlight.pid'), gone.stdout.toString());
    const db = await openPglite(dir);
    expect(readFileSync(join(dir, 'pathlight.pid'), 'utf8')).toBe(String(process.pid));
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
    expect(existsSync(join(dir, 'pathlight.pid'))).toBe(false);
  });
});
