/**
 * The small error hierarchy every door (CLI, HTTP, scheduler) answers the same way.
 * `field` names the input path at fault so a user can fix it without reading code.
 */
export class PathlightError extends Error {
  readonly code: string = 'internal';
  readonly status: number = 500;
  constructor(
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from a user: a spec, a flag, a file. CLI exit code 2, HTTP 400. */
export class InputError extends PathlightError {
  override readonly code: string = 'invalid_input';
  override readonly status: number = 400;
}

/** A wrong configuration value; start-up stops with the variable's name. */
export class ConfigError extends PathlightError {
  override readonly code = 'invalid_config';
}

export class NotFoundError extends PathlightError {
  override readonly code = 'not_found';
  override readonly status = 404;
}

/** A request body past the size the service takes (an upload too large): HTTP 413. */
export class TooLargeError extends InputError {
  override readonly code = 'payload_too_large';
  override readonly status = 413;
}

/** A file being imported is malformed: names the file, line (or row) and field. */
export class ImportError extends InputError {
  override readonly code = 'invalid_import';
}

/** A query failed in an engine: carries the query's name and, where known, line and column. */
export class QueryError extends PathlightError {
  override readonly code: string = 'query_failed';
  constructor(
    message: string,
    readonly queryName: string,
    readonly line?: number,
    readonly column?: number,
    options?: ErrorOptions,
  ) {
    super(message, undefined, options);
  }
}

/** The query would process more bytes than the configured cap allows; it was not run. */
export class CostCapError extends QueryError {
  override readonly code = 'cost_cap';
  override readonly status = 400;
}

export class TimeoutError extends PathlightError {
  override readonly code = 'timeout';
  override readonly status = 504;
}

/**
 * The data is not there yet (the first start's sample is still being built): try again shortly.
 * Unlike other server-side errors its message is shown, since it says how far along it is.
 */
export class PreparingError extends PathlightError {
  override readonly code = 'preparing';
  override readonly status = 503;
}

/** Zod issues as one message naming each bad field by its path, e.g. `steps[2].within: ...`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
