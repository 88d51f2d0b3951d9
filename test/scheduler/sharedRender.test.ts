import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDrainer } from '../../src/app/drainer.js';
import { reportRunEmail } from '../../src/app/reportRunEmail.js';
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import type { Transport } from '../../src/delivery/transport.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { migrate } from '../../src/store/migrate.js';
import { SchedulesRepo } from '../../src/store/schedulesRepo.js';
import { sampleDb } from '../render/sampleDb.js';
import { startSmtpPeer } from '../support/smtpPeer.js';
import { storeKinds, type TestStore } from '../support/stores.js';

let store: TestStore;
let engine: DuckdbEngine;
let peer: Awaited<ReturnType<typeof startSmtpPeer>>;
let transport: Transport;

const DEFINITION = {
  title: 'Weekly journeys',
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [{ type: 'kpi_summary' }],
};

beforeAll(async () => {
  store = await storeKinds.postgres();
  await migrate(store.db);
  engine = await DuckdbEngine.open(await sampleDb(), { mode: 'read' });
  peer = await startSmtpPeer();
  transport = smtpTransport({ url: peer.url, allowInsecureTls: true });
  await store.db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', $1::jsonb)`, [
    JSON.stringify(DEFINITION),
  ]);
  const schedules = new SchedulesRepo(store.db);
  // Two schedules of one report over its own range, a third over another range.
  for (const [id, dateRange] of [
    ['monday-a', null],
    ['monday-b', null],
    ['monday-28', 'last_28_days'],
  ] as const) {
    await schedules.save({
      id,
      reportId: 'weekly',
      name: `Digest ${id}`,
      cron: '0 8 * * 1',
      timeZone: 'Europe/Berlin',
      recipients: { to: [`${id}@example.com`] },
      formats: { pdf: false, inline: true },
      ...(dateRange ? { dateRange } : {}),
      owner: 'owner@example.com',
    });
  }
  await store.db.query(`UPDATE schedules SET checked_until = '2026-10-26T06:00:00Z'`);
}, 60_000);
afterAll(async () => {
  await transport.close();
  await peer.close();
  await engine.close();
  await store.dispose();
});

describe('a drain of schedules sharing a report', () => {
  it('renders once per definition and resolved range, and each email keeps its schedule', async () => {
    const drainer = createDrainer({
      db: store.db,
      graceMs: 15 * 60_000,
      concurrency: 2,
      worker: {
        db: store.db,
        renderer: reportRunEmail({
          engine,
          store: store.db,
          email: { attachmentLimitBytes: 1_000_000, unsubscribeMailto: 'reports@example.com' },
        }),
        deliver: {
          transport,
          from: 'reports@example.com',
          messageIdDomain: 'example.com',
          unsubscribe: () => ({ mailto: 'reports@example.com' }),
          retry: { attempts: 1, baseMs: 1, capMs: 1 },
        },
        owner: 'test-drainer',
        leaseMs: 60_000,
        maxAttempts: 1,
        renderTimeoutMs: 30_000,
        pauseAfterFailures: 3,
        notifyOwner: async () => undefined,
      },
    });
    // Monday 26 October 2026, 08:00 in Berlin: every schedule's slot.
    expect(await drainer.runOnce(new Date('2026-10-26T07:01:00Z'))).toEqual({
      claimed: 3,
      processed: 3,
    });
    const runs = await store.db.query<{ schedule_id: string; status: string; stages: string[] }>(
      `SELECT schedule_id, status, ARRAY(SELECT jsonb_object_keys(stage_ms) ORDER BY 1) AS stages
       FROM runs ORDER BY schedule_id`,
    );
    expect(runs.map((r) => [r.schedule_id, r.status])).toEqual([
      ['monday-28', 'sent'],
      ['monday-a', 'sent'],
      ['monday-b', 'sent'],
    ]);
    // The queries ran for one of the pair and for the other range; the other of the pair waited.
    const rendered = (r: { stages: string[] }) => r.stages.includes('query');
    expect(rendered(runs[0]!)).toBe(true);
    expect([runs[1], runs[2]].map((r) => rendered(r!)).sort()).toEqual([false, true]);
    expect([runs[1], runs[2]].find((r) => !rendered(r!))?.stages).toEqual([
      'email',
      'render_total',
      'send',
      'shared_wait',
    ]);
    const byRecipient = new Map(peer.received.map((m) => [m.envelopeTo[0], m.parsed]));
    expect(byRecipient.get('monday-a@example.com')?.subject).toBe(
      'Weekly journeys · Oct 19\u2009–\u200925, 2026',
    );
    expect(byRecipient.get('monday-b@example.com')?.subject).toBe(
      'Weekly journeys · Oct 19\u2009–\u200925, 2026',
    );
    expect(byRecipient.get('monday-28@example.com')?.subject).toBe(
      'Weekly journeys · Sep 28\u2009–\u2009Oct 25, 2026',
    );
    expect(byRecipient.get('monday-a@example.com')?.text).toContain('Digest monday-a');
    expect(byRecipient.get('monday-b@example.com')?.text).toContain('Digest monday-b');
  }, 60_000);
});
