/**
 * Delivery drain benchmark, before and after side by side in one process: N weekly schedules of
 * R recipients each come due at one slot, spread over D report definitions, every third schedule
 * over `last_28_days` instead of the definition's `last_week` (so 2 × D distinct renders). Each
 * configuration gets its own fresh PGlite store and drains through the real drainer (tick, render:
 * queries on DuckDB, HTML, A4 PDF in Chromium, charts to PNG; then one message per recipient) to
 * an in-process SMTP server (`smtp-server`) over nodemailer's pooled transport (3 connections).
 *
 * before: one run at a time, every run renders its own report, a fresh browser context and page
 *         per Chromium job, one message at a time (how the drainer worked before sharing).
 * after:  4 runs at once sharing renders within the drain, warm pages, 3 messages in flight.
 *
 * Run: `npx tsx bench/drain.ts [--schedules 20] [--recipients 5] [--definitions 4] [--only after]`
 * `--full` is the size the drain is held to: 200 schedules × 5 recipients. Progress goes to stderr.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { createDrainer } from '../src/app/drainer.js';
import { reportRunEmail } from '../src/app/reportRunEmail.js';
import { smtpTransport } from '../src/delivery/smtpTransport.js';
import { DuckdbEngine } from '../src/engines/duckdb/DuckdbEngine.js';
import { BrowserPool } from '../src/render/browserPool.js';
import { migrate } from '../src/store/migrate.js';
import { openPglite } from '../src/store/pgliteDb.js';
import { SchedulesRepo } from '../src/store/schedulesRepo.js';
import type { StoreDb } from '../src/store/storeDb.js';
import { reportBenchSample } from './reportSample.js';

const { values: args } = parseArgs({
  options: {
    schedules: { type: 'string', default: '20' },
    recipients: { type: 'string', default: '5' },
    definitions: { type: 'string', default: '4' },
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const schedules = args.full ? 200 : Number(args.schedules);
const perSchedule = args.full ? 5 : Number(args.recipients);
const definitions = Number(args.definitions);

interface Setup {
  readonly name: 'before' | 'after';
  readonly concurrency: number;
  readonly shareRenders: boolean;
  readonly warmPages: boolean;
  readonly sendConcurrency: number;
}
const SETUPS: Setup[] = [
  { name: 'before', concurrency: 1, shareRenders: false, warmPages: false, sendConcurrency: 1 },
  { name: 'after', concurrency: 4, shareRenders: true, warmPages: true, sendConcurrency: 3 },
].filter((s) => !args.only || s.name === args.only) as Setup[];

const STEPS = [
  { name: 'Viewed a product', event: 'view_item' },
  { name: 'Added to cart', event: 'add_to_cart' },
  { name: 'Started checkout', event: 'begin_checkout' },
  { name: 'Bought', event: 'purchase' },
];

/** Definition d: the 3-section weekly report, each with its own title and funnel depth. */
const definition = (d: number) => ({
  title: `Weekly e-commerce journeys ${d}`,
  goal: { event: 'purchase' },
  dateRange: 'last_week',
  sections: [
    { type: 'kpi_summary' },
    { type: 'funnel', funnel: { steps: STEPS.slice(0, 2 + (d % 3)) } },
    { type: 'data_quality' },
  ],
});

const file = await reportBenchSample();
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
const engine = await DuckdbEngine.open(file, { mode: 'read' });

async function freshStore(): Promise<StoreDb> {
  const store = await openPglite(mkdtempSync(join(tmpdir(), 'pathlight-bench-drain-')));
  await migrate(store);
  for (let d = 0; d < definitions; d++)
    await store.query(`INSERT INTO reports (id, definition) VALUES ($1, $2::jsonb)`, [
      `weekly-${d}`,
      JSON.stringify(definition(d)),
    ]);
  const repo = new SchedulesRepo(store);
  for (let i = 0; i < schedules; i++) {
    await repo.save({
      id: `weekly-${i}`,
      reportId: `weekly-${i % definitions}`,
      name: `Weekly journeys ${i}`,
      cron: '0 8 * * 1',
      timeZone: 'Europe/Berlin',
      recipients: { to: Array.from({ length: perSchedule }, (_, r) => `s${i}.r${r}@example.com`) },
      ...(i % 3 === 2 ? { dateRange: 'last_28_days' as const } : {}),
      owner: 'owner@example.com',
    });
  }
  // Monday 26 Oct 2026, 08:00 in Berlin (07:00 UTC): every schedule's slot.
  await store.query(`UPDATE schedules SET checked_until = '2026-10-26T06:00:00Z'`);
  return store;
}

