import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pgliteDb.js';
import { sampleDb } from '../render/sampleDb.js';
import { freshPgliteDir } from '../support/pgliteTemplate.js';
import { runCli } from '../support/runCli.js';
import { startSmtpPeer } from '../support/smtpPeer.js';

const REPORT = {
  id: 'weekly',
  title: 'Weekly journeys',
  goal: { event: 'purchase' },
  dateRange: 'yesterday',
  sections: [
    { type: 'kpi_summary' },
    {
      type: 'funnel',
      funnel: { steps: [{ event: 'view_item' }, { event: 'add_to_cart' }, { event: 'purchase' }] },
    },
  ],
};
const plain = (s: unknown) => String(s).replace(/[\u2009\u202f]/g, ' ');

let db: string;
beforeAll(async () => {
  db = await sampleDb();
});

// A data dir whose embedded store starts as a copy of an empty cluster rather than from initdb.
const dataDir = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pathlight-send-'));
  await freshPgliteDir(join(dir, 'store'));
  return dir;
};

// Each send renders a report and prints a PDF in Chromium; a shared 2-core machine needs time.
describe('pathlight send', { timeout: 180_000 }, () => {
  it('writes one message per recipient to the outbox, prints the files and records the run', async () => {
    const dir = await dataDir();
    const file = join(dir, 'weekly.yaml');
    writeFileSync(file, JSON.stringify(REPORT));
    const out = await runCli(
      [
        'send',
        file,
        '--to',
        'ceo@example.com',
        '--cc',
        'team@example.com',
        '--date-range',
        'last_week',
        '--db',
        db,
        '--now',
        '2026-10-30T10:00:00Z',
      ],
      { PATHLIGHT_DATA_DIR: dir, PATHLIGHT_MAIL_FROM: 'Pathlight <reports@example.com>' },
    );
    expect(out.stderr).toMatch(
      /run 1: sent \(query \d+ ms, html \d+ ms, pdf \d+ ms, email \d+ ms, render_total \d+ ms, send \d+ ms\)/,
    );
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const paths = lines.map((line, i) => {
      const match = /^sent to (\S+): (.+\.eml)$/.exec(line);
      expect(match?.[1]).toBe(['ceo@example.com', 'team@example.com'][i]);
      expect(match?.[2]?.startsWith(join(dir, 'outbox'))).toBe(true);
      return match![2]!;
    });
    const message = await simpleParser(readFileSync(paths[0]!));
    // --date-range replaced the file's "yesterday".
    expect(plain(message.subject)).toBe('Weekly journeys · Oct 19 – 25, 2026');
    expect(message.attachments.map((a) => a.contentType)).toEqual([
      'image/png',
      'image/png',
      'image/png',
      'application/pdf',
    ]);
    expect(message.to && 'text' in message.to ? message.to.text : '').toBe('ceo@example.com');
    expect(message.cc && 'text' in message.cc ? message.cc.text : '').toBe('team@example.com');

    const store = await openPglite(join(dir, 'store'));
    try {
      const [run] = await store.query<{ kind: string; status: string; stage_ms: object }>(
        'SELECT kind, status, stage_ms FROM runs',
      );
      expect(run?.kind).toBe('send_now');
      expect(run?.status).toBe('sent');
      expect(Object.keys(run?.stage_ms ?? {}).sort()).toEqual([
        'email',
        'html',
        'pdf',
        'query',
        'render_total',
        'send',
      ]);
      const attempts = await store.query<{ status: string; message_id: string; path: string }>(
        `SELECT a.status, a.message_id, o.path FROM attempts a JOIN outbox o ON o.delivery_id = a.delivery_id ORDER BY a.id`,
      );
      expect(attempts.map((a) => [a.status, a.path])).toEqual([
        ['sent', paths[0]],
        ['sent', paths[1]],
      ]);
      expect(attempts[0]?.message_id).toBe(message.messageId);
    } finally {
      await store.close();
    }
  });

  it('sends a stored report over SMTP, prints the message ids, and fails a rejected recipient only', async () => {
    const dir = await dataDir();
    const store = await openPglite(join(dir, 'store'));
    await migrate(store);
    await store.query(`INSERT INTO reports (id, definition) VALUES ('weekly', $1::jsonb)`, [
      JSON.stringify(REPORT),
    ]);
    await store.close();
    const peer = await startSmtpPeer({ rejectRecipients: ['gone@example.com'] });
    try {
      const out = await runCli(
        [
          'send',
          'weekly',
          '--to',
          'ceo@example.com',
          '--to',
          'gone@example.com',
          '--no-pdf',
          '--db',
          db,
          '--now',
          '2026-10-30T10:00:00Z',
        ],
        {
          PATHLIGHT_DATA_DIR: dir,
          SMTP_URL: peer.url,
          PATHLIGHT_MAIL_FROM: 'Pathlight <reports@example.com>',
        },
      );
      expect(out.code).toBe(1);
      expect(peer.received).toHaveLength(1);
      const received = peer.received[0]!;
      expect(received.envelopeTo).toEqual(['ceo@example.com']);
      expect(plain(received.parsed.subject)).toBe('Weekly journeys · Oct 29, 2026');
      expect(received.parsed.attachments.some((a) => a.contentType === 'application/pdf')).toBe(
        false,
      );
      const lines = out.stdout.trim().split('\n');
      expect(lines[0]).toBe(
        `sent to ceo@example.com: ${received.parsed.messageId} (${lines[0]!.match(/\((250 .*)\)$/)?.[1]})`,
      );
      expect(lines[0]).toMatch(/\(250 /);
      expect(lines[1]).toMatch(/^failed for gone@example\.com: 550 /);
      expect(out.stderr).toMatch(/run 1 partial: 1 of 2 recipients failed/);
    } finally {
      await peer.close();
    }
  });

  it('refuses bad input with exit code 2, naming the flag', async () => {
    const dir = await dataDir();
    const env = { PATHLIGHT_DATA_DIR: dir };
    const cases: [string[], string][] = [
      [['send', 'weekly'], 'error: --to: at least one recipient is needed'],
      [
        ['send', 'weekly', '--to', 'ceo@example.com', '--to', 'not-an-address'],
        'error: --to[1]: expected an email address like name@example.com',
      ],
      [
        ['send', 'weekly', '--to', 'ceo@example.com', '--date-range', 'last_fortnight'],
        'error: --date-range: expected one of',
      ],
      [
        ['send', 'nope', '--to', 'ceo@example.com', '--db', db],
        'error: report: no report file at nope and no stored report with that id',
      ],
    ];
    for (const [args, message] of cases) {
      const out = await runCli(args, env);
      expect([
        args.join(' '),
        out.code,
        out.stderr.split('\n')[0]?.slice(0, message.length),
      ]).toEqual([args.join(' '), 2, message]);
    }
  });
});
