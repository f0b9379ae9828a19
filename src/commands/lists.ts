import type { Context } from '../cli/context.js';
import { parseText, printable } from '../cli/input.js';
import { CannotDo, UsageError } from '../domain/errors.js';
import {
  isCode, LABEL_MAX_LENGTH, LIST_NAMES, activeCodes, listItemEntry, withListItem, type Labels, type ListItem, type ListName, type Procedure,
} from '../domain/procedure.js';
import { t } from '../messages/index.js';
import { loadLists, loadProcedure, saveProcedure } from '../store/procedure.js';
import { display } from '../ui/cells.js';
import { codeAndLabel, listLabel, listName } from '../ui/labels.js';
import { builtInEnglish, listsDocument, renderLists } from '../ui/procedure-view.js';
import { printJson } from '../ui/ticket-json.js';
import { refuseProblems } from './procedure-checks.js';

// `lists`: the office's own lists of channels, categories, reply methods, ticket types, faults and
// compensation kinds (issue 11 §1). A code is never deleted: retiring it keeps every ticket that
// used it readable, and `add` brings it back.

export interface LabelOptions {
  labelEn?: string;
  labelZh?: string;
}

/** `channel`, `reply-method`, `reply_method`; `type` for ticket types, as clerks say it. */
export function parseListName(value: string): ListName {
  const name = value.trim().toLowerCase().replace(/-/g, '_');
  const found = name === 'type' ? 'ticket_type' : LIST_NAMES.find((n) => n === name);
  if (found === undefined) throw new UsageError('bad_choice', { field: 'LIST', value: printable(value), accepted: LIST_NAMES.join(', ') });
  return found;
}

/** `typed`: what the clerk typed, echoed when refused (a stage's code is read with - as _ first). */
export function parseCode(field: string, value: string, typed = value): string {
  const code = value.trim().toLowerCase();
  if (!isCode(code)) throw new UsageError('procedure_bad_code_input', { field, value: printable(typed) });
  return code;
}

/** One label as a name is typed (one line, printable), at most LABEL_MAX_LENGTH; null when not given. */
export function parseLabel(field: string, value: string | undefined): string | null {
  const label = parseText(field, value, { kind: 'name' });
  if (label !== null && [...label].length > LABEL_MAX_LENGTH) {
    throw new UsageError('text_too_long', { field, max: LABEL_MAX_LENGTH, length: [...label].length });
  }
  return label;
}

/** The labels given on the command line over the ones there were. */
export function givenLabels(options: LabelOptions, before: Labels): Labels {
  return {
    en: options.labelEn === undefined ? before.en : parseLabel('--label-en', options.labelEn),
    zh: options.labelZh === undefined ? before.zh : parseLabel('--label-zh', options.labelZh),
  };
}

export async function show(ctx: Context, listText: string | undefined, options: { json?: boolean }): Promise<void> {
  const only = listText === undefined ? undefined : parseListName(listText);
  const lists = await (await ctx.store()).read(loadLists);
  if (options.json) printJson(ctx.io.out, listsDocument(lists, only));
  else ctx.io.out(renderLists(lists, only, ctx.io.width));
}

/**
 * Reads the procedure, makes the change and saves it checked, all in one transaction: two clerks
 * changing lists at once both see their change kept.
 */
async function changeList(
  ctx: Context,
  list: ListName,
  change: (before: Procedure) => { item: ListItem; was: ListItem | null; words: string },
): Promise<{ item: ListItem; was: ListItem | null; lists: Procedure['lists'] }> {
  const store = await ctx.store();
  const now = ctx.now();
  return store.transact(async (db) => {
    const before = await loadProcedure(db);
    const { item, was, words } = change(before);
    const after = withListItem(before, list, item);
    refuseProblems(after);
    await saveProcedure(db, before, after, { actor: ctx.actor, at: now, change: words, before: was === null ? null : listItemEntry(was), after: listItemEntry(item) });
    return { item, was, lists: after.lists };
  });
}

function findItem(p: Procedure, list: ListName, code: string, codeText: string): ListItem {
  const item = p.lists[list].find((i) => i.code === code);
  if (item === undefined) throw new UsageError('bad_choice', { field: 'CODE', value: printable(codeText), accepted: p.lists[list].map((i) => i.code).join(', ') });
  return item;
}

export async function add(ctx: Context, listText: string, codeText: string, options: LabelOptions): Promise<void> {
  const list = parseListName(listText);
  const code = parseCode('CODE', codeText);
  const labelsGiven = givenLabels(options, { en: null, zh: null });
  const { was, lists } = await changeList(ctx, list, (before) => {
    const was = before.lists[list].find((i) => i.code === code) ?? null;
    if (was !== null && !was.retired) throw new CannotDo('lists_code_exists', { list, code, name: listName(list) });
    const labels = was === null ? labelsGiven : givenLabels(options, was.labels);
    return { item: { code, labels, retired: false }, was, words: `lists add ${list} ${code}` };
  });
  const item = display(codeAndLabel(code, listLabel(list, code, lists)));
  ctx.io.out(t(was === null ? 'lists_added' : 'lists_brought_back', { item, name: listName(list) }));
}

export async function rename(ctx: Context, listText: string, codeText: string, options: LabelOptions): Promise<void> {
  const list = parseListName(listText);
  const code = parseCode('CODE', codeText);
  if (options.labelEn === undefined && options.labelZh === undefined) throw new UsageError('lists_rename_needs_label');
  const { item } = await changeList(ctx, list, (before) => {
    const was = findItem(before, list, code, codeText);
    return { item: { ...was, labels: givenLabels(options, was.labels) }, was, words: `lists rename ${list} ${code}` };
  });
  ctx.io.out(t('lists_renamed', { name: listName(list), code, en: englishLabelText(list, item), zh: chineseLabelText(item) }));
}

/** `“WeChat” in English`; without a label of its own, the one it reads as and why. */
function englishLabelText(list: ListName, item: ListItem): string {
  if (item.labels.en !== null) return t('lists_label_en', { label: display(item.labels.en) });
  const builtIn = builtInEnglish(`list_${list}_${item.code}`);
  return builtIn === null ? t('lists_label_en_code', { label: display(item.code) }) : t('lists_label_en_builtin', { label: builtIn });
}

function chineseLabelText(item: ListItem): string {
  return item.labels.zh === null ? t('lists_no_label_zh') : t('lists_label_zh', { label: display(item.labels.zh) });
}

export async function retire(ctx: Context, listText: string, codeText: string): Promise<void> {
  const list = parseListName(listText);
  const code = parseCode('CODE', codeText);
  const { lists } = await changeList(ctx, list, (before) => {
    const was = findItem(before, list, code, codeText);
    if (was.retired) throw new CannotDo('lists_already_retired', { code, name: listName(list) });
    return { item: { ...was, retired: true }, was, words: `lists retire ${list} ${code}` };
  });
  ctx.io.out(t('lists_retired', { name: listName(list), code, left: activeCodes(lists[list]).join(', ') }));
}
