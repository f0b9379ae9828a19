import type { Generated } from 'kysely';

// The tables as Kysely sees them (schema/sqlite/*.sql is the source of truth).

export interface SettingsTable { key: string; value: string }
export interface CalendarDaysTable { date: string; kind: 'holiday' | 'workday'; source: string }
export interface TicketCountersTable { year: number; last: number }

export interface TicketsTable {
  id: Generated<number>;
  no: string;
  status: string;
  severity: string;
  severity_suggested: string;
  urgent: number;
  on_hold: number;
  channel: string;
  category: string;
  unit: string | null;
  assignee: string | null;
  complainant_name: string | null;
  subject: string;
  description: string | null;
  demand: string | null;
  amount_cents: number | null;
  received_at: number;
  closed_at: number | null;
  reopen_count: number;
  resolution_minutes: number | null;
  compensation_cents: number | null;
  survey_score: number | null;
  survey_at: number | null;
  logged_at: number;
  logged_by: string;
  cycle: number;
  cycle_start: number;
  reply_count: number;
  last_reply_at: number | null;
  callback_attempts: number;
  customer_due: number | null;
  /** JSON: the fields without a column that differ from a blank ticket (store/ticket-rows.ts). */
  rest: string;
  type: string;
  /** Search keys of the complainant's phone and email (schema 6, domain/phone.ts); null once erased. */
  phone_key: string | null;
  email_key: string | null;
}

export interface DeadlinesTable {
  ticket_id: number;
  key: string;
  stage: string;
  cycle: number;
  due: number | null;
  done_at: number | null;
  void: number;
  clock: 'working' | 'round-the-clock';
  start: number;
  minutes: number;
  pausable: number;
  cap: number | null;
  agreed: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  ticket_id: number | null;
  at: number;
  recorded_at: number;
  actor: string;
  kind: string;
  /** The payload's format: 2 (domain/event-payloads.ts). */
  format: number;
  /** Canonical JSON, stored exactly as hashed. */
  payload: string;
  /** SHA-256 (32 bytes) of the previous event's hash, this event's head and its payload. */
  hash: Uint8Array;
}

export interface PersonalKeysTable { ticket_id: number; key: Uint8Array }
export interface PersonalValuesTable { ticket_id: number; seal: string; value: string }

export interface TicketSearchTable {
  rowid: number;
  ticket_search: string;
  subject: string;
  description: string | null;
  demand: string | null;
  complainant_name: string | null;
}

/** One code of one of the office's lists (domain/procedure.ts). */
export interface ListItemsTable {
  list: string;
  code: string;
  position: number;
  label_en: string | null;
  label_zh: string | null;
  retired: number;
}

/** One stage of the office's procedure; durations as written ('4wh'), severities and types comma-separated. */
export interface StagesTable {
  code: string;
  position: number;
  builtin: number;
  start: string;
  clock: string;
  pausable: number;
  sla_general: string | null;
  sla_important: string | null;
  sla_major: string | null;
  sla_urgent: string | null;
  only_severity: string | null;
  only_type: string | null;
  label_en: string | null;
  label_zh: string | null;
  retired: number;
}

export interface UnitsTable {
  name: string;
  name_key: string;
  position: number;
  leader: string | null;
  parent: string | null;
  retired: number;
}

export interface PeopleTable {
  login: string;
  name: string;
  role: string;
  unit: string | null;
  email: string | null;
  phone: string | null;
  position: number;
  retired: number;
}

export interface Schema {
  settings: SettingsTable;
  calendar_days: CalendarDaysTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  deadlines: DeadlinesTable;
  events: EventsTable;
  personal_keys: PersonalKeysTable;
  personal_values: PersonalValuesTable;
  ticket_search: TicketSearchTable;
  list_items: ListItemsTable;
  stages: StagesTable;
  units: UnitsTable;
  people: PeopleTable;
}
