import type { Context } from '../cli/context.js';
import { parseScore, parseText, parseTicketNo } from '../cli/input.js';
import { parsedOrAsk } from './ask.js';
import { UsageError } from '../domain/errors.js';
import { recordFailedCallback, surveyTicket } from '../domain/lifecycle.js';
import { currentDeadline } from '../domain/ticket.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

export interface SurveyOptions extends ChangeOptions {
  score?: string;
  comment?: string;
  unreachable?: boolean;
}

export async function run(ctx: Context, ticketArg: string, options: SurveyOptions): Promise<void> {
  parseTicketNo(ticketArg);
  if (options.unreachable) {
    if (options.score !== undefined) throw new UsageError('conflicting_flags', { a: '--unreachable', b: '--score' });
    const comment = parseText('--comment', options.comment, { kind: 'text' });
    const changed = await changeTicket(ctx, ticketArg, options, 'callback_failed', { comment }, (ticket, at) => recordFailedCallback(ticket, at));
    const due = currentDeadline(changed.ticket, 'callback')?.due ?? null;
    reportChange(ctx, changed, options.json, t('callback_failed', {
      no: changed.ticket.no, n: changed.ticket.callbackAttempts, due: due === null ? t('none') : formatLocal(due, changed.policy.calendar.timezone),
    }));
    return;
  }
  const score = await parsedOrAsk(ctx, '--score (or --unreachable)', options.score, parseScore, 'prompt_score');
  const comment = parseText('--comment', options.comment, { kind: 'text' });
  const changed = await changeTicket(ctx, ticketArg, options, 'surveyed', { score, comment }, (ticket, at, policy) => surveyTicket(ticket, { score, comment }, at, policy));
  reportChange(ctx, changed, options.json, t('surveyed', { no: changed.ticket.no, score, verdict: t(score >= 4 ? 'satisfied' : 'not_satisfied') }));
}