async function drain(setup: Setup) {
  const store = await freshStore();
  const pool = new BrowserPool({ pages: 2, warmPages: setup.warmPages });
  const transport = smtpTransport({ url: `smtp://127.0.0.1:${port}`, maxConnections: 3 });
  const drainer = createDrainer({
    db: store,
    graceMs: 15 * 60_000,
    concurrency: setup.concurrency,
    shareRenders: setup.shareRenders,
    worker: {
      db: store,
      renderer: reportRunEmail({
        engine,
        store,
        pool,
        email: { attachmentLimitBytes: 7 * 1024 * 1024, unsubscribeMailto: 'reports@example.com' },
      }),
      deliver: {
        transport,
        from: 'Pathlight <reports@example.com>',
        messageIdDomain: 'example.com',
        unsubscribe: () => ({ mailto: 'reports@example.com' }),
        retry: { attempts: 3, baseMs: 1000, capMs: 30_000 },
        concurrency: setup.sendConcurrency,
      },
      owner: `bench-${setup.name}`,
      leaseMs: 10 * 60_000,
      maxAttempts: 3,
      renderTimeoutMs: 600_000,
      pauseAfterFailures: 3,
      notifyOwner: async () => undefined,
    },
  });
  // Chromium's launch is paid before the clock starts, in both setups.
  await pool.withPage(async () => undefined);
  const receivedBefore = received;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const began = performance.now();
  const progress = setInterval(() => {
    const done = received - receivedBefore;
    const width = 30;
    const filled = Math.round((done / (schedules * perSchedule)) * width);
    process.stderr.write(
      `\r${setup.name}: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${schedules * perSchedule} messages, ${((performance.now() - began) / 1000).toFixed(0)} s`,
    );
  }, 1000);
  const outcome = await drainer.runOnce(new Date('2026-10-26T07:01:00Z'));
  const seconds = (performance.now() - began) / 1000;
  clearInterval(progress);
  process.stderr.write('\n');
  const rows = await store.query<{ stage: string; seconds: string; runs: string }>(
    `SELECT key AS stage, (SUM(value::numeric) / 1000)::text AS seconds, COUNT(*)::text AS runs
     FROM runs, jsonb_each_text(stage_ms) GROUP BY key ORDER BY key`,
  );
  const [counts] = await store.query<{ sent: string; deliveries: string; attempts: string }>(
    `SELECT (SELECT COUNT(*) FROM runs WHERE status = 'sent')::text AS sent,
            COUNT(*) FILTER (WHERE status = 'sent')::text AS deliveries,
            SUM(attempts)::text AS attempts FROM deliveries`,
  );
  const troubled = await store.query<{
    id: string;
    status: string;
    attempt: number;
    error: string;
  }>(
    `SELECT id::text, status, attempt, error FROM runs WHERE attempt > 1 OR error IS NOT NULL ORDER BY id`,
  );
  for (const run of troubled)
    process.stderr.write(`run ${run.id}: ${run.status}, attempt ${run.attempt}: ${run.error}\n`);
  await transport.close();
  await pool.close();
  await store.close();
  return {
    setup,
    seconds,
    load,
    loadAfter: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    outcome,
    messages: received - receivedBefore,
    stages: new Map(
      rows.map((r) => [r.stage, { seconds: Number(r.seconds), runs: Number(r.runs) }]),
    ),
    counts,
  };
}

const results: Awaited<ReturnType<typeof drain>>[] = [];
for (const setup of SETUPS) results.push(await drain(setup));

console.log(
  `${schedules} schedules × ${perSchedule} recipients = ${schedules * perSchedule} messages; ` +
    `${definitions} definitions × 2 ranges = ${Math.min(schedules, 2 * definitions)} distinct renders; ${cpus().length} cores`,
);
for (const r of results)
  console.log(
    `${r.setup.name}: ${r.seconds.toFixed(1)} s, runs claimed ${r.outcome.claimed}, processed ${r.outcome.processed}, ` +
      `runs sent ${r.counts?.sent}, deliveries sent ${r.counts?.deliveries} (${r.counts?.attempts} attempts), ` +
      `messages received ${r.messages}; load ${r.load} → ${r.loadAfter}`,
  );
const stages = [...new Set(results.flatMap((r) => [...r.stages.keys()]))].sort();
console.log(
  `\n| stage (summed over runs) | ${results.map((r) => `${r.setup.name} s (runs)`).join(' | ')} |${results.length === 2 ? ' after / before |' : ''}`,
);
console.log(`|---|${results.map(() => '---|').join('')}${results.length === 2 ? '---|' : ''}`);
const cell = (r: (typeof results)[number], stage: string) => {
  const s = r.stages.get(stage);
  return s ? `${s.seconds.toFixed(1)} (${s.runs})` : '—';
};
for (const stage of [...stages, 'wall clock']) {
  const values = results.map((r) =>
    stage === 'wall clock' ? r.seconds : (r.stages.get(stage)?.seconds ?? 0),
  );
  const ratio =
    results.length === 2 && values[0] ? ` ${((values[1] ?? 0) / values[0]).toFixed(2)} |` : '';
  console.log(
    `| ${stage} | ${results.map((r) => (stage === 'wall clock' ? r.seconds.toFixed(1) : cell(r, stage))).join(' | ')} |${results.length === 2 ? ratio : ''}`,
  );
}

await engine.close();
server.close();
