import type { Context } from '../cli/context.js';
import {
  optionalChoice, optionalListCode, optionalSeverity, parseAmount, parseDeadline, parseEmail, parsePastTime, parsePhone, parseText,
} from '../cli/input.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { logTicket, type LogInput } from '../domain/lifecycle.js';
import { SEVERITIES, type Category, type Channel, type Severity, type TicketType } from '../domain/model.js';
import { activeCodes, isBuiltinStage, type Lists, type StageRule } from '../domain/procedure.js';
import { suggestSeverity, type SeverityReason } from '../domain/severity.js';
import { currentDeadline, ticketStages, type Ticket } from '../domain/ticket.js';
import { formatLocal, toLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { loadPolicy } from '../store/procedure.js';
import { openTicketsOfContact, type OpenSameContact } from '../store/queries.js';
import { loadCalendar } from '../store/settings.js';
import { recordTicketChange, takeTicketNo } from '../store/tickets.js';
import type { Prompter } from '../ui/prompts.js';
import { printJson, ticketDocument } from '../ui/ticket-json.js';
import { formatMoney, joinItems, padToWidth } from '../ui/format.js';
import { listChoices, listLabel, severityLabel, stageLabel } from '../ui/labels.js';
import { cancellable, validator } from './ask.js';
import { missingCode, officeLists } from './office-lists.js';

export interface LogOptions {
  name?: string;
  anonymous?: boolean;
  phone?: string;
  email?: string;
  address?: string;
  org?: string;
  channel?: string;
  category?: string;
  type?: string;
  subject?: string;
  description?: string;
  demand?: string;
  amount?: string;
  product?: string;
  batch?: string;
  receivedAt?: string;
  due?: string;
  unit?: string;
  to?: string;
  severity?: string;
  urgent?: boolean;
  safety?: boolean;
  external?: boolean;
  group?: boolean;
  at?: string;
  yes?: boolean;
  json?: boolean;
}

/** What the clerk has so far; prompts fill the gaps (with a TTY) before the ticket is built. */
interface Draft {
  anonymous: boolean;
  name: string | null;
  phone: string | null;
  email: string | null;
  channel: Channel | null;
  category: Category | null;
  type: TicketType;
  subject: string | null;
  description: string | null;
  demand: string | null;
  amountCents: number | null;
  severity: Severity | null;
}

export async function run(ctx: Context, options: LogOptions): Promise<void> {
  // Everything that needs no database is checked first, so bad input never creates or touches a file.
  if (options.anonymous && options.name !== undefined) throw new UsageError('anonymous_with_name', {});
  const given = {
    anonymous: Boolean(options.anonymous),
    name: parseText('--name', options.name, { kind: 'name' }),
    phone: options.phone === undefined ? null : parsePhone(options.phone),
    email: options.email === undefined ? null : parseEmail(options.email),
    subject: parseText('--subject', options.subject, { kind: 'line' }),
    description: parseText('--description', options.description, { kind: 'text' }),
    demand: parseText('--demand', options.demand, { kind: 'text' }),
    amountCents: options.amount === undefined ? null : parseAmount('--amount', options.amount),
    severity: optionalSeverity('--severity', options.severity),
  };
  const fixed = {
    address: parseText('--address', options.address, { kind: 'line' }),
    org: parseText('--org', options.org, { kind: 'line' }),
    product: parseText('--product', options.product, { kind: 'line' }),
    batch: parseText('--batch', options.batch, { kind: 'line' }),
    unit: parseText('--unit', options.unit, { kind: 'name' }),
    assignee: parseText('--to', options.to, { kind: 'name' }),
    urgent: Boolean(options.urgent),
    safety: Boolean(options.safety),
    external: Boolean(options.external),
    group: Boolean(options.group),
  };
  if (fixed.assignee !== null && fixed.unit === null) throw new UsageError('needs_flag', { a: '--to', b: '--unit' });
  // The codes are the office's, its lists read once so that the flags, the prompts and the messages
  // offer the same ones (a file not made yet has the lists every office starts with, and reading
  // them does not make it).
  const lists = await officeLists(ctx);
  const draft: Draft = {
    ...given,
    channel: optionalListCode('--channel', options.channel, lists.channel, 'channel'),
    category: optionalListCode('--category', options.category, lists.category, 'category'),
    type: optionalListCode('--type', options.type, lists.ticket_type, 'ticket_type') ?? activeCodes(lists.ticket_type)[0]!,
  };

  const interactive = ctx.io.canPrompt;
  if (!interactive) requireComplete(draft, lists);

  const store = await ctx.store();
  // For reading the typed times and the read-back; the deadlines use the policy as it is when saved.
  const cal = await store.read(loadCalendar);
  const now = ctx.now();
  const at = options.at === undefined ? now : parsePastTime('--at', options.at, cal, now);
  const receivedAt = options.receivedAt === undefined ? at : parsePastTime('--received-at', options.receivedAt, cal, now);
  const customerDue = options.due === undefined ? null : parseDeadline('--due', options.due, cal, now);

  if (interactive) {
    const prompter = await ctx.prompter();
    await cancellable(askForMissing(prompter, draft, fixed, lists));
    requireComplete(draft, lists);
    if (!options.yes) {
      ctx.io.err(readBack(draft, fixed, formatLocal(receivedAt, cal.timezone), lists));
      if (!(await cancellable(prompter.confirm(t('prompt_confirm'), true)))) throw new CannotDo('cancelled', {});
    }
  }

  const input: LogInput = {
    complainant: {
      name: draft.anonymous ? null : draft.name,
      anonymous: draft.anonymous,
      phone: draft.phone,
      email: draft.email,
      address: fixed.address,
      org: fixed.org,
    },
    channel: draft.channel!,
    category: draft.category!,
    type: draft.type,
    subject: draft.subject!,
    description: draft.description,
    demand: draft.demand,
    amountCents: draft.amountCents,
    product: fixed.product,
    batch: fixed.batch,
    receivedAt,
    customerDue,
    unit: fixed.unit,
    assignee: fixed.assignee,
    severity: draft.severity,
    urgent: fixed.urgent,
    safety: fixed.safety,
    external: fixed.external,
    group: fixed.group,
  };
  const { ticket, stages, sameContact } = await store.transact(async (db) => {
    // Read again inside the transaction: the call may have lasted through a calendar or SLA change.
    const policy = await loadPolicy(db);
    const no = await takeTicketNo(db, toLocal(at, cal.timezone).year);
    const created = logTicket(input, no, ctx.actor, at, policy);
    // The second complaint (issue 12): looked up once the input is known good, in the saving transaction; it does not block.
    const sameContact = await openTicketsOfContact(db, { phone: draft.phone, email: draft.email });
    const details = { channel: input.channel, severity_given: draft.severity, severity_suggested: created.severitySuggested };
    const recorded = await recordTicketChange(db, null, created, { kind: 'logged', actor: ctx.actor, at, recordedAt: now, details, procedure: policy.procedureVersion });
    return { ticket: recorded.ticket, stages: policy.stages, sameContact };
  });

  sayOpenSameContact(ctx, sameContact, cal.timezone);
  if (options.json) {
    printJson(ctx.io.out, { ...ticketDocument(ticket, cal.timezone, now), open_same_contact: sameContact.map((o) => o.no) });
    return;
  }
  printReceipt(ctx, ticket, stages, cal.timezone);
}

function requireComplete(draft: Draft, lists: Lists): void {
  if (!draft.anonymous && draft.name === null) throw new UsageError('missing_field', { field: '--name (or --anonymous)' });
  if (!draft.anonymous && draft.phone === null && draft.email === null) throw new UsageError('need_contact', {});
  if (draft.channel === null) throw missingCode('--channel', 'channel', lists);
  if (draft.category === null) throw missingCode('--category', 'category', lists);
  if (draft.subject === null) throw new UsageError('missing_field', { field: '--subject' });
}

/** With a person at the terminal, ask only for what the flags did not give, validating as they type. */
async function askForMissing(
  p: Prompter, draft: Draft, fixed: { safety: boolean; external: boolean; group: boolean }, lists: Lists,
): Promise<void> {
  const check = validator;
  const required = (field: string, kind: 'name' | 'line') => check((v) => parseText(field, v, { kind, required: true }));
  if (!draft.anonymous && draft.name === null) {
    draft.name = parseText('--name', await p.input(t('prompt_name'), { validate: required('--name', 'name') }), { kind: 'name' });
  }
  if (!draft.anonymous && draft.phone === null && draft.email === null) {
    const phone = await p.input(t('prompt_phone'), { validate: (v) => (v.trim() === '' ? true : check(parsePhone)(v)) });
    draft.phone = phone.trim() === '' ? null : parsePhone(phone);
    if (draft.phone === null) draft.email = parseEmail(await p.input(t('prompt_email'), { validate: check(parseEmail) }));
  }
  if (draft.channel === null) draft.channel = await p.select(t('prompt_channel'), listChoices('channel', lists));
  if (draft.category === null) draft.category = await p.select(t('prompt_category'), listChoices('category', lists));
  if (draft.subject === null) {
    draft.subject = parseText('--subject', await p.input(t('prompt_subject'), { validate: required('--subject', 'line') }), { kind: 'line' });
  }
  if (draft.description === null) {
    draft.description = parseText('--description', await p.input(t('prompt_description'), { validate: check((v) => parseText('--description', v, { kind: 'text' })) }), { kind: 'text' });
  }
  if (draft.demand === null) {
    draft.demand = parseText('--demand', await p.input(t('prompt_demand'), { validate: check((v) => parseText('--demand', v, { kind: 'text' })) }), { kind: 'text' });
  }
  if (draft.amountCents === null) {
    const amount = await p.input(t('prompt_amount'), { validate: (v) => (v.trim() === '' ? true : check((x) => parseAmount('--amount', x))(v)) });
    draft.amountCents = amount.trim() === '' ? null : parseAmount('--amount', amount);
  }
  if (draft.severity === null) {
    const suggestion = suggestSeverity({ amountCents: draft.amountCents, ...fixed });
    const reasons = suggestion.reasons.length ? t('severity_reasons', { reasons: joinItems(suggestion.reasons.map((r) => t(`reason_${r}`))) }) : '';
    draft.severity = await p.select(
      t('prompt_severity'),
      SEVERITIES.map((s) => ({ value: s, name: s === suggestion.severity ? t('prompt_severity_suggested', { severity: severityLabel(s), reasons }) : severityLabel(s) })),
      suggestion.severity,
    );
  }
}

/** seed 003 §5.2.3 复述给客户确认: the clerk reads the ticket back before saving it. */
function readBack(draft: Draft, fixed: { unit: string | null; assignee: string | null; urgent: boolean }, received: string, lists: Lists): string {
  const label = (list: 'channel' | 'category', code: string | null): string | null => (code === null ? null : listLabel(list, code, lists));
  const rows: [string, string | null][] = [
    [t('label_complainant'), draft.anonymous ? t('label_anonymous') : draft.name],
    [t('label_phone'), draft.phone],
    [t('label_email'), draft.email],
    [t('label_type'), listLabel('ticket_type', draft.type, lists)],
    [t('label_channel'), label('channel', draft.channel)],
    [t('label_category'), label('category', draft.category)],
    [t('label_subject'), draft.subject],
    [t('label_description'), draft.description],
    [t('label_demand'), draft.demand],
    [t('label_amount'), draft.amountCents === null ? null : formatMoney(draft.amountCents)],
    [t('label_severity'), `${draft.severity ?? ''}${fixed.urgent ? `, ${t('label_urgent')}` : ''}`],
    [t('label_unit'), fixed.unit === null ? null : [fixed.unit, fixed.assignee].filter(Boolean).join(' / ')],
    [t('label_received'), received],
  ];
  const lines = rows.filter(([, v]) => v !== null && v !== '').map(([k, v]) => `  ${padToWidth(k, 20)} ${v}`);
  return [t('readback_title'), ...lines].join('\n');
}

function printReceipt(ctx: Context, ticket: Ticket, stages: readonly StageRule[], tz: string): void {
  const due = (stage: 'assign' | 'first_reply' | 'resolve'): string => {
    const at = currentDeadline(ticket, stage)?.due ?? null;
    return at === null ? t('none') : formatLocal(at, tz);
  };
  ctx.io.out(t('logged', { no: ticket.no }));
  const reasons = ticket.severityReasons.length ? t('severity_reasons', { reasons: joinItems(ticket.severityReasons.map((r: SeverityReason) => t(`reason_${r}`))) }) : '';
  ctx.io.out(t('severity_suggested', { severity: severityLabel(ticket.severity), suggested: severityLabel(ticket.severitySuggested), reasons }));
  ctx.io.out(t('logged_deadlines', { assign: due('assign'), first_reply: due('first_reply'), resolve: due('resolve') }));
  // The office's own stages that started at receipt (an acknowledgement, a site visit) are owed too.
  const own = ticketStages(ticket).filter((stage) => !isBuiltinStage(stage)).flatMap((stage) => {
    const at = currentDeadline(ticket, stage)?.due ?? null;
    return at === null ? [] : [t('logged_stage_due', { stage: stageLabel(stage, stages), due: formatLocal(at, tz) })];
  });
  if (own.length > 0) ctx.io.out(t('logged_office_deadlines', { stages: joinItems(own) }));
}

/**
 * Says on stderr, before the receipt, which tickets from the same phone or email are still open.
 * Only once saved: a log refused or failing says its one line and nothing else.
 */
function sayOpenSameContact(ctx: Context, open: readonly OpenSameContact[], tz: string): void {
  if (open.length === 0) return;
  const by = open.every((o) => o.by === open[0]!.by) ? open[0]!.by : 'both';
  const tickets = joinItems(open.map((o) => t('open_same_contact_item', { no: o.no, received: formatLocal(o.receivedAt, tz) })));
  ctx.io.err(t('open_same_contact', { contact: t(`open_same_contact_${by}`), tickets }));
}
