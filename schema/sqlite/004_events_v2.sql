-- complaints schema 4: storage v2 (issue 10). Lean, versioned events; personal data outside the
-- clear hash; a ticket row with no JSON snapshot repeating its own columns.
--
-- The statements before the `convert` line make the new tables, the program then re-encodes every
-- event and ticket into them (store/upgrade-v2.ts: it needs the keyed hashes and the fold), and the
-- statements after it drop the old tables and give the new ones their names. All in one transaction.

-- A random key per ticket: the chain commits to each personal value by HMAC under it. Erasing a
-- person deletes their values and this key; the seals left in the log then prove nothing about them.
CREATE TABLE personal_keys (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id),
  key       BLOB NOT NULL
) STRICT;

-- Each personal value once per ticket, under its seal (the HMAC the events and the ticket hold).
CREATE TABLE personal_values (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  seal      TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (ticket_id, seal)
) STRICT, WITHOUT ROWID;

CREATE TABLE events_v2 (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER REFERENCES tickets (id),
  at          INTEGER NOT NULL,     -- when it really happened (--at)
  recorded_at INTEGER NOT NULL,     -- when it was typed in
  actor       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  format      INTEGER NOT NULL,     -- the payload's format (2); hashed with it
  payload     TEXT NOT NULL,        -- canonical JSON, stored exactly as hashed (domain/event-payloads.ts)
  hash        BLOB NOT NULL         -- SHA-256 of the previous event's hash, this event's head and payload
) STRICT;

CREATE TABLE tickets_v2 (
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
  -- Clear copies of three personal fields, for search and lists; erased with the person.
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
  logged_at           INTEGER NOT NULL,
  logged_by           TEXT NOT NULL,
  cycle               INTEGER NOT NULL,
  cycle_start         INTEGER NOT NULL,
  reply_count         INTEGER NOT NULL,
  last_reply_at       INTEGER,
  callback_attempts   INTEGER NOT NULL,
  customer_due        INTEGER,
  -- The rest of the ticket, as JSON: the fields with no column above that differ from a blank
  -- ticket (flags, severity reasons, hold, pauses, survey...), personal ones as their seals.
  rest                TEXT NOT NULL
) STRICT;

-- Deadline rows carry the whole deadline, so the ticket needs no copy of them.
ALTER TABLE deadlines ADD COLUMN start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deadlines ADD COLUMN minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deadlines ADD COLUMN pausable INTEGER NOT NULL DEFAULT 0 CHECK (pausable IN (0, 1));
ALTER TABLE deadlines ADD COLUMN cap INTEGER;
ALTER TABLE deadlines ADD COLUMN agreed INTEGER;

-- complaints:convert events-v2

DROP TRIGGER events_no_update;
DROP TRIGGER events_no_delete;
DROP TRIGGER tickets_search_insert;
DROP TRIGGER tickets_search_update;
DROP TABLE events;
DROP TABLE tickets;
ALTER TABLE events_v2 RENAME TO events;
ALTER TABLE tickets_v2 RENAME TO tickets;

-- (due, stage, done_at) below answers everything (due, stage) did.
DROP INDEX deadlines_due;

CREATE INDEX tickets_received ON tickets (received_at);
CREATE INDEX tickets_closed ON tickets (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX tickets_status ON tickets (status, received_at);
CREATE INDEX tickets_unit ON tickets (unit, received_at);
CREATE INDEX tickets_report_received ON tickets (received_at, unit, category, channel, severity, closed_at);
CREATE INDEX tickets_report_closed ON tickets (closed_at, unit, category, channel, severity, received_at, resolution_minutes, compensation_cents)
  WHERE closed_at IS NOT NULL;
CREATE INDEX tickets_report_surveyed ON tickets (survey_at, unit, category, channel, severity, survey_score)
  WHERE survey_at IS NOT NULL;
CREATE INDEX tickets_report_open ON tickets (received_at, unit, category, channel, severity)
  WHERE status <> 'closed';
CREATE INDEX tickets_report_groups ON tickets (id, unit, category, channel, severity);

CREATE INDEX events_ticket ON events (ticket_id, id);
CREATE INDEX events_report ON events (kind, at, ticket_id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- The search index keeps its rowids (ticket ids are kept); only its triggers follow the new table.
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
