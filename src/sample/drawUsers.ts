import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { USERS_PER_BATCH, drawBatch, type DrawRange } from './drawRange.js';
import type { DrawMessage } from './drawWorker.js';
import type { Calendar } from './journeyTypes.js';
import { StagingWriter } from './stagingWriter.js';

export interface DrawOptions {
  users: number;
  seed: number;
  /** Threads drawing users; by default one per core once there are enough users to share. */
  threads?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Fewer users than this per thread and starting the threads costs more than it saves. */
const USERS_PER_THREAD = 20_000;
const MAX_THREADS = 8;

/** Draws every user into the staging folder; returns the events drawn. */
export async function drawUsers(
  dir: string,
  options: DrawOptions,
  calendar: Calendar,
  progress: (done: number, step: string) => void,
): Promise<number> {
  const threads =
    options.threads ??
    Math.min(MAX_THREADS, availableParallelism(), Math.floor(options.users / USERS_PER_THREAD));
  return threads > 1
    ? drawInThreads(dir, options, calendar, progress, threads)
    : drawHere(dir, options, calendar, progress);
}

/** On this thread, a batch at a time, letting timers (a progress bar, a server's requests) run. */
async function drawHere(
  dir: string,
  options: DrawOptions,
  calendar: Calendar,
  progress: (done: number, step: string) => void,
): Promise<number> {
  const staging = new StagingWriter(dir, calendar.days);
  let events = 0;
  for (let start = 1; start <= options.users; start += USERS_PER_BATCH) {
    options.signal?.throwIfAborted();
    const end = Math.min(options.users, start + USERS_PER_BATCH - 1);
    events += drawBatch(staging, start, end, options.seed, calendar);
    progress(end, usersStep(end, options.users));
    await new Promise((resolve) => setImmediate(resolve));
  }
  staging.close();
  return events;
}

/**
 * On `threads` worker threads, each drawing a consecutive range of users into its own staging
 * part: drawing is most of a large sample's JavaScript time and runs on one core otherwise.
 */
async function drawInThreads(
  dir: string,
  options: DrawOptions,
  calendar: Calendar,
  progress: (done: number, step: string) => void,
  threads: number,
): Promise<number> {
  options.signal?.throwIfAborted();
  const per = Math.ceil(options.users / threads);
  const drawn: number[] = [];
  const workers: Worker[] = [];
  const stop = (): void => {
    for (const worker of workers) void worker.terminate();
  };
  options.signal?.addEventListener('abort', stop);
  try {
    const parts = Array.from({ length: threads }, (_, part) => {
      const range: DrawRange = {
        dir,
        part,
        from: part * per + 1,
        to: Math.min(options.users, (part + 1) * per),
        seed: options.seed,
        calendar,
      };
      if (range.from > range.to) return Promise.resolve(0);
      const worker = startWorker(range);
      workers.push(worker);
      return new Promise<number>((resolve, reject) => {
        let events: number | undefined;
        worker.on('message', (message: DrawMessage) => {
          if ('events' in message) {
            events = message.events;
            return;
          }
          drawn[part] = message.users;
          const done = drawn.reduce((sum, n) => sum + (n ?? 0), 0);
          progress(done, usersStep(done, options.users));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (events !== undefined) resolve(events);
          else if (options.signal?.aborted) reject(options.signal.reason);
          else reject(new Error(`sample: a drawing thread stopped (exit code ${code})`));
        });
      });
    });
    const events = await Promise.all(parts);
    return events.reduce((sum, n) => sum + n, 0);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
  }
}

// The worker beside this module, compiled or not. From TypeScript sources (tests, benches) the
// thread first registers the same TypeScript loader, which a worker does not inherit.
const OWN_EXTENSION = extname(fileURLToPath(import.meta.url));
const WORKER = new URL(`./drawWorker${OWN_EXTENSION}`, import.meta.url);

function startWorker(range: DrawRange): Worker {
  if (OWN_EXTENSION !== '.ts') return new Worker(WORKER, { workerData: range });
  const loader = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const script = `import(${loader}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`;
  return new Worker(script, { eval: true, workerData: range });
}

const usersStep = (done: number, users: number): string =>
  `users ${done.toLocaleString('en-US')} of ${users.toLocaleString('en-US')}`;
