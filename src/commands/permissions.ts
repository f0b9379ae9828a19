import type { Context } from '../cli/context.js';
import { nearest, parseAmount, parseWordedChoice, printable } from '../cli/input.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import { commandRule, DEFAULT_COMMAND_RULES, REQUIREMENTS, ROLES, rankOf, type ApprovalLimits, type Rank, type Requirement } from '../domain/people.js';
import { t } from '../messages/index.js';
import { APPROVAL_LIMITS_SETTING, FAULT_CONFIRM_SETTING, loadAccess, PERMISSIONS_SETTING } from '../store/access.js';
import { recordSettingChange } from '../store/recompute.js';
import { readSetting, writeSetting } from '../store/settings.js';
import type { Db } from '../store/store.js';
import { joinItems, formatMoney } from '../ui/format.js';
import { renderTable, type TableColumn } from '../ui/table.js';
import { fromCents, printJson } from '../ui/ticket-json.js';

// `complaints permissions show|set|limit|fault-confirm` (issue 13 §3, §4): the one permission table
// as the office has it, its approval limits (seed 004 §3.9) and who re-confirms a "customer at
// fault" close (seed 001). Each change is a setting, audited as settings_changed.

/**
 * Rows that stay the director's: whoever may run them can give themselves any role (people, the
 * table itself) or put back any file (restore), so a lower rank there makes every such rank a director.
 */
const DIRECTOR_ONLY = new Set(['people add', 'people set', 'people retire', 'permissions set', 'permissions limit', 'permissions fault-confirm', 'restore']);

const requirementWord = (r: Requirement): string => t(`role_${r}`);

function limitText(cents: number | null): string {
  if (cents === null) return t('permissions_limit_any');
  if (cents <= 0) return t('permissions_limit_none');
  return t('permissions_limit_below', { amount: formatMoney(cents) });
}

export async function show(ctx: Context, options: { json?: boolean }): Promise<void> {
  const access = await (await ctx.store()).read(loadAccess);
  const rows = Object.entries(DEFAULT_COMMAND_RULES).map(([command, rule]) => {
    const inForce = commandRule(command, access.overrides);
    return { command, min: inForce.min, default: rule.min, system: rule.system === true, unit_scoped: rule.unitScoped === true, changed: inForce.min !== rule.min };
  });
  if (options.json) {
    printJson(ctx.io.out, {
      commands: rows,
      approval_limits: Object.fromEntries(ROLES.map((r) => [r, fromCents(access.limits[r])])),
      fault_confirm: access.faultConfirm,
    });
    return;
  }
  const yesNo = (b: boolean): string => (b ? t('answer_yes') : t('answer_no'));
  const columns: TableColumn[] = [
    { head: t('label_command') }, { head: t('label_min_role') }, { head: t('label_system') }, { head: t('label_unit_scoped') }, { head: t('label_changed') },
  ];
  const table = renderTable(columns, rows.map((r) => [
    r.command, requirementWord(r.min), yesNo(r.system), yesNo(r.unit_scoped), r.changed ? t('permissions_default_was', { role: requirementWord(r.default) }) : '',
  ]), { width: ctx.io.width ?? 100 });
  const limits = renderTable([{ head: t('label_role') }, { head: t('label_limit') }], ROLES.map((r) => [requirementWord(r), limitText(access.limits[r])]), { width: ctx.io.width ?? 100 });
  ctx.io.out([
    table, '', t('permissions_limits_heading'), limits, '',
    t('permissions_fault_line', { value: access.faultConfirm === null ? t('permissions_off') : requirementWord(access.faultConfirm) }),
  ].join('\n'));
}

/** The command as the table names it: `sla set`, `overdue --new`; spaces and case as typed do not count. */
export function parseCommandKey(value: string): string {
  const typed = value.trim().replace(/\s+/g, ' ').toLowerCase();
  const keys = Object.keys(DEFAULT_COMMAND_RULES);
  if (keys.includes(typed)) return typed;
  const near = nearest(value, keys);
  if (near.length > 0) throw new UsageError('permissions_unknown_command_near', { value: printable(value), suggestion: joinItems(near) });
  throw new UsageError('permissions_unknown_command', { value: printable(value) });
}

/** Writes one setting and its settings_changed event in one transaction. */
async function change<T>(ctx: Context, key: string, update: (db: Db, before: T | undefined) => Promise<T | null>): Promise<void> {
  const store = await ctx.store();
  const now = ctx.now();
  await store.transact(async (db) => {
    const before = await readSetting<T>(db, key);
    const after = await update(db, before);
    await writeSetting(db, key, after);
    await recordSettingChange(db, { actor: ctx.actor, at: now, setting: key, before: before ?? null, after });
  });
}

export async function set(ctx: Context, commandText: string, rankText: string): Promise<void> {
  const command = parseCommandKey(commandText);
  const min = parseWordedChoice('rank', rankText, REQUIREMENTS, (r) => `role_${r}`);
  const rule = DEFAULT_COMMAND_RULES[command]!;
  if (DIRECTOR_ONLY.has(command) && min !== 'director') throw new CannotDo('permissions_stays_director', { command });
  await change<Record<string, Requirement>>(ctx, PERMISSIONS_SETTING, async (_db, before) => {
    // Only the office's differences are kept: setting a row back to its default removes it.
    const after = { ...(before ?? {}) };
    if (min === rule.min) delete after[command];
    else after[command] = min;
    return after;
  });
  ctx.io.out(t('permissions_set_done', { command, role: requirementWord(min), default: requirementWord(rule.min) }));
}

export async function limit(ctx: Context, rankText: string, amountText: string): Promise<void> {
  const rank = parseWordedChoice('rank', rankText, ROLES, (r) => `role_${r}`);
  const cents = /^\s*(any|不限)\s*$/i.test(amountText) ? null : parseAmount('amount', amountText);
  await change<Record<string, number | null>>(ctx, APPROVAL_LIMITS_SETTING, async (db) => {
    const { limits } = await loadAccess(db);
    const after: Record<Rank, number | null> = { ...limits, [rank]: cents };
    refuseInvertedLimits(after, rank);
    return after;
  });
  ctx.io.out(t('permissions_limit_done', { role: requirementWord(rank), limit: limitText(cents) }));
}

/** A higher rank approves whatever a lower one may (seed 004 §3.9: the limits rise with the rank). */
function refuseInvertedLimits(limits: ApprovalLimits, changed: Rank): void {
  const size = (c: number | null): number => (c === null ? Infinity : c);
  for (const other of ROLES) {
    const [low, high] = rankOf(other) < rankOf(changed) ? [other, changed] : [changed, other];
    if (low === high || size(limits[low]) <= size(limits[high])) continue;
    throw new CannotDo('permissions_limit_order', { role: requirementWord(low), higher: requirementWord(high), limit: limitText(limits[high]) });
  }
}

export async function faultConfirm(ctx: Context, rankText: string): Promise<void> {
  const choices = [...ROLES.filter((r) => r !== 'clerk'), 'off'] as const;
  const chosen = parseWordedChoice('rank', rankText, choices, (c) => (c === 'off' ? 'permissions_off' : `role_${c}`));
  const rank = chosen === 'off' ? null : chosen;
  await change<string | null>(ctx, FAULT_CONFIRM_SETTING, async () => rank);
  ctx.io.out(t('permissions_fault_done', { value: rank === null ? t('permissions_off') : requirementWord(rank) }));
}
