import type { Context } from '../cli/context.js';
import { parseWordedChoice, requireText, type TEXT_LIMITS } from '../cli/input.js';
import { CannotDo, ComplaintsError, UsageError } from '../domain/errors.js';
import { lookup, t, type MessageKey } from '../messages/index.js';
import { display } from '../ui/cells.js';

// SPEC §6: with a person at the terminal a command asks for what is missing; without one nothing is
// asked and a missing value is exit 2 naming the flag.

/**
 * Turns a parser into an as-you-type validator: the parser's own one-line message, or true. The
 * parsers are the flags' own (src/cli/input.ts), so a prompt accepts exactly what the flag would.
 */
export function validator(parse: (value: string) => unknown): (value: string) => string | true {
  return (value) => {
    try {
      parse(value);
      return true;
    } catch (e) {
      if (e instanceof ComplaintsError) return display(t(e.key, e.params));
      throw e;
    }
  };
}

/** Ctrl-C at a prompt cancels the command: nothing is saved, exit 1. */
export async function cancellable<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (e) {
    // Loaded here, not at the top: a command that asks nothing never loads the prompts (ui/prompts.ts).
    const { isPromptCancelled } = await import('../ui/prompts.js');
    throw isPromptCancelled(e) ? new CannotDo('cancelled', {}) : e;
  }
}

export async function textOrAsk(
  ctx: Context, field: string, value: string | undefined, kind: keyof typeof TEXT_LIMITS, prompt: MessageKey,
): Promise<string> {
  if (value !== undefined || !ctx.io.canPrompt) return requireText(field, value, kind);
  const p = await ctx.prompter();
  return requireText(field, await cancellable(p.input(t(prompt), { validate: validator((v) => requireText(field, v, kind)) })), kind);
}

/** A choice typed as its code or its word (`word` names each code's catalogue entry), or picked from the words. */
export async function choiceOrAsk<T extends string>(
  ctx: Context, field: string, value: string | undefined, accepted: readonly T[], prompt: MessageKey, word: (code: T) => string,
): Promise<T> {
  if (value !== undefined) return parseWordedChoice(field, value, accepted, word);
  if (!ctx.io.canPrompt) throw new UsageError('missing_field', { field });
  const p = await ctx.prompter();
  return cancellable(p.select(t(prompt), accepted.map((a) => ({ value: a, name: lookup(word(a)) ?? a }))));
}

/** A value parsed by `parse`, asked for as free text when missing and a person is there. */
export async function parsedOrAsk<T>(
  ctx: Context, field: string, value: string | undefined, parse: (v: string) => T, prompt: MessageKey,
): Promise<T> {
  if (value !== undefined) return parse(value);
  if (!ctx.io.canPrompt) throw new UsageError('missing_field', { field });
  const p = await ctx.prompter();
  return parse(await cancellable(p.input(t(prompt), { validate: validator(parse) })));
}
