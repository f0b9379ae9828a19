import { type ListName, type Lists, type StageRule } from '../domain/procedure.js';
import { language, lookup, t, type MessageKey } from '../messages/index.js';

// What the office reads for a code: its own label in the output's language, else the catalogue's
// label for a code the product knows (`list_channel_phone`, `stage_first_reply`), else the code.
// JSON and CSV carry codes; only what a person reads is labelled.

function labelLanguage(): 'en' | 'zh' {
  return language() === 'zh-CN' ? 'zh' : 'en';
}

export function listLabel(list: ListName, code: string, lists?: Lists): string {
  const own = lists?.[list].find((i) => i.code === code)?.labels[labelLanguage()];
  return own ?? lookup(`list_${list}_${code}`) ?? code;
}

/** A severity as the reader says it: 一般, 重要, 重大 in Chinese. */
export function severityLabel(severity: string): string {
  return lookup(`severity_${severity}`) ?? severity;
}

/** Why a ticket is on hold, as the reader says it (等待客户); the code for one the catalogue does not know. */
export function holdReasonLabel(reason: string): string {
  return lookup(`hold_reason_${reason}`) ?? reason;
}

/** A status as the reader says it. */
export function statusLabel(status: string): string {
  return lookup(`status_${status}`) ?? status;
}

export function stageLabel(code: string, stages?: readonly StageRule[]): string {
  const own = stages?.find((s) => s.code === code)?.labels[labelLanguage()];
  return own ?? lookup(`stage_${code}`) ?? code;
}

/** A list as a reader names it (`channels`, `compensation kinds`), in messages and page titles alike. */
export function listName(list: ListName): string {
  return t(LIST_NAME_KEYS[list]);
}

const LIST_NAME_KEYS: Readonly<Record<ListName, MessageKey>> = {
  channel: 'list_name_channel',
  category: 'list_name_category',
  reply_method: 'list_name_reply_method',
  ticket_type: 'list_name_ticket_type',
  fault: 'list_name_fault',
  compensation_kind: 'list_name_compensation_kind',
};

/** `site_visit (site visit)`, or just `ack` when the label is the code itself. */
export function codeAndLabel(code: string, label: string): string {
  return label === code ? code : t('code_and_label', { code, label });
}

/** A list's active codes as a prompt offers them: the label shown, the code answered. */
export function listChoices(list: ListName, lists: Lists): { value: string; name: string }[] {
  return lists[list].filter((i) => !i.retired).map((i) => ({ value: i.code, name: listLabel(list, i.code, lists) }));
}
