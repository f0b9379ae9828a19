import type { Context } from '../cli/context.js';
import { mayDecide } from '../domain/approval.js';
import { limitRole } from '../domain/people.js';
import { APPROVAL_STAGE } from '../domain/procedure.js';
import { isLate } from '../domain/sla.js';
import { currentDeadline, deadlineState } from '../domain/ticket.js';
import { formatIso, formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { loadPolicy } from '../store/procedure.js';
import { pendingApprovals } from '../store/queries.js';
import { display, jsonText } from '../ui/cells.js';
import { palette } from '../ui/colour.js';
import { formatMoney } from '../ui/format.js';
import { renderTable, type TableColumn } from '../ui/table.js';
import { fromCents } from '../ui/ticket-json.js';
import { stateColour } from '../ui/ticket-view.js';

// `approvals`: the closes awaiting the current person's decision (issue 13 §4): those whose rank and
// limit they cover; everything pending for a director, and in a single-person office.

export async function run(ctx: Context, options: { json?: boolean }): Promise<void> {
  const store = await ctx.store();
  const now = ctx.now();
  const { tickets, policy } = await store.read(async (db) => ({ tickets: await pendingApprovals(db), policy: await loadPolicy(db) }));
  const role = limitRole(ctx.identity());
  const limits = ctx.access().limits;
  const mine = tickets.filter((tk) => mayDecide(role, tk.approval!, limits));
  const tz = policy.calendar.timezone;
  const rows = mine.map((tk) => {
    const a = tk.approval!;
    const dl = currentDeadline(tk, APPROVAL_STAGE);
    return { tk, a, due: dl?.due ?? null, state: deadlineState(dl, now), late: dl !== null && dl.doneAt === null && dl.due !== null && isLate(dl.due, now) };
  });
  if (options.json) {
    ctx.io.out(jsonText(rows.map(({ tk, a, due, late }) => ({
      no: tk.no, unit: tk.unit, amount: fromCents(a.amountCents), needs: a.needs, reasons: a.reasons,
      requested_by: a.requestedBy, requested_at: formatIso(a.requestedAt, tz), due: due === null ? null : formatIso(due, tz), late,
    })), 2));
    return;
  }
  if (rows.length === 0) {
    ctx.io.out(t('approvals_none'));
    return;
  }
  const c = palette(ctx.io.color);
  const columns: TableColumn[] = [
    { head: t('label_no') }, { head: t('label_unit'), wrap: { min: 6 } }, { head: t('label_compensation') }, { head: t('approvals_col_needs') },
    { head: t('approvals_col_requested_by'), wrap: { min: 6 } }, { head: t('approvals_col_requested_at') }, { head: t('label_due') }, { head: t('label_state') },
  ];
  const body = rows.map(({ tk, a, due, state, late }) => [
    tk.no, display(tk.unit ?? t('none')), formatMoney(a.amountCents), t(`role_${a.needs}`), display(a.requestedBy),
    formatLocal(a.requestedAt, tz), due === null ? t('none') : formatLocal(due, tz),
    { text: t(late ? 'state_missed' : 'state_pending'), style: stateColour(c, late ? 'missed' : state === 'paused' ? 'paused' : 'pending') },
  ]);
  ctx.io.out(renderTable(columns, body, { width: ctx.io.width ?? 100 }));
}
