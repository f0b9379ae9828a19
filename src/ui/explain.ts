import { pausesOf, type Policy } from '../domain/lifecycle.js';
import { currentDeadline, ticketStages, type Ticket } from '../domain/ticket.js';
import { stageLabel } from './labels.js';
import { formatLocal, type Instant } from '../domain/time.js';
import { traceDue } from '../domain/working-time.js';
import { lookup, t } from '../messages/index.js';
import { display } from './cells.js';
import { formatMinutes, joinItems } from './format.js';

/** `show --explain`: how each due time was reached, so a handler can check the tool's arithmetic. */
export function explainDeadlines(ticket: Ticket, policy: Policy): string {
  const tz = policy.calendar.timezone;
  const when = (at: Instant): string => formatLocal(at, tz);
  const lines: string[] = [];
  for (const stage of ticketStages(ticket)) {
    const dl = currentDeadline(ticket, stage);
    if (dl === null) continue;
    const name = stageLabel(stage, policy.stages);
    if (dl.agreed !== null) {
      lines.push(t('explain_agreed', { stage: name, due: when(dl.agreed) }));
      continue;
    }
    const trace = traceDue(policy.calendar, dl.clock, dl.start, dl.minutes, dl.pausable ? pausesOf(ticket) : []);
    if (trace.due === null) {
      lines.push(t('explain_paused', { stage: name, since: ticket.hold ? when(ticket.hold.since) : t('none') }));
    } else {
      const clockStart = trace.clockStart !== null && trace.clockStart !== dl.start ? t('explain_clock_start', { at: when(trace.clockStart) }) : '';
      lines.push(t('explain_line', {
        stage: name, start: when(dl.start), clockStart, allowance: formatMinutes(dl.minutes), clock: lookup(`clock_${dl.clock}`) ?? dl.clock, due: when(trace.due),
      }));
    }
    const skipped = Object.entries(trace.skipped).filter(([, m]) => m > 0).map(([why, m]) => `${lookup(`skipped_${why}`) ?? why} ${formatMinutes(m)}`);
    if (skipped.length) lines.push(t('explain_skipped', { parts: joinItems(skipped) }));
    if (dl.cap !== null && trace.due !== null && dl.cap < trace.due) lines.push(t('explain_capped', { stage: name, due: when(dl.cap) }));
    if (dl.doneAt !== null) lines.push(t('explain_done', { stage: name, at: when(dl.doneAt) }));
  }
  // The clock and hold come from the stored ticket: shown through display() like every stored value.
  return lines.map((line) => display(line)).join('\n');
}
