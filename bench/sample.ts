/**
 * Sample generator throughput: events per second for given sizes.
 * Run: npx tsx bench/sample.ts <days>x<users> [...], e.g. npx tsx bench/sample.ts 30x5000
 * (SAMPLE_TIMING=1 adds each statement's time). The load average is printed beside each size,
 * since these machines are shared.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample } from '../src/sample/generateSample.js';

for (const size of process.argv.slice(2)) {
  const [days, users] = size.split('x').map(Number) as [number, number];
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-bench-sample-'));
  const started = performance.now();
  const { events } = await generateSample(join(dir, 'events.duckdb'), { days, users, seed: 7 });
  const seconds = (performance.now() - started) / 1000;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `${days} days x ${users} users: ${events} events in ${seconds.toFixed(1)} s = ${Math.round(events / seconds)} events/s (load ${load})`,
  );
  rmSync(dir, { recursive: true, force: true });
}
