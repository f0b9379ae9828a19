import { UsageError } from '../domain/errors.js';
import { procedureProblems, type Procedure } from '../domain/procedure.js';
import { problemText } from '../ui/procedure-view.js';

/** Refuses a procedure with a problem, naming the first one in the office's words; nothing is written. */
export function refuseProblems(p: Pick<Procedure, 'lists' | 'stages'>): void {
  const first = procedureProblems(p)[0];
  if (first !== undefined) {
    // The path (`stages[5].sla.general`) is the document's; a command's problem names its stage, list or value itself.
    throw new UsageError('procedure_refused', { problem: problemText(first) });
  }
}
