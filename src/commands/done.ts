import type { Context } from '../cli/context.js';
import { parseText, parseTicketNo, printable, stageCode } from '../cli/input.js';
import { InvalidTransition, UsageError } from '../domain/errors.js';
import { meetStage } from '../domain/lifecycle.js';
import { APPROVAL_STAGE, isBuiltinStage } from '../domain/procedure.js';
import { formatLocal } from '../domain/time.js';
import { t } from '../messages/index.js';
import { stageLabel } from '../ui/labels.js';
import { changeTicket, reportChange, type ChangeOptions } from './shared.js';

// `done`: an office stage met (a site visit made, a rectification notice returned). The built-in
// stages are met by their own commands (assign, reply, close, survey), which say so.

export interface DoneOptions extends ChangeOptions {
  note?: string;
}

export async function run(ctx: Context, ticketArg: string, stageText: string, options: DoneOptions): Promise<void> {
  parseTicketNo(ticketArg);
  const stage = stageCode(stageText);
  const note = parseText('--note', options.note, { kind: 'text' });
  const changed = await changeTicket(ctx, ticketArg, options, 'stage_done', { stage, note }, (ticket, at, policy) => {
    // An approval is decided, not done: by someone whose limit covers it (issue 13 §4).
    if (stage === APPROVAL_STAGE) throw new InvalidTransition('done_approval_stage', { no: ticket.no });
    // The office's stages are read in the transaction that meets one: a stage added meanwhile counts.
    if (!isBuiltinStage(stage) && !policy.stages.some((s) => s.code === stage)) {
      const own = policy.stages.filter((s) => !s.builtin && s.code !== APPROVAL_STAGE).map((s) => s.code);
      if (own.length === 0) throw new UsageError('done_no_office_stages', { value: printable(stageText) });
      throw new UsageError('bad_choice', { field: 'stage', value: printable(stageText), accepted: own.join(', ') });
    }
    return meetStage(ticket, stage, at, policy);
  });
  const tz = changed.policy.calendar.timezone;
  reportChange(ctx, changed, options.json, t('done_recorded', {
    no: changed.ticket.no, stage: stageLabel(stage, changed.policy.stages), at: formatLocal(changed.at, tz),
  }));
}
