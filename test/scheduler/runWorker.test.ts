import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RenderedEmail } from '../../src/delivery/renderedEmail.js';
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import type { Transport } from '../../src/delivery/transport.js';
import {
  processNextRun,
  type RunRenderer,
  type WorkerOptions,
} from '../../src/app/processNextRun.js';
import { SchedulesRepo } from '../../src/store/schedulesRepo.js';
import { tick } from '../../src/app/tick.js';
import { migrate } from '../../src/store/migrate.js';
import { startSmtpPeer } from '../support/smtpPeer.js';
import { storeKinds, type TestStore } from '../support/stores.js';

const email: RenderedEmail = {
  subject: 'Weekly',
  html: '<p>42</p>',
  text: '42',
  images: [],
  pdf: null,
};
let store: TestStore;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let transport: Transport;
let notices: string[];
let renders: number;

const renderer = (behaviour: () => void = () => undefined): RunRenderer => ({
  async render() {
    renders += 1;
    behaviour();
    return { email, bytesProcessed: 1234, stageMs: { query: 5, html: 2 } };
  },
});

const worker = (r: RunRenderer): WorkerOptions => ({
  db: store.db,
  renderer: r,
  deliver: {
    transport,
    from: 'reports@example.com',
    messageIdDomain: 'example.com',
    unsubscribe: () => ({ mailto: 'owner@example.com' }),
    retry: { attempts: 2, baseMs: 1, capMs: 2 },
  },
  owner: 'test-worker',
  leaseMs: 60_000,
  maxAttempts: 3,
  renderTimeoutMs: 5_000,
  pauseAfterFailures: 2,
  notifyOwner: async (_run, schedule, error) => {
    notices.push(`${schedule.owner}: ${error}`);
  },
});

beforeAll(async () => {
  store = await storeKinds.postgres();
  await migrate(store.db);
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', '{}')`);
  peer = await startSmtpPeer();
  transport = smtpTransport({ url: peer.url, allowInsecureTls: true });
});
afterAll(async () => {
  await transport.close();
  await peer.close();
  await store.dispose();
});
beforeEach(async () => {
  notices = [];
  renders = 0;
  await store.db.query('DELETE FROM runs');
  await store.db.query('DELETE FROM schedules');
  await new SchedulesRepo(store.db).save({
    id: 'hourly',
    reportId: 'weekly',
    name: 'Hourly',
    cron: '0 * * * *',
    timeZone: 'UTC',
    recipients: { to: ['a@example.com', 'b@example.com'] },
    owner: 'owner@example.com',
  });
  await store.db.query(`UPDATE schedules SET created_at = '2026-11-23T00:30:00Z'`);
});

describe('the run worker', () => {
  it('renders once, sends to every recipient, and records stages and bytes', async () => {
    peer.received.length = 0;
    await tick(store.db, new Date('2026-11-23T01:00:10Z'), { graceMs: 600_000 });
    const run = await processNextRun(worker(renderer()));
    expect(run).toBeDefined();
    expect(renders).toBe(1);
    expect(peer.received.map((m) => m.envelopeTo[0])).toEqual(['a@example.com', 'b@example.com']);
    const [row] = await store.db.query<{
      status: string;
      bytes_processed: string;
      stage_ms: Record<string, number>;
    }>('SELECT status, bytes_processed::text, stage_ms FROM runs WHERE id = $1', [run?.id]);
    expect(row?.status).toBe('sent');
    expect(row?.bytes_processed).toBe('1234');
    expect(Object.keys(row?.stage_ms ?? {}).sort()).toEqual([
      'html',
      'query',
      'render_total',
      'send',
    ]);
    expect(await processNextRun(worker(renderer()))).toBeUndefined();
  });

  it("renews the run's lease as it sends each message, not only on its heartbeat", async () => {
    // Sends that take 400 ms each; the heartbeat comes every 20 s of a 60 s lease, so without a
    // renewal per message the second send would find 60 s less the first send's time left.
    const left: number[] = [];
    const slow: Transport = {
      ...transport,
      async send(message) {
        const [row] = await store.db.query<{ ms: number }>(
          `SELECT (EXTRACT(EPOCH FROM lease_expires_at - now()) * 1000)::float8 AS ms
             FROM runs WHERE status = 'running'`,
        );
        left.push(Number(row?.ms));
        await new Promise((resolve) => setTimeout(resolve, 400));
        return transport.send(message);
      },
    };
    await tick(store.db, new Date('2026-11-23T01:00:10Z'), { graceMs: 600_000 });
    const options = worker(renderer());
    await processNextRun({ ...options, deliver: { ...options.deliver, transport: slow } });
    expect(left).toHaveLength(2);
    for (const ms of left) expect(ms).toBeGreaterThan(60_000 - 250);
  });

  it('notifies the owner once per failed run and pauses the schedule after repeated failures', async () => {
    const failing = renderer(() => {
      throw Object.assign(new Error('template error: missing section'), { transient: false });
    });
    await tick(store.db, new Date('2026-11-23T01:00:10Z'), { graceMs: 600_000 });
    await processNextRun(worker(failing));
    expect(notices).toEqual(['owner@example.com: template error: missing section']);
    expect((await new SchedulesRepo(store.db).get('hourly'))?.paused).toBe(false);
    await tick(store.db, new Date('2026-11-23T02:00:10Z'), { graceMs: 600_000 });
    await processNextRun(worker(failing));
    expect(notices).toHaveLength(2);
    const schedule = await new SchedulesRepo(store.db).get('hourly');
    expect(schedule?.paused).toBe(true);
    expect(schedule?.pausedReason).toBe(
      'paused after 2 failed runs in a row; last error: template error: missing section',
    );
  });

  it('retries a transient render failure on a later take', async () => {
    let first = true;
    const flaky = renderer(() => {
      if (first) {
        first = false;
        throw Object.assign(new Error('browser disconnected'), { transient: true });
      }
    });
    peer.received.length = 0;
    await tick(store.db, new Date('2026-11-23T01:00:10Z'), { graceMs: 600_000 });
    await processNextRun(worker(flaky));
    await processNextRun(worker(flaky));
    const [row] = await store.db.query<{ status: string; attempt: number }>(
      'SELECT status, attempt FROM runs',
    );
    expect(row).toEqual({ status: 'sent', attempt: 2 });
    expect(peer.received).toHaveLength(2);
    expect(notices).toEqual([]);
  });
});
