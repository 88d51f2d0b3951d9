import { InputError } from '../../errors/errors.js';

/**
 * Names that end up inside SQL text or job references come only through these strict patterns:
 * a subset of what Google allows, so nothing that could close a backtick or start a statement.
 */
export const PROJECT_PATTERN = /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
export const DATASET_PATTERN = /^[A-Za-z0-9_]{1,1024}$/;
/** GA4 tables: `events_20201101`, `events_intraday_20201101`, the wildcard `events_*`. */
export const TABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,1022}\*?$/;
export const LOCATION_PATTERN = /^[A-Za-z]+(?:-[a-z]+[0-9]*)*$/;

function check(pattern: RegExp, value: string, field: string, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InputError(`${field}: ${JSON.stringify(value)} is not ${expected}`, field);
  }
  return value;
}

export const assertProject = (value: string, field = 'BIGQUERY_PROJECT'): string =>
  check(PROJECT_PATTERN, value, field, 'a Google Cloud project id (like my-project-123)');

export const assertDataset = (value: string, field = 'BIGQUERY_DATASET'): string =>
  check(DATASET_PATTERN, value, field, 'a dataset name (letters, digits, underscores)');

export const assertTable = (value: string, field = 'table'): string =>
  check(TABLE_PATTERN, value, field, 'a table name (letters, digits, underscores, optional *)');

export const assertLocation = (value: string, field = 'BIGQUERY_LOCATION'): string =>
  check(LOCATION_PATTERN, value, field, 'a BigQuery location (like US, EU, europe-west1)');

/** A fully qualified table reference, quoted for GoogleSQL after every part is checked. */
export function tablePath(project: string, dataset: string, table: string): string {
  return `\`${assertProject(project)}.${assertDataset(dataset)}.${assertTable(table)}\``;
}
