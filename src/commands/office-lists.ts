import { existsSync } from 'node:fs';
import type { Context } from '../cli/context.js';
import { parseListCode } from '../cli/input.js';
import { UsageError } from '../domain/errors.js';
import { activeCodes, DEFAULT_LISTS, type ListName, type Lists } from '../domain/procedure.js';
import { t, type MessageKey } from '../messages/index.js';
import { loadLists } from '../store/procedure.js';
import { listChoices } from '../ui/labels.js';
import { cancellable } from './ask.js';

// The office's lists where a command takes a code (issue 11): read once, before anything is asked
// or written, so a flag and a prompt accept the same codes.

/**
 * The office's lists. A file not made yet is an office with the lists every office starts with:
 * reading them must not make it, since a command refused for its input leaves no file behind.
 */
export async function officeLists(ctx: Context): Promise<Lists> {
  if (!existsSync(ctx.dbPath)) return DEFAULT_LISTS;
  return (await ctx.store()).read(loadLists);
}

/** `--channel (phone, email, …) is required`: a missing code names the ones a new ticket may take. */
export function missingCode(field: string, list: ListName, lists: Lists): UsageError {
  return new UsageError('missing_field', { field: `${field} (${activeCodes(lists[list]).join(', ')})` });
}

/** An active code of the list from its flag, else asked for with a person at the terminal. */
export async function listCodeOrAsk(
  ctx: Context, field: string, value: string | undefined, list: ListName, lists: Lists, prompt: MessageKey,
): Promise<string> {
  if (value !== undefined) return parseListCode(field, value, lists[list], { inUse: true }, list);
  if (!ctx.io.canPrompt) throw missingCode(field, list, lists);
  const p = await ctx.prompter();
  return cancellable(p.select(t(prompt), listChoices(list, lists)));
}
