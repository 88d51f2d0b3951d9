import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulesRepo } from '../../src/store/schedulesRepo.js';
import { tick } from '../../src/app/tick.js';
import { migrate } from '../../src/store/migrate.js';
import { startSmtpPeer } from '../support/smtpPeer.js';
import { storeKinds, TEST_DATABASE_URL, type TestStore } from '../support/stores.js';

let store: TestStore;
let url: string;

/** Starts a worker process; resolves `seen(text)` when it prints a line containing text. */
function startWorker(smtpUrl: string, renderMs: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./crashWorker.ts', import.meta.url).pathname,
      url,
      smtpUrl,
      String(renderMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      if (output.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    seen: (text: string) =>
      new Promise<void>((resolve) => {
        if (output.includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
    exited,
  };
}

/** The killed worker's lease (1.5 s) must run out before another may take its run. */
const leaseExpiry = () => new Promise((resolve) => setTimeout(resolve, 1700));

const recipients = [
  'a@example.com',
  'b@example.com',
  'c@example.com',
  'd@example.com',
  'e@example.com',
];

async function claimOneRun(): Promise<void> {
  await store.db.query('DELETE FROM runs');
  await store.db.query(
    `UPDATE schedules SET checked_until = NULL, created_at = '2026-11-23T00:30:00Z'`,
  );
  await tick(store.db, new Date('2026-11-23T01:00:05Z'), { graceMs: 600_000 });
}

beforeAll(async () => {
  store = await storeKinds.postgres();
  await migrate(store.db);
  const schema =
    (await store.db.query<{ s: string }>('SELECT current_schema() AS s'))[0]?.s ?? 'public';
  url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', '{}')`);
  await new SchedulesRepo(store.db).save({
    id: 'hourly',
    reportId: 'weekly',
    name: 'Hourly',
    cron: '0 * * * *',
    timeZone: 'UTC',
    recipients: { to: recipients },
    owner: 'owner@example.com',
  });
});
afterAll(async () => {
  await store.dispose();
});

describe('a worker killed with SIGKILL', () => {
  it('during render: the restarted worker takes the run over and every recipient gets it once', async () => {
    const peer = await startSmtpPeer();
    try {
      await claimOneRun();
      const first = startWorker(peer.url, 60_000);
      await first.seen('rendering');
      await first.kill();
      expect(peer.received).toHaveLength(0);
      await leaseExpiry();
      const second = startWorker(peer.url, 10);
      await second.seen('idle');
      expect(peer.received.map((m) => m.envelopeTo[0]).sort()).toEqual(recipients);
      const [run] = await store.db.query<{ status: string; attempt: number }>(
        'SELECT status, attempt FROM runs',
      );
      expect(run).toEqual({ status: 'sent', attempt: 2 });
    } finally {
      await peer.close();
    }
  }, 60_000);

  it('during send: nothing is lost and nothing accepted before the kill is sent again', async () => {
    const peer = await startSmtpPeer();
    try {
      await claimOneRun();
      // The third message hangs in DATA until the worker is killed.
      let release: () => void = () => undefined;
      peer.plan('accept', 'accept', { hold: new Promise<void>((resolve) => (release = resolve)) });
      const first = startWorker(peer.url, 10);
      while (peer.received.length < 2 || !peer.holding())
        await new Promise((resolve) => setTimeout(resolve, 20));
      await first.kill();
      release();
      await leaseExpiry();
      const second = startWorker(peer.url, 10);
      await second.seen('idle');
      const delivered = peer.received.map((m) => m.envelopeTo[0]).sort();
      expect(delivered).toEqual(recipients);
      const ids = peer.received.map((m) => m.parsed.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      const deliveries = await store.db.query<{ status: string }>('SELECT status FROM deliveries');
      expect(deliveries.every((d) => d.status === 'sent')).toBe(true);
    } finally {
      await peer.close();
    }
  }, 60_000);
});
