import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDeliveryMessageId } from './composeMessage.js';
import { decodeHeader, readMime, type MimeMessage } from './readMime.js';

/** One copy of a message in the outbox folder: the file and whom it was delivered to. */
export interface OutboxCopy {
  readonly file: string;
  /** The envelope recipient, from the Message-ID; null for a message not sent by a run. */
  readonly recipient: string | null;
  readonly bytes: number;
  readonly storedAt: string;
}

/** A message as it was sent: one row however many recipients got their own copy. */
export interface OutboxMessage {
  /** The first copy's file: what the viewer opens and the `.eml` download serves. */
  readonly file: string;
  readonly runId: number | null;
  readonly subject: string | null;
  /** The To header (every copy shows the whole To and Cc lists). */
  readonly to: string | null;
  readonly cc: string | null;
  /** Everyone it was delivered to, Bcc included, in the order the copies were stored. */
  readonly recipients: readonly string[];
  readonly copies: readonly OutboxCopy[];
  readonly bytes: number;
  /** When the latest copy was stored. */
  readonly storedAt: string;
}

/** The names the outbox transport writes; anything else in the folder is not a message. */
export const OUTBOX_FILE = /^[A-Za-z0-9.@_-]+\.eml$/;

/** The header block of a file, read without loading a message that may carry a large PDF. */
function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(16_384);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return (
      buffer
        .subarray(0, length)
        .toString('latin1')
        .split(/\r?\n\r?\n/)[0] ?? ''
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * The outbox folder's messages, newest first. Each recipient of a run gets a copy of its own (one
 * SMTP envelope each), so copies with the same run's Message-ID are one message.
 */
export function listOutbox(folder: string | undefined): OutboxMessage[] {
  if (!folder) return [];
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => OUTBOX_FILE.test(f));
  } catch {
    return [];
  }
  const groups = new Map<
    string,
    { head: Map<string, string>; runId: number | null; copies: OutboxCopy[] }
  >();
  for (const file of files.sort()) {
    const path = join(folder, file);
    const unfolded = readHead(path).replace(/\r?\n[ \t]+/g, ' ');
    const head = new Map<string, string>();
    for (const name of ['subject', 'to', 'cc', 'message-id']) {
      const value = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
      if (value) head.set(name, decodeHeader(value));
    }
    const delivery = parseDeliveryMessageId(head.get('message-id') ?? '');
    const key = delivery ? `run-${delivery.runId}@${delivery.domain}` : `file:${file}`;
    const stat = statSync(path);
    const copy = {
      file,
      recipient: delivery?.recipient ?? null,
      bytes: stat.size,
      storedAt: stat.mtime.toISOString(),
    };
    const group = groups.get(key);
    if (group) group.copies.push(copy);
    else groups.set(key, { head, runId: delivery?.runId ?? null, copies: [copy] });
  }
  return [...groups.values()]
    .map(({ head, runId, copies }) => {
      const first = copies[0]!;
      return {
        file: first.file,
        runId,
        subject: head.get('subject') ?? null,
        to: head.get('to') ?? null,
        cc: head.get('cc') ?? null,
        // A resend after a crash stores a second copy for the same recipient: listed once.
        recipients: [...new Set(copies.map((c) => c.recipient ?? head.get('to') ?? ''))].filter(
          Boolean,
        ),
        copies,
        bytes: first.bytes,
        storedAt:
          copies
            .map((c) => c.storedAt)
            .sort()
            .at(-1) ?? first.storedAt,
      };
    })
    .sort((a, b) => b.storedAt.localeCompare(a.storedAt) || b.file.localeCompare(a.file));
}

/** One stored message, raw (for the `.eml` download) or read; undefined when there is none. */
export function readOutboxFile(folder: string | undefined, file: string): Buffer | undefined {
  if (!folder || !OUTBOX_FILE.test(file)) return undefined;
  try {
    return readFileSync(join(folder, file));
  } catch {
    return undefined;
  }
}

/** The message and the other copies of it (the recipients it went to), for the viewer. */
export function openOutboxMessage(
  folder: string | undefined,
  file: string,
): { message: MimeMessage; listed: OutboxMessage | undefined; raw: Buffer } | undefined {
  const raw = readOutboxFile(folder, file);
  if (!raw) return undefined;
  const listed = listOutbox(folder).find((m) => m.copies.some((c) => c.file === file));
  return { message: readMime(raw), listed, raw };
}
