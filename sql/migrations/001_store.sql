-- Pathlight's own state: goals, report definitions, schedules, runs, deliveries, attempts, outbox.
-- Times are UTC (timestamptz); schedules keep their cron and IANA zone, never a fixed offset.

CREATE TABLE goals (
  name        text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$'),
  definition  jsonb NOT NULL,
  -- 'file' rows come from report/goal files in the repository (config as code) and win on conflict.
  source      text NOT NULL DEFAULT 'ui' CHECK (source IN ('ui', 'file')),
  file_path   text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reports (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  definition  jsonb NOT NULL,
  source      text NOT NULL DEFAULT 'ui' CHECK (source IN ('ui', 'file')),
  file_path   text,
  -- Set when a file replaced a definition edited in the UI, so the UI can say so.
  overridden_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE schedules (
  id            text PRIMARY KEY,
  report_id     text NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  name          text NOT NULL,
  cron          text NOT NULL,
  time_zone     text NOT NULL,
  recipients    jsonb NOT NULL,
  formats       jsonb NOT NULL,
  date_range    text,
  owner         text NOT NULL,
  paused        boolean NOT NULL DEFAULT false,
  paused_reason text,
  consecutive_failures integer NOT NULL DEFAULT 0,
  -- The latest slot the tick has considered; slots after it are due.
  checked_until timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runs (
  id              bigserial PRIMARY KEY,
  schedule_id     text REFERENCES schedules (id) ON DELETE CASCADE,
  report_id       text NOT NULL,
  -- The schedule slot this run serves; (schedule, slot) is claimed once, before any work.
  slot            timestamptz,
  kind            text NOT NULL CHECK (kind IN ('scheduled', 'send_now', 'test')),
  status          text NOT NULL CHECK (status IN ('claimed', 'running', 'sent', 'partial', 'failed', 'skipped')),
  attempt         integer NOT NULL DEFAULT 0,
  lease_owner     text,
  lease_expires_at timestamptz,
  parameters      jsonb NOT NULL DEFAULT '{}'::jsonb,
  stage_ms        jsonb NOT NULL DEFAULT '{}'::jsonb,
  bytes_processed bigint,
  error           text,
  -- The owner hears of a failed run once.
  notice_sent_at  timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz,
  UNIQUE (schedule_id, slot)
);
CREATE INDEX runs_lease ON runs (status, lease_expires_at);

CREATE TABLE deliveries (
  id            bigserial PRIMARY KEY,
  run_id        bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  recipient     text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('to', 'cc', 'bcc')),
  status        text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  -- Chosen before the first send, so a resend after a crash carries the same Message-ID.
  message_id    text NOT NULL,
  smtp_response text,
  attempts      integer NOT NULL DEFAULT 0,
  error         text,
  sent_at       timestamptz,
  UNIQUE (run_id, recipient)
);

CREATE TABLE attempts (
  id            bigserial PRIMARY KEY,
  run_id        bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  delivery_id   bigint REFERENCES deliveries (id) ON DELETE CASCADE,
  status        text NOT NULL,
  stage_ms      jsonb NOT NULL DEFAULT '{}'::jsonb,
  error         text,
  smtp_response text,
  message_id    text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  delivery_id bigint REFERENCES deliveries (id) ON DELETE SET NULL,
  message_id  text NOT NULL,
  recipients  jsonb NOT NULL,
  subject     text NOT NULL,
  path        text NOT NULL,
  bytes       integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
