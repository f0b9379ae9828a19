-- complaints schema 3: each deadline row carries its clock, so the overdue check can say how late
-- a stage is without reading the ticket's whole snapshot.

ALTER TABLE deadlines ADD COLUMN clock TEXT NOT NULL DEFAULT 'working'
  CHECK (clock IN ('working', 'round-the-clock'));

UPDATE deadlines
SET clock = 'round-the-clock'
WHERE (SELECT json_extract(t.snapshot, '$.deadlines."' || deadlines.key || '".clock')
       FROM tickets AS t WHERE t.id = deadlines.ticket_id) = 'round-the-clock';
