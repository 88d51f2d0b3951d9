import cliProgress from 'cli-progress';

export interface ProgressBar {
  /** `done` of `total` with what is happening now. */
  update(done: number, total: number, step: string): void;
  stop(): void;
}

/**
 * Progress of long work on stderr: a bar on a terminal; otherwise (logs, pipes) a line with the
 * step every two seconds and at the end, so captured output stays short.
 */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressBar {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {step}`, stream },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, step) {
        if (!started) bar.start(total, done, { step });
        started = true;
        bar.setTotal(total);
        bar.update(done, { step });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let last = -Infinity;
  return {
    update(done, total, step) {
      if (done < total && performance.now() - last < 2000) return;
      last = performance.now();
      stream.write(`${label}: ${step}\n`);
    },
    stop: () => undefined,
  };
}
