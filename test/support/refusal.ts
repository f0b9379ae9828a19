import { expect } from 'vitest';
import { ComplaintsError, type InvalidTransition, type UsageError } from '../../src/domain/errors.js';
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

/** Expects `fn` to refuse with this error class and catalogue key; the error, for its parameters. */
export function refused(fn: () => unknown, kind: typeof InvalidTransition | typeof UsageError, key: string): ComplaintsError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${kind.name}(${key})`).toBeInstanceOf(kind);
  expect((caught as ComplaintsError).key).toBe(key);
  return caught as ComplaintsError;
}
