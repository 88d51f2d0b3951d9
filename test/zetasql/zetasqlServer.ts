/**
 * ZetaSQL's local gRPC server (shipped in `@fivetrandevelopers/zetasql`), one per test process.
 *
 * The package's own `runServer` keeps no handle we can wait on and leaves the server running if
 * the test process dies, so we start the binary ourselves under a small `sh` watchdog: the
 * watchdog holds the read end of a pipe whose only writer is this process, and kills the server
 * as soon as that pipe reaches EOF, i.e. when we stop it or when this process exits for any
 * reason (even SIGKILL). Each process picks its own free port, so leftovers of another run can
 * never be talked to by mistake.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ZetaSQLClient } from '@fivetrandevelopers/zetasql';
import type { ZetaSqlLocalServiceClient } from '@fivetrandevelopers/zetasql/lib/types/zetasql/local_service/ZetaSqlLocalService.js';

export interface ZetaSqlServer {
  readonly port: number;
  /** Process id of the `remote_server` binary itself. */
  readonly pid: number;
  /** The package's singleton client, bound to this server. */
  readonly client: ZetaSQLClient;
  /** Raw gRPC stub: the package's client wraps only some methods (not EvaluateQuery). */
  readonly api: ZetaSqlLocalServiceClient;
  /** Time from spawn until the server answered a request. */
  readonly startMs: number;
  /** Changes on every start, so caches of registered catalogs know when they are stale. */
  readonly generation: number;
}

const READY_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;

// `$0` is the binary, `$1` the port. fd 3 keeps the pipe from this process; the reader loop ends
// on EOF and kills the server; `wait` makes the shell exit with the server's own status.
const WATCHDOG = [
  'exec 3<&0',
  '"$0" localhost "$1" </dev/null &',
  's=$!',
  'echo "zetasql-pid $s"',
  '(while read -r _ <&3; do :; done; kill -9 "$s" 2>/dev/null) </dev/null &',
  'r=$!',
  'wait "$s"; c=$?',
  'kill "$r" 2>/dev/null',
  'exit "$c"',
].join('\n');

let current: { server: ZetaSqlServer; shell: ChildProcess } | undefined;
let starting: Promise<ZetaSqlServer> | undefined;
let generation = 0;

/** Path of the server binary for this platform, as the package's `runServer` picks it. */
export function zetaSqlServerBinary(): string {
  const require = createRequire(import.meta.url);
  const lib = dirname(require.resolve('@fivetrandevelopers/zetasql'));
  const suffix =
    (process.arch.startsWith('arm') ? '_arm' : '') + (process.platform === 'darwin' ? '' : '.so');
  return join(lib, 'zetasql', `remote_server${suffix}`);
}

/** Starts the server once per process (later calls share it) and waits until it answers. */
export function startZetaSqlServer(): Promise<ZetaSqlServer> {
  if (current) return Promise.resolve(current.server);
  starting ??= startWithRetries().finally(() => {
    starting = undefined;
  });
  return starting;
}

/** The running server; throws if `startZetaSqlServer` was not awaited first. */
export function zetaSqlServer(): ZetaSqlServer {
  if (!current) throw new Error('ZetaSQL server not started: await startZetaSqlServer() first');
  return current.server;
}

/** Stops the server and waits for it to exit. Safe to call when nothing runs. */
export async function stopZetaSqlServer(): Promise<void> {
  if (starting) await starting.catch(() => undefined);
  const running = current;
  if (!running) return;
  current = undefined;
  running.server.api.close();
  await stopShell(running.shell, running.server.pid);
}

/** Calls one unary method of the gRPC stub as a promise. */
export function rpc<Req, Res>(
  method: (request: Req, callback: (error: Error | null, response?: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  const { api } = zetaSqlServer();
  return new Promise((resolve, reject) => {
    method.call(api, request, (error, response) => {
      if (error) reject(error);
      else if (response === undefined) reject(new Error('ZetaSQL server sent no response'));
      else resolve(response);
    });
  });
}

async function startWithRetries(): Promise<ZetaSqlServer> {
  const binary = zetaSqlServerBinary();
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`ZetaSQL server binary missing or not executable: ${binary}`);
  }
  let lastError: unknown;
  // A free port can be taken between our probe and the server's bind: try again on another one.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(binary, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, port: number): Promise<ZetaSqlServer> {
  const started = performance.now();
  const shell = spawn('/bin/sh', ['-c', WATCHDOG, binary, String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Never keep the test process alive for the server's sake; exit closes the pipe anyway.
  shell.unref();
  for (const stream of [shell.stdin, shell.stdout, shell.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  shell.stdout?.on('data', collect);
  shell.stderr?.on('data', collect);
  shell.stdin?.on('error', () => undefined);

  const exited = new Promise<never>((_, reject) => {
    shell.once('exit', (code, signal) =>
      reject(
        new Error(
          `ZetaSQL server exited before it was ready (code ${code}, signal ${signal}): ${binary}\n${output}`,
        ),
      ),
    );
    shell.once('error', reject);
  });
  exited.catch(() => undefined);

  const onExit = (): void => {
    shell.kill('SIGKILL');
  };
  process.once('exit', onExit);
  shell.once('exit', () => process.removeListener('exit', onExit));

  try {
    const pid = await Promise.race([waitForPid(() => output), exited]);
    ZetaSQLClient.init(port);
    const client = ZetaSQLClient.getInstance();
    await Promise.race([waitUntilReady(client, () => output), exited]);
    generation += 1;
    const server: ZetaSqlServer = {
      port,
      pid,
      client,
      api: ZetaSQLClient.API,
      startMs: performance.now() - started,
      generation,
    };
    current = { server, shell };
    return server;
  } catch (error) {
    ZetaSQLClient.API?.close();
    await stopShell(shell, null);
    throw error;
  }
}

async function waitForPid(output: () => string): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = /zetasql-pid (\d+)/.exec(output());
    if (match) return Number(match[1]);
    await sleep(5);
  }
  throw new Error(`ZetaSQL watchdog did not report the server's pid\n${output()}`);
}

async function waitUntilReady(client: ZetaSQLClient, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (/Server listening/.test(output())) {
      try {
        await client.formatSql({ sql: 'SELECT 1' });
        return;
      } catch (error) {
        lastError = error;
      }
    }
    await sleep(10);
  }
  throw new Error(
    `ZetaSQL server not ready after ${READY_TIMEOUT_MS} ms: ${String(lastError)}\n${output()}`,
  );
}

async function stopShell(shell: ChildProcess, serverPid: number | null): Promise<void> {
  if (shell.exitCode !== null || shell.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => shell.once('exit', () => resolve()));
  shell.stdin?.end();
  const timedOut = await Promise.race([exited.then(() => false), sleep(5_000).then(() => true)]);
  if (!timedOut) return;
  // The watchdog did not react: end both processes we started, by their ids.
  if (serverPid !== null) {
    try {
      process.kill(serverPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  shell.kill('SIGKILL');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
