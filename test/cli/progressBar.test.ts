import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/progressBar.js';

/** A stream that keeps what is written, as a terminal (or not) would receive it. */
function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true });
  return { stream, text: () => chunks.join('') };
}

describe('progressBar', () => {
  it('draws a bar with the percentage and the step on a terminal', () => {
    const out = capture(true);
    const bar = progressBar('sample', out.stream);
    bar.update(0, 4, 'users 0/4');
    bar.update(4, 4, 'written');
    bar.stop();
    expect(out.text()).toContain('sample [');
    expect(out.text()).toContain('100% | written');
  });

  it('writes the first step, then at most one line per two seconds, and always the last', () => {
    const out = capture(false);
    const bar = progressBar('import', out.stream);
    bar.update(0, 3, 'checking a.json');
    bar.update(1, 3, 'writing events_20201101');
    bar.update(3, 3, 'imported 10 rows');
    bar.stop();
    expect(out.text()).toBe('import: checking a.json\nimport: imported 10 rows\n');
  });
});
