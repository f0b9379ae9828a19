import type { MessageKey } from '../messages/en.js';

export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * A failure the user should read as one line. Carries a catalogue key rather than English text
 * so that zh-CN needs no code changes; main.ts renders it and picks the exit code.
 */
export abstract class ComplaintsError extends Error {
  abstract readonly exitCode: 1 | 2;
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(key);
  }
}

/** Bad usage or input: unknown flag, bad value, missing field without a TTY to ask. Exit 2. */
export class UsageError extends ComplaintsError {
  readonly exitCode = 2;
}

/** No such ticket. Exit 1. */
export class NotFound extends ComplaintsError {
  readonly exitCode = 1;
}

/** The ticket is not in a state that allows this (survey an open ticket, close a closed one). Exit 1. */
export class InvalidTransition extends ComplaintsError {
  readonly exitCode = 1;
}

/** The request cannot be done for a reason outside the input: database busy, newer schema. Exit 1. */
export class CannotDo extends ComplaintsError {
  readonly exitCode = 1;
}
