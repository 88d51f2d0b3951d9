import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Router } from 'express';
import { NotFoundError } from '../../errors/errors.js';
import type { ApiDeps } from './apiDeps.js';
import { handle, param } from './handler.js';

export interface OutboxEntry {
  readonly file: string;
  readonly bytes: number;
  readonly storedAt: string;
  readonly subject: string | null;
  readonly to: string | null;
}

const FILE = /^[A-Za-z0-9.@_-]+\.eml$/;

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`) as text, for the list. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_all, _charset: string, enc: string, text: string) => {
        if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
        const bytes = text
          .replace(/_/g, ' ')
          .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
            String.fromCharCode(parseInt(hex, 16)),
          );
        return Buffer.from(bytes, 'latin1').toString('utf8');
      },
    );
}

/** The outbox folder's messages, newest first, with subject and recipients from their headers. */
export function listOutbox(folder: string | undefined): OutboxEntry[] {
  if (!folder) return [];
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => FILE.test(f));
  } catch {
    return [];
  }
  return files
    .map((file) => {
      const path = join(folder, file);
      const head =
        readFileSync(path, 'utf8')
          .slice(0, 16_384)
          .split(/\r?\n\r?\n/)[0] ?? '';
      const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
      const header = (name: string) =>
        decodeHeader(new RegExp(`^${name}: (.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '') || null;
      const stat = statSync(path);
      return {
        file,
        bytes: stat.size,
        storedAt: stat.mtime.toISOString(),
        subject: header('Subject'),
        to: header('To'),
      };
    })
    .sort((a, b) => b.storedAt.localeCompare(a.storedAt) || b.file.localeCompare(a.file));
}

export function outboxRoutes(router: Router, deps: ApiDeps): void {
  router.get(
    '/outbox',
    handle(async () => ({ messages: listOutbox(deps.outboxDir) })),
  );
  router.get(
    '/outbox/:file',
    handle(async (req, res) => {
      const file = param(req, 'file');
      if (!deps.outboxDir || !FILE.test(file))
        throw new NotFoundError(`no message ${file}`, 'file');
      let raw: Buffer;
      try {
        raw = readFileSync(join(deps.outboxDir, file));
      } catch {
        throw new NotFoundError(`no message ${file}`, 'file');
      }
      res.type('message/rfc822').setHeader('Content-Disposition', `attachment; filename="${file}"`);
      res.send(raw);
    }),
  );
}
