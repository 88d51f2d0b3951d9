import type { Queryable } from './storeDb.js';

export type LinkSource = 'share' | 'cli' | 'email';

/** A shared link as stored: what it grants and how it has been used; never the token. */
export interface StoredLink {
  readonly id: string;
  readonly reportId: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly kid: string;
  readonly params: Record<string, unknown>;
  readonly ranges: Record<string, unknown> | null;
  readonly formats: string[];
  readonly source: LinkSource;
  readonly opens: number;
  readonly lastOpenedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
}

export type NewLink = Pick<
  StoredLink,
  'id' | 'reportId' | 'createdBy' | 'createdAt' | 'expiresAt' | 'kid' | 'params' | 'ranges'
> &
  Pick<StoredLink, 'formats' | 'source'>;

interface LinkRow {
  id: string;
  report_id: string;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string;
  kid: string;
  params: Record<string, unknown>;
  ranges: Record<string, unknown> | null;
  formats: string[];
  source: LinkSource;
  opens: number;
  last_opened_at: Date | string | null;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));

const fromRow = (row: LinkRow): StoredLink => ({
  id: row.id,
  reportId: row.report_id,
  createdBy: row.created_by,
  createdAt: date(row.created_at),
  expiresAt: date(row.expires_at),
  kid: row.kid,
  params: row.params,
  ranges: row.ranges,
  formats: row.formats,
  source: row.source,
  opens: Number(row.opens),
  lastOpenedAt: row.last_opened_at === null ? null : date(row.last_opened_at),
  revokedAt: row.revoked_at === null ? null : date(row.revoked_at),
  revokedBy: row.revoked_by,
});

const SELECT = `SELECT l.*, r.revoked_at, r.revoked_by
  FROM report_links l LEFT JOIN link_revocations r ON r.link_id = l.id`;

/** Shared links, the revocation list, and the open counter. */
export class LinksRepo {
  constructor(private readonly db: Queryable) {}

  async create(link: NewLink): Promise<void> {
    await this.db.query(
      `INSERT INTO report_links
         (id, report_id, created_by, created_at, expires_at, kid, params, ranges, formats, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10)`,
      [
        link.id,
        link.reportId,
        link.createdBy,
        link.createdAt.toISOString(),
        link.expiresAt.toISOString(),
        link.kid,
        JSON.stringify(link.params),
        link.ranges === null ? null : JSON.stringify(link.ranges),
        JSON.stringify(link.formats),
        link.source,
      ],
    );
  }

  async get(id: string): Promise<StoredLink | undefined> {
    const rows = await this.db.query<LinkRow>(`${SELECT} WHERE l.id = $1`, [id]);
    return rows[0] && fromRow(rows[0]);
  }

  /** A report's links, newest first, revoked and expired ones included (the list says which). */
  async listForReport(reportId: string): Promise<StoredLink[]> {
    const rows = await this.db.query<LinkRow>(
      `${SELECT} WHERE l.report_id = $1 ORDER BY l.created_at DESC, l.id`,
      [reportId],
    );
    return rows.map(fromRow);
  }

  /** Puts a link on the revocation list; false when there is no such link of that report. */
  async revoke(reportId: string, id: string, by: string, at: Date): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO link_revocations (link_id, revoked_by, revoked_at)
       SELECT id, $3, $4 FROM report_links WHERE id = $1 AND report_id = $2
       ON CONFLICT (link_id) DO NOTHING
       RETURNING link_id AS id`,
      [id, reportId, by, at.toISOString()],
    );
    if (rows.length > 0) return true;
    // Revoking twice is not an error: the link stays revoked from the first time.
    return (await this.get(id))?.reportId === reportId;
  }

  /** One more open, and when: nothing about who opened it. */
  async recordOpen(id: string, at: Date): Promise<void> {
    await this.db.query(
      'UPDATE report_links SET opens = opens + 1, last_opened_at = $2 WHERE id = $1',
      [id, at.toISOString()],
    );
  }
}
