import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxTransport } from '../../src/delivery/outboxTransport.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { tasksRouter } from '../../src/http/routes/tasks.js';
import { startSchedulerLoop, type SchedulerLoop } from '../../src/scheduler/schedulerLoop.js';
import { migrate } from '../../src/store/migrate.js';
import { storeKinds, type TestStore } from '../support/stores.js';

let store: TestStore;
let loop: SchedulerLoop;
const servers: RunningServer[] = [];

async function serve(appEngine: boolean): Promise<string> {
  const app = express();
  app.use(tasksRouter(loop, { appEngine, secret: 's3cret-token' }));
  const server = await startServer(app, '127.0.0.1', 0);
  servers.push(server);
  return server.url;
}

beforeAll(async () => {
  store = await storeKinds.pglite();
  await migrate(store.db);
  loop = startSchedulerLoop({
    db: store.db,
    graceMs: 60_000,
    intervalMs: null,
    worker: {
      db: store.db,
      renderer: { render: () => Promise.reject(new Error('no runs expected')) },
      deliver: {
        transport: outboxTransport('/nonexistent'),
        from: 'x@example.com',
        messageIdDomain: 'example.com',
        unsubscribe: () => ({ mailto: 'x@example.com' }),
        retry: { attempts: 1, baseMs: 1, capMs: 1 },
      },
      owner: 'test',
      leaseMs: 60_000,
      maxAttempts: 3,
      renderTimeoutMs: 1000,
      pauseAfterFailures: 3,
      notifyOwner: async () => undefined,
    },
  });
});
afterAll(async () => {
  await loop.stop();
  for (const server of servers) await server.stop();
  await store.dispose();
});

describe('POST /tasks/tick', () => {
  it('accepts the shared secret and answers what the tick did', async () => {
    const url = await serve(false);
    const ok = await fetch(`${url}/tasks/tick`, {
      method: 'POST',
      headers: { Authorization: 'Bearer s3cret-token' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ claimed: 0, processed: 0 });
  });

  it('refuses a missing or wrong secret, and the cron header outside App Engine', async () => {
    const url = await serve(false);
    const cases: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { 'X-Appengine-Cron': 'true' },
    ];
    for (const headers of cases) {
      const res = await fetch(`${url}/tasks/tick`, { method: 'POST', headers });
      expect(res.status).toBe(403);
    }
  });

  it('trusts App Engine cron’s header behind App Engine', async () => {
    const url = await serve(true);
    const res = await fetch(`${url}/tasks/tick`, {
      method: 'POST',
      headers: { 'X-Appengine-Cron': 'true' },
    });
    expect(res.status).toBe(200);
  });

  it('answers App Engine cron’s GET only behind App Engine and only with its header', async () => {
    const inside = await serve(true);
    expect(
      (await fetch(`${inside}/tasks/tick`, { headers: { 'X-Appengine-Cron': 'true' } })).status,
    ).toBe(200);
    expect((await fetch(`${inside}/tasks/tick`)).status).toBe(403);
    const outside = await serve(false);
    expect(
      (await fetch(`${outside}/tasks/tick`, { headers: { 'X-Appengine-Cron': 'true' } })).status,
    ).toBe(403);
  });
});
