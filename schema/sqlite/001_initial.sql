-- complaints schema 1. Frozen once released: later changes are new numbered files.
-- Times are UTC epoch milliseconds; amounts are integer cents.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL            -- JSON
) STRICT;

-- Closed dates and worked weekend dates of the office calendar (SPEC §4).
CREATE TABLE calendar_days (
  date   TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  kind   TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  source TEXT NOT NULL DEFAULT 'office'
) STRICT;

-- Per-year ticket number sequence: C2026-00042.
CREATE TABLE ticket_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
) STRICT;

-- The excerpt: each ticket as the fold of its events, written in the same transaction.
CREATE TABLE tickets (
  id                  INTEGER PRIMARY KEY,
  no                  TEXT NOT NULL UNIQUE,
  status              TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'closed')),
  severity            TEXT NOT NULL CHECK (severity IN ('general', 'important', 'major')),
  severity_suggested  TEXT NOT NULL CHECK (severity_suggested IN ('general', 'important', 'major')),
  urgent              INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  on_hold             INTEGER NOT NULL DEFAULT 0 CHECK (on_hold IN (0, 1)),
  channel             TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'web', 'letter', 'visit', 'social', 'forum', 'internal', 'other')),
  category            TEXT NOT NULL CHECK (category IN ('product', 'service', 'price', 'delivery', 'staff', 'billing', 'other')),
  unit                TEXT,
  assignee            TEXT,
  complainant_name    TEXT,
  subject             TEXT NOT NULL,
  description         TEXT,
  demand              TEXT,
  amount_cents        INTEGER CHECK (amount_cents >= 0),
  received_at         INTEGER NOT NULL,
  closed_at           INTEGER,
  reopen_count        INTEGER NOT NULL DEFAULT 0,
  resolution_minutes  INTEGER,
  compensation_cents  INTEGER CHECK (compensation_cents >= 0),
  survey_score        INTEGER CHECK (survey_score BETWEEN 1 AND 5),
  survey_at           INTEGER,
  snapshot            TEXT NOT NULL   -- the whole Ticket as JSON; the columns above are for querying
) STRICT;

CREATE INDEX tickets_received ON tickets (received_at);
CREATE INDEX tickets_closed ON tickets (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX tickets_status ON tickets (status, received_at);
CREATE INDEX tickets_unit ON tickets (unit, received_at);

-- One row per deadline instance (stage × cycle, and each update period): the overdue check
-- and the timeliness figures read this.
CREATE TABLE deadlines (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  key       TEXT NOT NULL,
  stage     TEXT NOT NULL CHECK (stage IN ('assign', 'first_reply', 'update', 'resolve', 'callback')),
  cycle     INTEGER NOT NULL,
  due       INTEGER,
  done_at   INTEGER,
  void      INTEGER NOT NULL DEFAULT 0 CHECK (void IN (0, 1)),
  PRIMARY KEY (ticket_id, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX deadlines_pending ON deadlines (due) WHERE done_at IS NULL AND void = 0;
CREATE INDEX deadlines_due ON deadlines (due, stage);

-- The truth: append-only, hash-chained (SPEC §7).
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER REFERENCES tickets (id),
  at          INTEGER NOT NULL,     -- when it really happened (--at)
  recorded_at INTEGER NOT NULL,     -- when it was typed in
  actor       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  details     TEXT NOT NULL,        -- JSON: what the user said
  changes     TEXT NOT NULL,        -- JSON: field -> [before, after]
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE
) STRICT;

CREATE INDEX events_ticket ON events (ticket_id, id);
CREATE INDEX events_kind_at ON events (kind, at);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Free text over subject, description, demand and complainant, Chinese included: trigram
-- tokens match any substring of three or more characters.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
  subject, description, demand, complainant_name,
  content = 'tickets', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER tickets_search_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_search (rowid, subject, description, demand, complainant_name)
  VALUES (new.id, new.subject, new.description, new.demand, new.complainant_name);
END;
CREATE TRIGGER tickets_search_update AFTER UPDATE OF subject, description, demand, complainant_name ON tickets BEGIN
  INSERT INTO ticket_search (ticket_search, rowid, subject, description, demand, complainant_name)
  VALUES ('delete', old.id, old.subject, old.description, old.demand, old.complainant_name);
  INSERT INTO ticket_search (rowid, subject, description, demand, complainant_name)
  VALUES (new.id, new.subject, new.description, new.demand, new.complainant_name);
END;
