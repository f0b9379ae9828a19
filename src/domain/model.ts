// The office's vocabulary (SPEC §1–2). Channels, categories, reply methods, ticket types, faults
// and compensation kinds are the office's own lists (domain/procedure.ts): the codes below are the
// lists every office starts with, and a ticket field holds any code of its list. Severities,
// statuses and hold reasons are the product's own.

export const CHANNELS = ['phone', 'email', 'web', 'letter', 'visit', 'social', 'forum', 'internal', 'other'] as const;
export type Channel = string;

export const CATEGORIES = ['product', 'service', 'price', 'delivery', 'staff', 'billing', 'other'] as const;
export type Category = string;

export const SEVERITIES = ['general', 'important', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['new', 'assigned', 'in_progress', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const REPLY_CHANNELS = ['phone', 'visit', 'letter', 'email', 'sms', 'social'] as const;
export type ReplyChannel = string;

export const FAULTS = ['company', 'customer', 'third-party', 'undetermined'] as const;
export type Fault = string;

export const COMPENSATION_KINDS = ['cash', 'goods', 'service', 'apology'] as const;
export type CompensationKind = string;

// seed 004 §3.6: 投诉、咨询、建议、预警
export const TICKET_TYPES = ['complaint', 'inquiry', 'suggestion', 'warning'] as const;
export type TicketType = string;

export const HOLD_REASONS = ['waiting-customer', 'waiting-third-party', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** The stages the lifecycle itself starts and meets (SPEC §4); an office adds its own. */
export const BUILTIN_STAGES = ['assign', 'first_reply', 'update', 'resolve', 'callback'] as const;
export type BuiltinStage = (typeof BUILTIN_STAGES)[number];
/** A stage's code: a built-in one or the office's own. */
export type Stage = string;

export const EVENT_KINDS = [
  'logged', 'assigned', 'replied', 'noted', 'extended', 'closed', 'surveyed', 'callback_failed',
  'reopened', 'held', 'resumed', 'deadlines_recomputed', 'settings_changed',
  // No ticket: receipt numbers a restore will never give (issue 9 §8); a legitimate gap.
  'numbers_skipped',
  // No ticket: the one-time upgrade to events v2 re-encoded and re-chained the log (issue 10 §5).
  'upgraded',
  // The complainant's personal data deleted on request (PIPL art. 47); the record stays.
  'personal_data_erased',
  // An office stage met (`done`); built-in stages are met by their own commands.
  'stage_done',
  // No ticket: the office changed its lists or stages (issue 11).
  'procedure_changed',
  // issue 13. No ticket: a person or a unit registered, changed or retired.
  'people_changed', 'units_changed',
  // A ticket's unit renamed with its unit (`units rename`): reports count it under the new name.
  'unit_renamed',
  // A close above the closer's limit awaits approval (seed 004 §3.9); approved, or returned.
  'approval_requested', 'approved', 'approval_rejected',
  // Someone outside the ticket's unit read its complainant's contact details (`show --reveal`).
  'personal_data_revealed',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
