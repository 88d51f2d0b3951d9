/**
 * One service instance for the chaos run: the real scheduler loop (tick every 300 ms, drain with
 * shared renders, runs taken under a lease) rendering HTML emails from a DuckDB file and sending
 * them over pooled SMTP, against a shared PostgreSQL store. Prints `ready` once it ticks.
 * Run as: tsx chaosInstance.ts <database url> <smtp url> <duckdb file> <name> <lease ms>
 */
import { reportRunEmail } from '../../src/app/reportRunEmail.js';
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { startSchedulerLoop } from '../../src/scheduler/schedulerLoop.js';
import { openPostgres } from '../../src/store/postgresDb.js';

const [url, smtp, file, name, leaseMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const db = await openPostgres(url);
const engine = await DuckdbEngine.open(file, { mode: 'read' });
// The EHLO name tells the peer which instance a message came from.
const transport = smtpTransport({ url: `${smtp}/?name=${name}`, maxConnections: 3 });
const loop = startSchedulerLoop({
  db,
  graceMs: 15 * 60_000,
  intervalMs: 300,
  worker: {
    db,
    renderer: reportRunEmail({
      engine,
      store: db,
      email: { attachmentLimitBytes: 7 * 1024 * 1024, unsubscribeMailto: 'reports@example.com' },
    }),
    deliver: {
      transport,
      from: 'reports@example.com',
      messageIdDomain: 'example.com',
      unsubscribe: () => ({ mailto: 'reports@example.com' }),
      retry: { attempts: 8, baseMs: 100, capMs: 1000 },
      concurrency: 3,
    },
    owner: `${name}-${process.pid}`,
    leaseMs: Number(leaseMs),
    maxAttempts: 5,
    renderTimeoutMs: 120_000,
    pauseAfterFailures: 5,
    notifyOwner: async () => undefined,
  },
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void loop.stop().then(async () => {
    await transport.close();
    await engine.close();
    await db.close();
    process.exit(0);
  });
});
