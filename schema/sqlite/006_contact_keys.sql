-- complaints schema 6: finding a caller again (issue 12 item 5). A clerk types the number the
-- caller gives, formatted however (`138 0013 8000`, `+86 138-0013-8000`, full width); each ticket
-- keeps a search key of its complainant's phone (country code and national number, digits only:
-- domain/phone.ts) and email (lower case), indexed, so `list --phone`, `list --search` and the
-- open-ticket notice of `log` look them up instead of reading every ticket. Like the name, they are
-- clear copies of personal values kept out of the hashed log, and emptied when the person is erased.

ALTER TABLE tickets ADD COLUMN phone_key TEXT;
ALTER TABLE tickets ADD COLUMN email_key TEXT;

-- The keys of the tickets there are, from their personal values (store/sqlite/contact-keys.ts:
-- the phone's key needs the numbering plan).
-- complaints:convert contact-keys

CREATE INDEX tickets_phone_key ON tickets (phone_key, received_at) WHERE phone_key IS NOT NULL;
CREATE INDEX tickets_email_key ON tickets (email_key, received_at) WHERE email_key IS NOT NULL;
