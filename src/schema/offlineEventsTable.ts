import { EVENTS_SCHEMA } from './ga4Schema.js';
import { duckdbType, quoteIdent } from './duckdbTypes.js';

/** The embedded engine's table of imported offline events: the export's columns and a key. */
export const OFFLINE_EVENTS_TABLE = 'offline_events';

/**
 * `CREATE TABLE IF NOT EXISTS offline_events`: every export column, then `content_key` (a hash
 * of the row as imported, unique: importing the same row again adds nothing) and `source_file`.
 */
export function offlineEventsTableDdl(): string {
  const columns = EVENTS_SCHEMA.map((x) => `  ${quoteIdent(x.name)} ${duckdbType(x)}`).join(',\n');
  return `CREATE TABLE IF NOT EXISTS ${OFFLINE_EVENTS_TABLE} (\n${columns},\n  content_key VARCHAR PRIMARY KEY,\n  source_file VARCHAR\n)`;
}
