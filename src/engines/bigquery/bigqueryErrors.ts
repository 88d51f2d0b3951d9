import { CostCapError, QueryError } from '../../errors/errors.js';

/** What the client library's ApiError carries: HTTP status, BigQuery's reasons, the message. */
export interface BigqueryErrorInfo {
  readonly code: number | undefined;
  readonly reasons: string[];
  readonly message: string;
}

const TRANSIENT_CODES = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_REASONS = new Set([
  'rateLimitExceeded',
  'jobRateLimitExceeded',
  'backendError',
  'internalError',
]);
const PERMANENT_REASONS = new Set([
  'invalidQuery',
  'invalid',
  'notFound',
  'accessDenied',
  'bytesBilledLimitExceeded',
  'duplicate',
  'quotaExceeded',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export function bigqueryErrorInfo(error: unknown): BigqueryErrorInfo {
  const e = (error ?? {}) as {
    code?: unknown;
    errors?: { reason?: unknown; message?: unknown }[];
    message?: unknown;
  };
  const reasons = Array.isArray(e.errors)
    ? e.errors.map((x) => (typeof x?.reason === 'string' ? x.reason : '')).filter(Boolean)
    : [];
  return {
    code: typeof e.code === 'number' ? e.code : undefined,
    reasons,
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}

/** Rate limits, 5xx and backend errors pass; a bad query, a missing table or a denial do not. */
export function isTransientBigqueryError(error: unknown): boolean {
  const { code, reasons } = bigqueryErrorInfo(error);
  if (reasons.some((reason) => TRANSIENT_REASONS.has(reason))) return true;
  if (reasons.some((reason) => PERMANENT_REASONS.has(reason))) return false;
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  const errno = (error as { code?: unknown } | null)?.code;
  return typeof errno === 'string' && NETWORK_CODES.has(errno);
}

/** BigQuery names a position as `at [line:column]` at the end of its message. */
export function errorPosition(message: string): { line?: number; column?: number } {
  const match = /\bat \[(\d+):(\d+)\]/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : {};
}

/** Any failure of a query's calls as one QueryError carrying its name, line and column. */
export function toBigqueryQueryError(queryName: string, error: unknown): QueryError {
  if (error instanceof QueryError) return error;
  const info = bigqueryErrorInfo(error);
  const { line, column } = errorPosition(info.message);
  const where = line ? ` (line ${line}, column ${column})` : '';
  const reason = info.reasons[0] ? ` [${info.reasons[0]}]` : '';
  const message = `query ${queryName} failed on BigQuery${where}${reason}: ${info.message}`;
  const ErrorType = info.reasons.includes('bytesBilledLimitExceeded') ? CostCapError : QueryError;
  return new ErrorType(message, queryName, line, column, { cause: error });
}
