import { parsePersona, type Persona } from '../analyses/personas/personaSpec.js';
import type { Queryable } from './storeDb.js';

export interface StoredPersona {
  readonly persona: Persona;
  readonly updatedAt: Date;
}

/**
 * Whether a name can be in the table at all: text the database refuses outright (a NUL, which
 * PostgreSQL text cannot hold) is simply no persona's name, not a failed query.
 */
const storable = (name: string) => !name.includes('\u0000') && name.length <= 200;

interface Row {
  definition: unknown;
  updated_at: Date;
}

/**
 * Saved personas. A definition is validated before it is written and again when read, so a row
 * written by an older schema fails loudly at its path rather than answering with other users.
 */
export class PersonasRepo {
  constructor(private readonly db: Queryable) {}

  async list(): Promise<StoredPersona[]> {
    const rows = await this.db.query<Row>(
      'SELECT definition, updated_at FROM personas ORDER BY name',
    );
    return rows.map((row) => this.toStored(row));
  }

  async get(name: string): Promise<StoredPersona | undefined> {
    if (!storable(name)) return undefined;
    const rows = await this.db.query<Row>(
      'SELECT definition, updated_at FROM personas WHERE name = $1',
      [name],
    );
    return rows[0] && this.toStored(rows[0]);
  }

  /** Inserts or replaces the persona of this name; returns whether it existed before. */
  async save(input: unknown): Promise<{ persona: Persona; created: boolean }> {
    const persona = parsePersona(input);
    const rows = await this.db.query<{ created: boolean }>(
      `INSERT INTO personas (name, description, definition) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (name) DO UPDATE
         SET description = EXCLUDED.description, definition = EXCLUDED.definition, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [persona.name, persona.description, JSON.stringify(persona)],
    );
    return { persona, created: rows[0]?.created === true };
  }

  /** Every saved persona by name, for report sections that name them. */
  async byName(): Promise<Map<string, Persona>> {
    return new Map((await this.list()).map((p) => [p.persona.name, p.persona]));
  }

  async delete(name: string): Promise<boolean> {
    if (!storable(name)) return false;
    const rows = await this.db.query('DELETE FROM personas WHERE name = $1 RETURNING name', [name]);
    return rows.length > 0;
  }

  private toStored(row: Row): StoredPersona {
    const definition =
      typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition;
    return { persona: parsePersona(definition, 'stored persona'), updatedAt: row.updated_at };
  }
}
