import { ComplaintsError } from '../../src/domain/errors.js';
import { t } from '../../src/messages/index.js';

/** The one line a clerk would read for a refused input, and its exit code; fails when nothing was refused. */
export function refusal(run: () => unknown): { line: string; exitCode: number } {
  try {
    run();
  } catch (e) {
    if (e instanceof ComplaintsError) return { line: t(e.key, e.params), exitCode: e.exitCode };
    throw e;
  }
  throw new Error('expected a refusal');
}
