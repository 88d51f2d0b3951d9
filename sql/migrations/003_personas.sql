-- Personas: saved, named, described sets of users (src/analyses/personas/personaSpec.ts). The
-- definition is the validated JSON; the name is its key, spelled as the schema allows.

CREATE TABLE personas (
  name        text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,59}$'),
  description text NOT NULL DEFAULT '',
  definition  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
