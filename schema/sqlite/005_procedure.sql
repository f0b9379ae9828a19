-- complaints schema 5: the procedure as data (issue 11). The office's lists (channels,
-- categories, reply methods, ticket types, faults, compensation kinds) and its stages become rows
-- it edits; the CHECK lists that fixed them in the tickets and deadlines tables give way to them,
-- which in SQLite means rebuilding both tables (sqlite.org/lang_altertable.html §7).
-- complaints:rebuilds-tables

-- Position: the office's order in prompts, lists and reports. A label left NULL is the message
-- catalogue's label for a code the product knows, and the code itself otherwise.
CREATE TABLE list_items (
  list      TEXT NOT NULL CHECK (list IN ('channel', 'category', 'reply_method', 'ticket_type', 'fault', 'compensation_kind')),
  code      TEXT NOT NULL,
  position  INTEGER NOT NULL,
  label_en  TEXT,
  label_zh  TEXT,
  retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
  PRIMARY KEY (list, code)
) STRICT, WITHOUT ROWID;

INSERT INTO list_items (list, code, position) VALUES
  ('channel', 'phone', 1), ('channel', 'email', 2), ('channel', 'web', 3), ('channel', 'letter', 4), ('channel', 'visit', 5),
  ('channel', 'social', 6), ('channel', 'forum', 7), ('channel', 'internal', 8), ('channel', 'other', 9),
  ('category', 'product', 1), ('category', 'service', 2), ('category', 'price', 3), ('category', 'delivery', 4),
  ('category', 'staff', 5), ('category', 'billing', 6), ('category', 'other', 7),
  ('reply_method', 'phone', 1), ('reply_method', 'visit', 2), ('reply_method', 'letter', 3), ('reply_method', 'email', 4),
  ('reply_method', 'sms', 5), ('reply_method', 'social', 6),
  ('ticket_type', 'complaint', 1), ('ticket_type', 'inquiry', 2), ('ticket_type', 'suggestion', 3), ('ticket_type', 'warning', 4),
  ('fault', 'company', 1), ('fault', 'customer', 2), ('fault', 'third-party', 3), ('fault', 'undetermined', 4),
  ('compensation_kind', 'cash', 1), ('compensation_kind', 'goods', 2), ('compensation_kind', 'service', 3), ('compensation_kind', 'apology', 4);

