import type { Engine, Params, QueryOptions, QueryResult } from '../engines/engine.js';

/**
 * The embedded engine the service reads with, closed while its file is written and opened again
 * after: a reader opened before a write keeps seeing the file as it was. Queries that arrive
 * meanwhile wait; the write waits for the queries already running.
 */
export class ReopeningEngine implements Engine {
  readonly kind = 'duckdb' as const;
  readonly target = { kind: 'duckdb' } as const;
  private current: Promise<Engine>;
  private running = 0;
  private idle: (() => void) | undefined;
  /** Settles when no write is under way; replaced while one is. */
  private open: Promise<void> = Promise.resolve();
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly opener: () => Promise<Engine>,
    first: Engine,
  ) {
    this.current = Promise.resolve(first);
  }

  /** Opens the file once now, so a missing or broken file fails the start as before. */
  static async open(opener: () => Promise<Engine>): Promise<ReopeningEngine> {
    return new ReopeningEngine(opener, await opener());
  }

  async query(sql: string, params: Params, options: QueryOptions): Promise<QueryResult> {
    for (;;) {
      const gate = this.open;
      await gate;
      // Counted in the same turn the gate was found open, so a write cannot slip in between.
      if (gate === this.open) break;
    }
    this.running++;
    try {
      return await (await this.current).query(sql, params, options);
    } finally {
      this.running--;
      if (this.running === 0) this.idle?.();
    }
  }

  /** Runs `write` with the file closed to this reader, then reopens it; one write at a time. */
  whileClosed<T>(write: () => Promise<T>): Promise<T> {
    const turn = this.writing.then(async () => {
      let release = () => {};
      this.open = new Promise((resolve) => (release = resolve));
      try {
        if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
        this.idle = undefined;
        await (await this.current).close();
        try {
          return await write();
        } finally {
          this.current = this.opener();
          // A file that no longer opens fails the queries that come; nothing waits on it here.
          this.current.catch(() => undefined);
        }
      } finally {
        release();
      }
    });
    this.writing = turn.catch(() => undefined);
    return turn;
  }

  async close(): Promise<void> {
    await this.writing;
    await (await this.current).close();
  }
}
