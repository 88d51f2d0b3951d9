import { appendFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Sink } from './journeyTypes.js';

/** Flush every buffer once this much text is held, so memory stays flat however many days. */
const BUFFER_CHARS = 32 << 20;

/**
 * Where drawn users go: one users file, one sessions file, one events file per day (so each day's
 * insert reads only its own rows, and no table of every event is ever held), and the interned
 * strings. Files carry `part` in their names, and string ids start at `part << 26`, so several
 * writers can stage into one folder.
 */
export class StagingWriter implements Sink {
  private readonly strings = new Map<string, number>();
  private readonly dayParts: string[][];
  private readonly userParts: string[] = [];
  private readonly sessionParts: string[] = [];
  private held = 0;

  constructor(
    private readonly dir: string,
    private readonly days: number,
    private readonly part = 0,
  ) {
    this.dayParts = Array.from({ length: days }, () => []);
    // Every day gets a file, even an empty one: a day's insert reads its files by pattern.
    for (let d = 0; d < days; d++) closeSync(openSync(this.dayFile(d), 'w'));
    closeSync(openSync(this.file('usr'), 'w'));
    closeSync(openSync(this.file('ses'), 'w'));
  }

  private file(kind: string): string {
    return join(this.dir, `${kind}-${this.part}.tsv`);
  }

  private dayFile(day: number): string {
    return join(this.dir, `ev-${String(day).padStart(4, '0')}-${this.part}.tsv`);
  }

  user(line: string): void {
    this.userParts.push(line);
    this.hold(line.length);
  }

  session(line: string): void {
    this.sessionParts.push(line);
    this.hold(line.length);
  }

  event(day: number, line: string): void {
    this.dayParts[day]!.push(line);
    this.hold(line.length);
  }

  str(value: string): number {
    let id = this.strings.get(value);
    if (id === undefined) {
      id = (this.part << 26) + this.strings.size;
      if (this.strings.size >= 1 << 26) throw new Error('sample: too many distinct page strings');
      this.strings.set(value, id);
    }
    return id;
  }

  private hold(chars: number): void {
    this.held += chars;
    if (this.held > BUFFER_CHARS) this.flush();
  }

  flush(): void {
    const out = (path: string, parts: string[]): void => {
      if (parts.length) appendFileSync(path, parts.join(''));
      parts.length = 0;
    };
    out(this.file('usr'), this.userParts);
    out(this.file('ses'), this.sessionParts);
    for (let d = 0; d < this.days; d++) out(this.dayFile(d), this.dayParts[d]!);
    this.held = 0;
  }

  /** Flushes what is held and writes the interned strings; the staging files are complete. */
  close(): void {
    this.flush();
    const fd = openSync(this.file('dict'), 'w');
    try {
      let chunk: string[] = [];
      for (const [value, id] of this.strings) {
        chunk.push(`${id}\t${value}\n`);
        if (chunk.length >= 10_000) {
          writeSync(fd, chunk.join(''));
          chunk = [];
        }
      }
      if (chunk.length) writeSync(fd, chunk.join(''));
    } finally {
      closeSync(fd);
    }
  }

  /** The pattern of day `day`'s event files, every part's. */
  static dayPattern(dir: string, day: number): string {
    return join(dir, `ev-${String(day).padStart(4, '0')}-*.tsv`);
  }
}
