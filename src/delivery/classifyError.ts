/**
 * Transient failures are retried with backoff; permanent ones fail that delivery at once.
 * SMTP 4xx, dropped or timed-out connections and browser crashes are transient; 5xx (rejected
 * recipient, message refused) and errors in our own message or template are permanent.
 */
export type FailureKind = 'transient' | 'permanent';

const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'EDNS',
  'EPROTOCOL',
]);

/** Puppeteer's errors when Chromium crashes or hangs mid-render: the next try gets a new browser. */
const BROWSER_ERRORS = new Set(['TargetCloseError', 'ProtocolError', 'TimeoutError']);
const BROWSER_GONE = /Target closed|Session closed|Connection closed|browser has disconnected/i;

export function classifyError(error: unknown): FailureKind {
  const e = error as {
    responseCode?: number;
    code?: string;
    transient?: boolean;
    name?: string;
    message?: string;
  };
  if (typeof e?.transient === 'boolean') return e.transient ? 'transient' : 'permanent';
  if (typeof e?.name === 'string' && BROWSER_ERRORS.has(e.name)) return 'transient';
  if (typeof e?.message === 'string' && BROWSER_GONE.test(e.message)) return 'transient';
  if (typeof e?.responseCode === 'number') {
    return e.responseCode >= 400 && e.responseCode < 500 ? 'transient' : 'permanent';
  }
  if (typeof e?.code === 'string' && TRANSIENT_CODES.has(e.code)) return 'transient';
  return 'permanent';
}

/** Exponential backoff with full jitter: a random wait up to base * 2^attempt, capped. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export function describeError(error: unknown): string {
  const e = error as { response?: string; message?: string };
  return e?.response ?? e?.message ?? String(error);
}
