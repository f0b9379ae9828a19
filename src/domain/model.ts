// The office's vocabulary (SPEC §1–2). These unions are shared by CLI validation, the CHECK
// constraints in schema/, and the JSON documents, so each list is written once, here.

export const CHANNELS = ['phone', 'email', 'web', 'letter', 'visit', 'social', 'forum', 'internal', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CATEGORIES = ['product', 'service', 'price', 'delivery', 'staff', 'billing', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['general', 'important', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['new', 'assigned', 'in_progress', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const REPLY_CHANNELS = ['phone', 'visit', 'letter', 'email', 'sms', 'social'] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];

export const FAULTS = ['company', 'customer', 'third-party', 'undetermined'] as const;
export type Fault = (typeof FAULTS)[number];

export const COMPENSATION_KINDS = ['cash', 'goods', 'service', 'apology'] as const;
export type CompensationKind = (typeof COMPENSATION_KINDS)[number];

export const HOLD_REASONS = ['waiting-customer', 'waiting-third-party', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const STAGES = ['assign', 'first_reply', 'update', 'resolve', 'callback'] as const;
export type Stage = (typeof STAGES)[number];

export const EVENT_KINDS = [
  'logged', 'assigned', 'replied', 'noted', 'extended', 'closed', 'surveyed', 'callback_failed',
  'reopened', 'held', 'resumed', 'deadlines_recomputed', 'settings_changed',
  // No ticket: receipt numbers a restore will never give (issue 9 §8); a legitimate gap.
  'numbers_skipped',
  // No ticket: the one-time upgrade to events v2 re-encoded and re-chained the log (issue 10 §5).
  'upgraded',
  // The complainant's personal data deleted on request (PIPL art. 47); the record stays.
  'personal_data_erased',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
