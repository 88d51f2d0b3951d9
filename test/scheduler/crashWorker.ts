/**
 * A worker process for the crash tests: takes runs from the store and delivers them over SMTP,
 * printing `rendering <runId>` when a render starts. The parent kills it with SIGKILL at chosen
 * moments and starts another. Run as: tsx crashWorker.ts <database url> <smtp url> <render ms>
 */
import { smtpTransport } from '../../src/delivery/smtpTransport.js';
import { openPostgres } from '../../src/store/postgresDb.js';
import { processNextRun } from '../../src/app/processNextRun.js';

const [url, smtp, renderMs] = process.argv.slice(2) as [string, string, string];
const db = await openPostgres(url);
const transport = smtpTransport({ url: smtp, allowInsecureTls: true, maxConnections: 1 });
const worker = {
  db,
  renderer: {
    async render(run: { id: number }) {
      process.stdout.write(`rendering ${run.id}\n`);
      await new Promise((resolve) => setTimeout(resolve, Number(renderMs)));
      return {
        email: {
          subject: `Run ${run.id}`,
          html: '<p>report</p>',
          text: 'report',
          images: [],
          pdf: null,
        },
        bytesProcessed: null,
        stageMs: {},
      };
    },
  },
  deliver: {
    transport,
    from: 'reports@example.com',
    messageIdDomain: 'example.com',
    unsubscribe: () => ({ mailto: 'owner@example.com' }),
    retry: { attempts: 5, baseMs: 50, capMs: 200 },
  },
  owner: `worker-${process.pid}`,
  leaseMs: 1500,
  maxAttempts: 5,
  renderTimeoutMs: 30_000,
  pauseAfterFailures: 5,
  notifyOwner: async () => undefined,
};
while (await processNextRun(worker)) {
  process.stdout.write('run done\n');
}
process.stdout.write('idle\n');
await transport.close();
await db.close();
