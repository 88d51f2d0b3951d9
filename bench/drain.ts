/**
 * Delivery drain benchmark (issue 7): N weekly schedules of R recipients each come due at one slot;
 * one tick claims them and W workers drain them through the real worker (render once per run:
 * queries, HTML, PDF in Chromium, charts to PNG; then one message per recipient) to an in-process
 * SMTP server over nodemailer's pooled transport. Store: PGlite (the embedded default).
 * Run: `npx tsx bench/drain.ts [schedules=200] [recipients=5] [workers=2]`.
 * Peak memory is sampled every 200 ms: this Node process's RSS plus every child (Chromium's processes).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { smtpTransport } from '../src/delivery/smtpTransport.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { reportRunRenderer } from '../src/app/reportRunRenderer.js';
import { BrowserPool } from '../src/render/browserPool.js';
import { processNextRun } from '../src/app/processNextRun.js';
import { SchedulesRepo } from '../src/store/schedulesRepo.js';
import { tick } from '../src/app/tick.js';
import { migrate } from '../src/store/migrate.js';
import { openPglite } from '../src/store/pgliteDb.js';
import { reportBenchSample } from './reportSample.js';

const schedules = Number(process.argv[2] ?? 200);
const perSchedule = Number(process.argv[3] ?? 5);
const workers = Number(process.argv[4] ?? 2);

const file = await reportBenchSample();

/** RSS of this process and all its descendants, from /proc (Linux). */
function treeRss(): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  let bytes = 0;
  const queue = [process.pid];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    try {
      bytes += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
    } catch {
      // gone
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return bytes;
}

// An in-process SMTP peer that accepts everything and counts what arrives.
let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received += 1;
      callback();
    });
  },
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.server.address() as AddressInfo).port;

const store = await openPglite(mkdtempSync(join(tmpdir(), 'pathlight-bench-drain-')));
await migrate(store);
await store.query(`INSERT INTO reports (id, definition) VALUES ('weekly', $1::jsonb)`, [
  JSON.stringify({
    title: 'Weekly e-commerce journeys',
    goal: { event: 'purchase' },
    dateRange: 'last_week',
    sections: [
      { type: 'kpi_summary' },
      {
        type: 'funnel',
        funnel: {
          steps: [
            { name: 'Viewed a product', event: 'view_item' },
            { name: 'Added to cart', event: 'add_to_cart' },
            { name: 'Started checkout', event: 'begin_checkout' },
            { name: 'Bought', event: 'purchase' },
          ],
        },
      },
      { type: 'data_quality' },
    ],
  }),
]);
const repo = new SchedulesRepo(store);
for (let i = 0; i < schedules; i++) {
  await repo.save({
    id: `weekly-${i}`,
    reportId: 'weekly',
    name: `Weekly journeys ${i}`,
    cron: '0 8 * * 1',
    timeZone: 'Europe/Berlin',
    recipients: { to: Array.from({ length: perSchedule }, (_, r) => `s${i}.r${r}@example.com`) },
    owner: 'owner@example.com',
  });
}
// Monday 26 Oct 2026, 08:00 in Berlin (07:00 UTC): every schedule's slot; checked up to an hour before.
await store.query(`UPDATE schedules SET checked_until = '2026-10-26T06:00:00Z'`);

const engine = await DuckdbEngine.open(file, { mode: 'read' });
const pool = new BrowserPool({ pages: workers });
const transport = smtpTransport({ url: `smtp://127.0.0.1:${port}`, maxConnections: 3 });
const renderer = reportRunRenderer({
  engine,
  store,
  pool,
  email: { attachmentLimitBytes: 7 * 1024 * 1024, unsubscribeMailto: 'reports@example.com' },
});
const worker = (n: number) => ({
  db: store,
  renderer,
  deliver: {
    transport,
    from: 'Pathlight <reports@example.com>',
    messageIdDomain: 'example.com',
    unsubscribe: () => ({ mailto: 'reports@example.com' }),
    retry: { attempts: 3, baseMs: 1000, capMs: 30_000 },
  },
  owner: `bench-${n}`,
  leaseMs: 5 * 60_000,
  maxAttempts: 3,
  renderTimeoutMs: 240_000,
  pauseAfterFailures: 3,
  notifyOwner: async () => undefined,
});

let peak = treeRss();
const sampler = setInterval(() => {
  peak = Math.max(peak, treeRss());
}, 200);
const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
const began = performance.now();
const claimed = await tick(store, new Date('2026-10-26T07:01:00Z'), { graceMs: 15 * 60_000 });
const claimMs = performance.now() - began;
let processed = 0;
await Promise.all(
  Array.from({ length: workers }, async (_, n) => {
    const options = worker(n);
    while (await processNextRun(options)) {
      processed += 1;
      if (processed % 20 === 0)
        process.stderr.write(
          `${processed} runs, ${received} messages, ${((performance.now() - began) / 1000).toFixed(0)} s\n`,
        );
    }
  }),
);
const seconds = (performance.now() - began) / 1000;
clearInterval(sampler);
peak = Math.max(peak, treeRss());
const loadAfter = readFileSync('/proc/loadavg', 'utf8').trim();

const [runs] = await store.query<{ sent: string; other: string }>(
  `SELECT COUNT(*) FILTER (WHERE status = 'sent')::text AS sent, COUNT(*) FILTER (WHERE status <> 'sent')::text AS other FROM runs`,
);
const [deliveries] = await store.query<{ sent: string; attempts: string }>(
  `SELECT COUNT(*) FILTER (WHERE status = 'sent')::text AS sent, SUM(attempts)::text AS attempts FROM deliveries`,
);
const [stages] = await store.query<Record<string, string>>(
  `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (stage_ms->>'render_total')::numeric)::text AS render,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY (stage_ms->>'pdf')::numeric)::text AS pdf,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY (stage_ms->>'email')::numeric)::text AS email,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY (stage_ms->>'send')::numeric)::text AS send
   FROM runs WHERE status = 'sent'`,
);
const messages = schedules * perSchedule;
console.log(
  JSON.stringify(
    {
      schedules,
      recipientsEach: perSchedule,
      workers,
      cores: cpus().length,
      claimed: claimed.claimed.length,
      claimMs: Math.round(claimMs),
      seconds: Number(seconds.toFixed(1)),
      runsSent: Number(runs?.sent),
      runsNotSent: Number(runs?.other),
      deliveriesSent: Number(deliveries?.sent),
      attempts: Number(deliveries?.attempts),
      messagesReceived: received,
      messagesPerSecond: Number((messages / seconds).toFixed(2)),
      runsPerMinute: Number(((schedules / seconds) * 60).toFixed(1)),
      medianMs: Object.fromEntries(
        Object.entries(stages ?? {}).map(([k, v]) => [k, Math.round(Number(v))]),
      ),
      peakRssMb: Math.round(peak / 1024 / 1024),
      loadBefore,
      loadAfter,
    },
    null,
    2,
  ),
);

await transport.close();
await pool.close();
await engine.close();
await store.close();
server.close();
