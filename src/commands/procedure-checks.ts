import { UsageError } from '../domain/errors.js';
import { procedureProblems, type Procedure } from '../domain/procedure.js';
import { t, type MessageKey } from '../messages/index.js';

/** Refuses a procedure with a problem, naming the first one in the office's words; nothing is written. */
export function refuseProblems(p: Pick<Procedure, 'lists' | 'stages'>): void {
  const first = procedureProblems(p)[0];
  if (first !== undefined) {
    throw new UsageError('procedure_refused', { path: first.path, problem: t(first.key as MessageKey, first.params) });
  }
}
