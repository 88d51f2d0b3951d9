export type Role = 'editor' | 'viewer';

/** Who is asking, and how we know. */
export interface Principal {
  readonly email: string;
  readonly role: Role;
  readonly via: 'iap' | 'bearer' | 'session';
  /** Set for cookie sessions: forms must echo it back. */
  readonly csrf?: string;
}

/** `PATHLIGHT_EDITORS`: comma-separated emails or `@domain` entries, case-insensitive. */
export function roleFor(email: string, editors: string): Role {
  const address = email.toLowerCase();
  for (const raw of editors.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.startsWith('@') ? address.endsWith(entry) : address === entry) return 'editor';
  }
  return 'viewer';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
