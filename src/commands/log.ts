import type { Context } from '../cli/context.js';
import {
  optionalListCode, optionalSeverity, parseAmount, parseDeadline, parseEmail, parsePastTime, parsePhone, parseText,
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
import { officeUnits, requireKnownHandler, requireKnownUnit } from '../cli/units.js';

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
  // Once the office registers units, a new ticket goes only to a registered one, as registered.
  if (fixed.unit !== null) fixed.unit = requireKnownUnit('--unit', fixed.unit, await officeUnits(ctx), true);
  // And to a registered person who can act on it, once the office registers its people.
  if (fixed.assignee !== null) fixed.assignee = await requireKnownHandler(ctx, fixed.assignee, fixed.unit);
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

  let toldBeforeSaving: string | null = null;
  if (interactive) {
    const prompter = await ctx.prompter();
    await cancellable(askForMissing(prompter, draft, fixed, lists));
    requireComplete(draft, lists);
    // The clerk hears of the caller's open ticket while the caller is still on the line, before the
    // read-back (issue 12 §5); after the save it is said again only if a correction changed it.
    const early = await store.read((db) => openTicketsOfContact(db, { phone: draft.phone, email: draft.email }));
    sayOpenSameContact(ctx, early, cal.timezone);
    toldBeforeSaving = early.map((o) => o.no).join();
    if (!options.yes) {
      const severityGiven = given.severity !== null;
      await cancellable(readBackUntilSaved(ctx, prompter, draft, fixed, formatLocal(receivedAt, cal.timezone), lists, severityGiven));
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

  if (sameContact.map((o) => o.no).join() !== toldBeforeSaving) sayOpenSameContact(ctx, sameContact, cal.timezone);
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

/** The facts a clerk may correct at the read-back that are not in the draft: the flags that weigh on the severity, and urgency. */
interface Flags {
  unit: string | null;
  assignee: string | null;
  urgent: boolean;
  safety: boolean;
  external: boolean;
  group: boolean;
}

const longText = (field: string) => (v: string) => parseText(field, v, { kind: 'text' });
const required = (field: string, kind: 'name' | 'line') => (v: string) => parseText(field, v, { kind, required: true });
const blankOr = <T>(parse: (v: string) => T) => (v: string): T | null => (v.trim() === '' ? null : parse(v));

/** Asks one text field, validating as the clerk types with the flag's own parser; `current` starts the line (a correction). */
async function askText<T>(p: Prompter, message: string, parse: (v: string) => T, current?: string): Promise<T> {
  return parse(await p.input(message, { validate: validator(parse), ...(current ? { prefill: current } : {}) }));
}

async function askContact(p: Prompter, draft: Draft): Promise<void> {
  draft.phone = await askText(p, t('prompt_phone'), blankOr(parsePhone));
  if (draft.phone === null) draft.email = await askText(p, t('prompt_email'), parseEmail);
}

/** The severity, offering the one the facts suggest (seed 004 §3.1) as the first pass does; `current` is where the list starts. */
async function askSeverity(p: Prompter, draft: Draft, flags: Flags, current?: Severity): Promise<Severity> {
  const suggestion = suggestSeverity({ amountCents: draft.amountCents, ...flags });
  const reasons = suggestion.reasons.length ? t('severity_reasons', { reasons: joinItems(suggestion.reasons.map((r) => t(`reason_${r}`))) }) : '';
  return p.select(
    t('prompt_severity'),
    SEVERITIES.map((s) => ({ value: s, name: s === suggestion.severity ? t('prompt_severity_suggested', { severity: severityLabel(s), reasons }) : severityLabel(s) })),
    current ?? suggestion.severity,
  );
}

/** With a person at the terminal, ask only for what the flags did not give, validating as they type. */
async function askForMissing(p: Prompter, draft: Draft, flags: Flags, lists: Lists): Promise<void> {
  if (!draft.anonymous && draft.name === null) draft.name = await askText(p, t('prompt_name'), required('--name', 'name'));
  if (!draft.anonymous && draft.phone === null && draft.email === null) await askContact(p, draft);
  if (draft.channel === null) draft.channel = await p.select(t('prompt_channel'), listChoices('channel', lists));
  if (draft.category === null) draft.category = await p.select(t('prompt_category'), listChoices('category', lists));
  if (draft.subject === null) draft.subject = await askText(p, t('prompt_subject'), required('--subject', 'line'));
  if (draft.description === null) draft.description = await askText(p, t('prompt_description'), longText('--description'));
  if (draft.demand === null) draft.demand = await askText(p, t('prompt_demand'), longText('--demand'));
  if (draft.amountCents === null) draft.amountCents = await askText(p, t('prompt_amount'), blankOr((v) => parseAmount('--amount', v)));
  if (draft.severity === null) draft.severity = await askSeverity(p, draft, flags);
}

/**
 * seed 003 §5.2.3 复述给客户确认: the clerk reads the ticket back while the complainant is still on
 * the line, and may correct any field and read it back again. Only Cancel, confirmed, or Ctrl-C
 * throws the complaint away. Kept apart from run() so that what is said before the read-back can grow.
 */
async function readBackUntilSaved(
  ctx: Context, p: Prompter, draft: Draft, flags: Flags, received: string, lists: Lists, severityGiven: boolean,
): Promise<void> {
  for (;;) {
    ctx.io.err(readBack(draft, flags, received, lists));
    const next = await p.select(t('prompt_confirm'), [
      { value: 'save', name: t('readback_save') },
      { value: 'correct', name: t('readback_correct') },
      { value: 'cancel', name: t('readback_cancel') },
    ], 'save');
    if (next === 'save') return;
    if (next === 'cancel') {
      if (await p.confirm(t('readback_discard'), false)) throw new CannotDo('cancelled', {});
      continue;
    }
    await correctField(p, draft, flags, lists, severityGiven);
  }
}

/** A value as the field list shows it: one line, not too long to pick from. */
function shown(value: string | null): string {
  if (value === null || value === '') return t('none');
  const line = value.replace(/\s+/g, ' ');
  return [...line].length > 40 ? `${[...line].slice(0, 39).join('')}…` : line;
}

/** The clerk picks a field (labels in the language spoken, with what it holds) and gives it again. */
async function correctField(p: Prompter, draft: Draft, flags: Flags, lists: Lists, severityGiven: boolean): Promise<void> {
  const yesNo = (v: boolean): string => t(v ? 'answer_yes' : 'answer_no');
  const amountText = draft.amountCents === null ? '' : formatMoney(draft.amountCents);
  /** A change to what the suggestion rests on asks the severity again, unless --severity chose it. */
  const resuggest = async (): Promise<void> => {
    if (!severityGiven) draft.severity = await askSeverity(p, draft, flags);
  };
  const fields: { label: string; value: string | null; correct: () => Promise<void> }[] = [
    ...(draft.anonymous ? [] : [{ label: t('label_complainant'), value: draft.name, correct: async () => {
      draft.name = await askText(p, t('prompt_name'), required('--name', 'name'), draft.name ?? undefined);
    } }]),
    { label: t('label_phone'), value: draft.phone, correct: async () => {
      draft.phone = await askText(p, t('prompt_phone'), blankOr(parsePhone), draft.phone ?? undefined);
      if (!draft.anonymous && draft.phone === null && draft.email === null) draft.email = await askText(p, t('prompt_email'), parseEmail);
    } },
    { label: t('label_email'), value: draft.email, correct: async () => {
      draft.email = await askText(p, t('prompt_email'), blankOr(parseEmail), draft.email ?? undefined);
      if (!draft.anonymous && draft.phone === null && draft.email === null) await askContact(p, draft);
    } },
    { label: t('label_type'), value: listLabel('ticket_type', draft.type, lists), correct: async () => {
      draft.type = await p.select(t('label_type'), listChoices('ticket_type', lists), draft.type);
    } },
    { label: t('label_channel'), value: draft.channel && listLabel('channel', draft.channel, lists), correct: async () => {
      draft.channel = await p.select(t('prompt_channel'), listChoices('channel', lists), draft.channel ?? undefined);
    } },
    { label: t('label_category'), value: draft.category && listLabel('category', draft.category, lists), correct: async () => {
      draft.category = await p.select(t('prompt_category'), listChoices('category', lists), draft.category ?? undefined);
    } },
    { label: t('label_subject'), value: draft.subject, correct: async () => {
      draft.subject = await askText(p, t('prompt_subject'), required('--subject', 'line'), draft.subject ?? undefined);
    } },
    { label: t('label_description'), value: draft.description, correct: async () => {
      draft.description = await askText(p, t('prompt_description'), longText('--description'), draft.description ?? undefined);
    } },
    { label: t('label_demand'), value: draft.demand, correct: async () => {
      draft.demand = await askText(p, t('prompt_demand'), longText('--demand'), draft.demand ?? undefined);
    } },
    { label: t('label_amount'), value: amountText, correct: async () => {
      draft.amountCents = await askText(p, t('prompt_amount'), blankOr((v) => parseAmount('--amount', v)), amountText);
      await resuggest();
    } },
    { label: t('label_severity'), value: draft.severity && severityLabel(draft.severity), correct: async () => {
      draft.severity = await askSeverity(p, draft, flags, draft.severity ?? undefined);
    } },
    { label: t('label_urgent'), value: yesNo(flags.urgent), correct: async () => {
      flags.urgent = await p.confirm(t('label_urgent'), flags.urgent);
    } },
    ...(['safety', 'external', 'group'] as const).map((fact) => ({
      label: t(`readback_fact_${fact}`), value: yesNo(flags[fact]), correct: async () => {
        flags[fact] = await p.confirm(t(`readback_fact_${fact}`), flags[fact]);
        await resuggest();
      },
    })),
  ];
  const picked = await p.select(t('readback_pick_field'), [
    ...fields.map((f, i) => ({ value: String(i), name: t('detail_line', { key: f.label, value: shown(f.value) }) })),
    { value: 'back', name: t('readback_back') },
  ]);
  if (picked !== 'back') await fields[Number(picked)]!.correct();
}

/** seed 003 §5.2.3 复述给客户确认: the clerk reads the ticket back before saving it. */
function readBack(draft: Draft, fixed: Flags, received: string, lists: Lists): string {
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
    [t('label_severity'), `${draft.severity === null ? '' : severityLabel(draft.severity)}${fixed.urgent ? `${t('item_separator')}${t('label_urgent')}` : ''}`],
    ...(['safety', 'external', 'group'] as const).filter((fact) => fixed[fact]).map((fact): [string, string] => [t(`readback_fact_${fact}`), t('answer_yes')]),
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
