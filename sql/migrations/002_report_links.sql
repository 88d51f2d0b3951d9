-- Shared report links: what each one grants, who made it, and how often it was opened.
-- The token itself is never stored (it is as good as the link); the row is found by the id it carries.
-- No reference to reports: a link to a deleted report still answers "report not found", not "invalid".

CREATE TABLE report_links (
  id             text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,32}$'),
  report_id      text NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  -- The signing key's id, so a list can tell which links a key rotation still has to honour.
  kid            text NOT NULL,
  -- The locked parameters (the default range) and what the viewer may switch to.
  params         jsonb NOT NULL DEFAULT '{}'::jsonb,
  ranges         jsonb,
  formats        jsonb NOT NULL,
  source         text NOT NULL CHECK (source IN ('share', 'cli', 'email')),
  -- Counted without anything about the viewer: no address, no agent, no cookie.
  opens          integer NOT NULL DEFAULT 0,
  last_opened_at timestamptz
);
CREATE INDEX report_links_report ON report_links (report_id, created_at DESC);

-- The revocation list every open checks: a revoked link answers 410 until it would have expired anyway.
CREATE TABLE link_revocations (
  link_id    text PRIMARY KEY REFERENCES report_links (id) ON DELETE CASCADE,
  revoked_by text NOT NULL,
  revoked_at timestamptz NOT NULL DEFAULT now()
);
