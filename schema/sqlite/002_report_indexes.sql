-- complaints schema 2: covering indexes for the period report (SPEC §5).
-- The report reads month ranges of a million-ticket file in well under a second only if it never
-- has to visit the wide ticket rows (each carries its JSON snapshot) or the events' JSON: every
-- aggregate below is answered from one of these indexes alone.

-- received in P (and closed by the as-of time), grouped by unit, category, channel, severity
CREATE INDEX tickets_report_received ON tickets (received_at, unit, category, channel, severity, closed_at);
-- closes in P with resolution time and compensation; open at the end of P (closed after it)
CREATE INDEX tickets_report_closed ON tickets (closed_at, unit, category, channel, severity, received_at, resolution_minutes, compensation_cents)
  WHERE closed_at IS NOT NULL;
-- surveys in P
CREATE INDEX tickets_report_surveyed ON tickets (survey_at, unit, category, channel, severity, survey_score)
  WHERE survey_at IS NOT NULL;
-- still open: part of "open at the end of P"
CREATE INDEX tickets_report_open ON tickets (received_at, unit, category, channel, severity)
  WHERE status <> 'closed';
-- the groups of a ticket, for deadlines and events joined to their ticket
CREATE INDEX tickets_report_groups ON tickets (id, unit, category, channel, severity);
-- timeliness: deadlines due in P, by stage, met or not (ticket_id comes with the primary key)
CREATE INDEX deadlines_report_due ON deadlines (due, stage, done_at);
-- reopens, closes, surveys and failed callbacks in P with their ticket
CREATE INDEX events_report ON events (kind, at, ticket_id);