-- A stage: what starts it (receipt, assignment, reply, close, or `stage:CODE` done), its clock,
-- whether a hold stops it, a duration per severity and for urgent tickets ('4wh', '2h'; NULL where
-- it does not apply, or for urgent: the severity's own, 24x7), and the severities and ticket types
-- it applies to (comma-separated codes; NULL: all). The five built-in stages are the lifecycle's.
CREATE TABLE stages (
  code           TEXT PRIMARY KEY,
  position       INTEGER NOT NULL,
  builtin        INTEGER NOT NULL CHECK (builtin IN (0, 1)),
  start          TEXT NOT NULL,
  clock          TEXT NOT NULL CHECK (clock IN ('working', '24x7')),
  pausable       INTEGER NOT NULL CHECK (pausable IN (0, 1)),
  sla_general    TEXT,
  sla_important  TEXT,
  sla_major      TEXT,
  sla_urgent     TEXT,
  only_severity  TEXT,
  only_type      TEXT,
  label_en       TEXT,
  label_zh       TEXT,
  retired        INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT, WITHOUT ROWID;

-- SPEC §4's table; seeds 000, 001, 002, 004.
INSERT INTO stages (code, position, builtin, start, clock, pausable, sla_general, sla_important, sla_major, sla_urgent) VALUES
  ('assign', 1, 1, 'receipt', 'working', 0, '2wh', '2wh', '1wh', '30m'),
  ('first_reply', 2, 1, 'receipt', 'working', 0, '4wh', '8wh', '8wh', '2h'),
  ('update', 3, 1, 'reply', 'working', 1, '3wd', '3wd', '3wd', '1d'),
  ('resolve', 4, 1, 'receipt', 'working', 1, '5wd', '7wd', '7wd', NULL),
  ('callback', 5, 1, 'close', 'working', 0, '1wd', '1wd', '1wd', '1wd');

-- The office's SLA table, kept until now as one setting, moves into its stages.
UPDATE stages SET
  sla_general = coalesce((SELECT json_extract(value, '$.' || stages.code || '.general.amount') || json_extract(value, '$.' || stages.code || '.general.unit') FROM settings WHERE key = 'sla'), sla_general),
  sla_important = coalesce((SELECT json_extract(value, '$.' || stages.code || '.important.amount') || json_extract(value, '$.' || stages.code || '.important.unit') FROM settings WHERE key = 'sla'), sla_important),
  sla_major = coalesce((SELECT json_extract(value, '$.' || stages.code || '.major.amount') || json_extract(value, '$.' || stages.code || '.major.unit') FROM settings WHERE key = 'sla'), sla_major),
  sla_urgent = coalesce((SELECT json_extract(value, '$.' || stages.code || '.urgent.amount') || json_extract(value, '$.' || stages.code || '.urgent.unit') FROM settings WHERE key = 'sla'), sla_urgent);
DELETE FROM settings WHERE key = 'sla';
INSERT INTO settings (key, value) VALUES ('procedure_version', '1');

CREATE TABLE tickets_v5 (
  id                  INTEGER PRIMARY KEY,
  no                  TEXT NOT NULL UNIQUE,
  status              TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'closed')),
  severity            TEXT NOT NULL CHECK (severity IN ('general', 'important', 'major')),
  severity_suggested  TEXT NOT NULL CHECK (severity_suggested IN ('general', 'important', 'major')),
  urgent              INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  on_hold             INTEGER NOT NULL DEFAULT 0 CHECK (on_hold IN (0, 1)),
  channel             TEXT NOT NULL,     -- a code of the office's channel list
  category            TEXT NOT NULL,     -- a code of the office's category list
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
  rest                TEXT NOT NULL,
  -- complaint, inquiry, suggestion, warning (seed 004 §3.6) or the office's own: a code of its list.
  type                TEXT NOT NULL DEFAULT 'complaint'
) STRICT;

-- Every ticket so far is a complaint: the only type there was.
INSERT INTO tickets_v5 SELECT *, 'complaint' FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_v5 RENAME TO tickets;

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

CREATE TABLE deadlines_v5 (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  key       TEXT NOT NULL,
  stage     TEXT NOT NULL,      -- a code of the office's stages
  cycle     INTEGER NOT NULL,
  due       INTEGER,
  done_at   INTEGER,
  void      INTEGER NOT NULL DEFAULT 0 CHECK (void IN (0, 1)),
  clock     TEXT NOT NULL DEFAULT 'working' CHECK (clock IN ('working', 'round-the-clock')),
  start     INTEGER NOT NULL DEFAULT 0,
  minutes   INTEGER NOT NULL DEFAULT 0,
  pausable  INTEGER NOT NULL DEFAULT 0 CHECK (pausable IN (0, 1)),
  cap       INTEGER,
  agreed    INTEGER,
  PRIMARY KEY (ticket_id, key)
) STRICT, WITHOUT ROWID;

INSERT INTO deadlines_v5 (ticket_id, key, stage, cycle, due, done_at, void, clock, start, minutes, pausable, cap, agreed)
  SELECT ticket_id, key, stage, cycle, due, done_at, void, clock, start, minutes, pausable, cap, agreed FROM deadlines;
DROP TABLE deadlines;
ALTER TABLE deadlines_v5 RENAME TO deadlines;
CREATE INDEX deadlines_pending ON deadlines (due) WHERE done_at IS NULL AND void = 0;
CREATE INDEX deadlines_report_due ON deadlines (due, stage, done_at);
