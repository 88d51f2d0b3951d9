import type { Queryable } from './storeDb.js';

export type DefinitionSource = 'ui' | 'file';

export interface StoredDefinition<T> {
  readonly key: string;
  readonly definition: T;
  readonly source: DefinitionSource;
  readonly filePath: string | null;
  /** When a repository file replaced a definition last edited in the UI. */
  readonly overriddenAt: Date | null;
  readonly updatedAt: Date;
}

interface Row {
  key: string;
  definition: unknown;
  source: DefinitionSource;
  file_path: string | null;
  overridden_at: Date | null;
  updated_at: Date;
}

/**
 * Goals and report definitions share one shape of storage: a key, a JSON definition, and where it
 * came from. Definitions from files in the repository (config as code) win over UI edits; the
 * UI refuses to edit them and says which file to change instead.
 */
export class DefinitionsRepo<T> {
  private readonly overridden: string;

  constructor(
    private readonly db: Queryable,
    private readonly table: 'goals' | 'reports',
  ) {
    this.overridden = table === 'reports' ? 'overridden_at' : 'NULL::timestamptz AS overridden_at';
  }

  private get keyColumn(): string {
    return this.table === 'goals' ? 'name' : 'id';
  }

  async list(): Promise<StoredDefinition<T>[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${this.keyColumn} AS key, definition, source, file_path, ${this.overridden}, updated_at
       FROM ${this.table} ORDER BY ${this.keyColumn}`,
    );
    return rows.map((row) => this.toStored(row));
  }

  async get(key: string): Promise<StoredDefinition<T> | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${this.keyColumn} AS key, definition, source, file_path, ${this.overridden}, updated_at
       FROM ${this.table} WHERE ${this.keyColumn} = $1`,
      [key],
    );
    return rows[0] && this.toStored(rows[0]);
  }

  /** Saves a UI edit. Refused (returns the file's path) when a repository file owns the key. */
  async saveFromUi(
    key: string,
    definition: T,
  ): Promise<{ saved: true } | { saved: false; filePath: string }> {
    const rows = await this.db.query<{ file_path: string | null; saved: boolean }>(
      `INSERT INTO ${this.table} (${this.keyColumn}, definition, source)
       VALUES ($1, $2::jsonb, 'ui')
       ON CONFLICT (${this.keyColumn}) DO UPDATE
         SET definition = EXCLUDED.definition, updated_at = now()
         WHERE ${this.table}.source = 'ui'
       RETURNING true AS saved, NULL::text AS file_path`,
      [key, JSON.stringify(definition)],
    );
    if (rows.length > 0) return { saved: true };
    const owner = await this.get(key);
    return { saved: false, filePath: owner?.filePath ?? '(unknown file)' };
  }

  /** Loads definitions from repository files; a file replaces a UI definition and marks it. */
  async syncFromFiles(
    entries: readonly { key: string; definition: T; filePath: string }[],
  ): Promise<void> {
    const marks = this.table === 'reports';
    for (const entry of entries) {
      await this.db.query(
        `INSERT INTO ${this.table} (${this.keyColumn}, definition, source, file_path)
         VALUES ($1, $2::jsonb, 'file', $3)
         ON CONFLICT (${this.keyColumn}) DO UPDATE
           SET definition = EXCLUDED.definition, file_path = EXCLUDED.file_path, source = 'file',
               updated_at = now()${
                 marks
                   ? `, overridden_at = CASE WHEN ${this.table}.source = 'ui' THEN now() ELSE ${this.table}.overridden_at END`
                   : ''
               }`,
        [entry.key, JSON.stringify(entry.definition), entry.filePath],
      );
    }
  }

  async delete(key: string): Promise<boolean> {
    const rows = await this.db.query(
      `DELETE FROM ${this.table} WHERE ${this.keyColumn} = $1 AND source = 'ui' RETURNING 1 AS deleted`,
      [key],
    );
    return rows.length > 0;
  }

  private toStored(row: Row): StoredDefinition<T> {
    return {
      key: row.key,
      definition: row.definition as T,
      source: row.source,
      filePath: row.file_path,
      overriddenAt: row.overridden_at,
      updatedAt: row.updated_at,
    };
  }
}
