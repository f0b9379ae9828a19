import type { Context } from '../cli/context.js';
import { printable, requireText } from '../cli/input.js';
import { UsageError } from '../domain/errors.js';
import { parseLanguage, t, type Language } from '../messages/index.js';
import { recordSettingChange } from '../store/recompute.js';
import { loadCalendar, OFFICE_LANGUAGE, OFFICE_NAME, readSetting, writeSetting } from '../store/settings.js';
import { display } from '../ui/cells.js';
import { printJson } from '../ui/ticket-json.js';
import { languageName } from './init.js';

// `complaints office show|set` (issue 12): what `init` set of the office besides its calendar —
// its name and the language it speaks when the one running a command did not choose one.

export async function show(ctx: Context, options: { json?: boolean }): Promise<void> {
  const office = await (await ctx.store()).read(async (db) => ({
    name: (await readSetting<string>(db, OFFICE_NAME)) ?? null,
    language: (await readSetting<string>(db, OFFICE_LANGUAGE)) ?? null,
    timezone: (await loadCalendar(db)).timezone,
  }));
  if (options.json) {
    printJson(ctx.io.out, { name: office.name, language: office.language, timezone: office.timezone });
    return;
  }
  const lang = office.language === null ? null : parseLanguage(office.language);
  ctx.io.out([
    t('detail_line', { key: t('label_file'), value: display(ctx.dbPath, 'line') }),
    t('detail_line', { key: t('label_office_name'), value: office.name === null ? t('not_set') : display(office.name, 'line') }),
    t('detail_line', { key: t('label_language'), value: lang === null ? t('not_set') : languageName(lang) }),
    t('detail_line', { key: t('label_timezone'), value: display(office.timezone, 'line') }),
  ].join('\n'));
}

export async function set(ctx: Context, setting: string, value: string): Promise<void> {
  const which = setting.trim().toLowerCase();
  let key: string;
  let after: string;
  let shown: string;
  if (which === 'name') {
    key = OFFICE_NAME;
    after = requireText('name', value, 'name');
    shown = display(after, 'line');
  } else if (which === 'language') {
    const lang: Language | null = parseLanguage(value.trim());
    if (lang === null) throw new UsageError('bad_choice', { field: 'language', value: printable(value), accepted: 'en, zh-CN' });
    key = OFFICE_LANGUAGE;
    after = lang;
    shown = languageName(lang);
  } else {
    throw new UsageError('bad_choice', { field: 'setting', value: printable(setting), accepted: 'name, language' });
  }
  const store = await ctx.store();
  const now = ctx.now();
  await store.transact(async (db) => {
    const before = (await readSetting<string>(db, key)) ?? null;
    await writeSetting(db, key, after);
    await recordSettingChange(db, { actor: ctx.actor, at: now, setting: key, before, after });
  });
  ctx.io.out(t('office_set_done', { setting: t(which === 'name' ? 'label_office_name' : 'label_language'), value: shown }));
}
