/**
 * One service instance for the chaos run: the real scheduler loop (tick every 300 ms, drain with
 * shared renders, runs taken under a lease) rendering HTML emails from a DuckDB file and sending
 * them over pooled SMTP, against a shared PostgreSQL store. Prints `open` once its store and
 * engine are open, waits for `go <real epoch ms>` on stdin, then starts ticking and prints `ready`.
 * Run as: tsx chaosInstance.ts <database url> <smtp url> <duckdb file> <name> <lease ms> <grace ms>
 *   [<simulated start ms> <speed> <simulated end ms>]
 * With a clock, the calendar reads simulated time: the simulated start at the real epoch, then
 * `speed` simulated ms per real ms, standing still at the simulated end. Every instance (the
 * restarted one too) gets the same epoch, so they agree on the time whenever they started.
 */
import { reportRunEmail } from '../../src/app/reportRunEmail.js';
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { startSchedulerLoop } from '../../src/scheduler/schedulerLoop.js';
import { openPostgres } from '../../src/store/postgresDb.js';

const [url, smtp, file, name, leaseMs, graceMs, simStart, speed, simEnd] = process.argv.slice(
  2,
) as [string, string, string, string, string, string, ...(string | undefined)[]];
const db = await openPostgres(url);
const engine = await DuckdbEngine.open(file, { mode: 'read' });
// The EHLO name tells the peer which instance a message came from.
const transport = smtpTransport({ url: `${smtp}/?name=${name}`, maxConnections: 3 });
process.stdout.write('open\n');
const realEpoch = await new Promise<number>((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const go = /^go (\d+)$/m.exec(text);
    if (go) resolve(Number(go[1]));
  });
});
const now =
  simStart === undefined
    ? undefined
    : () =>
        new Date(
          Math.min(
            Number(simEnd),
            Number(simStart) + Math.max(0, Date.now() - realEpoch) * Number(speed),
          ),
        );
const loop = startSchedulerLoop({
  db,
  graceMs: Number(graceMs),
  intervalMs: 300,
  now,
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
