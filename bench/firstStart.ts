/**
 * First start on a fresh data folder, as `npm start` does it: `node bin/pathlight.js serve` with
 * an empty PATHLIGHT_DATA_DIR and the embedded defaults (PGlite store, the sample built on start,
 * outbox). Times from the spawn to the first `/healthz` 200 and to the first `/readyz` 200,
 * polling every 50 ms, and prints what `/readyz` said while preparing.
 *
 * Beside it, in the same run, the floors: a bare Node HTTP server spawned the same way (no
 * service starts faster than Node itself), and `pathlight sample` writing the same default sample
 * into a fresh file (the service cannot be ready before its sample exists).
 * Run: `npm run build && npx tsx bench/firstStart.ts [--runs 3]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/pathlight.js');
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const seconds = (since: number): number => (performance.now() - since) / 1000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function status(url: string): Promise<[number, string]> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return [res.status, await res.text()];
  } catch {
    return [0, ''];
  }
}

/** Polls `url` every 50 ms until it answers 200; calls `seen` with every other answer's body. */
async function until200(url: string, child: ChildProcess, seen?: (body: string) => void) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    const [code, body] = await status(url);
    if (code === 200) return;
    if (code !== 0) seen?.(body);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function bareNode(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`],
    { stdio: 'ignore' },
  );
  try {
    await until200(`http://127.0.0.1:${port}/`, child);
    return seconds(started);
  } finally {
    await stop(child);
  }
}

async function service(): Promise<{ healthz: number; ready: number; said: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-bench-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, PATHLIGHT_DATA_DIR: dir, PORT: String(port) },
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await until200(`${base}/healthz`, child);
    const healthz = seconds(started);
    const said = new Set<string>();
    await until200(`${base}/readyz`, child, (body) => {
      const preparing = (JSON.parse(body) as { preparing?: string }).preparing;
      said.add(preparing ?? body.slice(0, 80));
    });
    return { healthz, ready: seconds(started), said: [...said] };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sampleAlone(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-bench-start-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'sample', '--days', '90', '--users', '2000', '--db', join(dir, 'events.duckdb')],
    { cwd: ROOT, stdio: 'ignore' },
  );
  try {
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`pathlight sample exited ${code}`);
    return seconds(started);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let run = 1; run <= Number(args.runs); run++) {
  const before = load();
  const node = await bareNode();
  const first = await service();
  const sample = await sampleAlone();
  console.log(
    `run ${run} (load ${before} → ${load()}): bare Node server ${node.toFixed(2)} s; ` +
      `service /healthz ${first.healthz.toFixed(2)} s (${(first.healthz / node).toFixed(1)}x the bare server), ` +
      `/readyz ${first.ready.toFixed(1)} s; pathlight sample alone ${sample.toFixed(1)} s ` +
      `(ready / sample alone ${(first.ready / sample).toFixed(2)})`,
  );
  console.log(`  /readyz said, in order: ${first.said.join(' | ')}`);
}
