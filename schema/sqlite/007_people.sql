-- complaints schema 7: who may do what (issue 13). The office's units and people become rows it
-- edits; an office with none registered keeps working as a single-person office. A unit is
-- compared by its name folded for width and case (`name_key`), so 物流部 and ＱＡ find 物流部 and QA.
-- The permission table, the approval limits and the fault re-confirmation rule are settings
-- (changed with `permissions`, audited as settings_changed); absent, the defaults in
-- src/domain/people.ts apply.

CREATE TABLE units (
  name      TEXT NOT NULL,
  name_key  TEXT PRIMARY KEY,
  position  INTEGER NOT NULL,
  leader    TEXT,
  parent    TEXT,
  retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT, WITHOUT ROWID;

-- A person is an operating-system login: who is acting is the login, never a name typed.
CREATE TABLE people (
  login     TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  role      TEXT NOT NULL CHECK (role IN ('clerk', 'handler', 'supervisor', 'manager', 'director', 'system')),
  unit      TEXT,
  email     TEXT,
  phone     TEXT,
  position  INTEGER NOT NULL,
  retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT, WITHOUT ROWID;

-- The approval stage (seed 004 §3.7.3.4: internal approval within one working day) joins the
-- office's stages; an office that changed its procedure gets it with a procedure_changed event, so
-- that `verify` still finds the procedure the log last recorded (store/sqlite/approval-stage.ts).
-- complaints:convert approval-stage
