import { Command, Help, Option, type HelpConfiguration } from 'commander';
import { lookup, t, type MessageKey } from '../messages/index.js';
import { DEFAULT_COMMAND_RULES } from '../domain/people.js';
import { displayWidth } from '../ui/format.js';
import { explainStoreError, type Access } from '../store/store.js';
import { defaultDbPath, processContext, type Context, type GlobalOptions } from './context.js';

// The whole command-line surface in one place. Each action imports its command module only when
// invoked, so starting the program loads one command's code (changesets/vitest style).

/** A command's run function; a number it returns is the exit code (`overdue --exit-code` → 3). */
type Action = (ctx: Context, ...args: never[]) => void | number | Promise<void | number>;

export interface Program {
  command: Command;
  /** The exit code the action asked for, after parsing: 0 unless it returned one. */
  exitCode(): number;
}

/**
 * Whether the invocation only reads the file (the permission table's `reads`): such a command also
 * works on a file this user cannot write (opened read-only where SQLite allows it); every other
 * command may save, and asks for write access before it does anything.
 */
export function accessOf(cmd: Command): Access {
  return DEFAULT_COMMAND_RULES[permissionKey(cmd)]?.reads ? 'read' : 'write';
}

/**
 * The command as the permission table (domain/people.ts) names it: `calendar hours`, and the two
 * invocations with a rule of their own, `overdue --new` (it writes) and `show --reveal`.
 */
export function permissionKey(cmd: Command): string {
  const name = cmd.parent?.parent ? `${cmd.parent.name()} ${cmd.name()}` : cmd.name();
  if (name === 'overdue' && cmd.opts().new) return 'overdue --new';
  if (name === 'show' && cmd.opts().reveal) return 'show --reveal';
  return name;
}

export function buildProgram(version: string, makeContext: (globals: GlobalOptions, access: Access, command: string) => Context = processContext): Program {
  let exitCode = 0;
  // The help settings are set before any subcommand is made: each copies them when made.
  const program = new Command('complaints')
    .description(t('help_program'))
    .version(version, '-V, --version', t('help_option_version'))
    .helpOption('-h, --help', t('help_option_help'))
    .helpCommand('help [command]', t('help_option_help'))
    .showSuggestionAfterError(true)
    .configureHelp(helpInLanguage());
  // Only on the program: commander reads its options after a subcommand too, and each command's
  // help lists them once, under their own heading.
  addGlobals(program);

  const command = (name: string, help: Parameters<typeof t>[0]): Command => program.command(name).description(t(help));
  /** Runs a lazily loaded action with the Context built from global and local options. */
  const run = (load: () => Promise<Action>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args.at(-1) as Command;
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const action = await load();
      const positional = args.slice(0, -2);
      const ctx = makeContext(globals, accessOf(cmd), permissionKey(cmd));
      try {
        const code = await action(ctx, ...(positional as never[]), cmd.opts() as never);
        if (typeof code === 'number') exitCode = code;
      } catch (e) {
        // An engine error raised outside the store's read/transact still gets one line (disk full, I/O error).
        throw explainStoreError(e, ctx.dbPath);
      }
    };
  const at = (cmd: Command): Command => cmd.option('--at <time>', t('help_at')).option('--json', t('help_json'));

  // issue 12: the one command that makes a file, and the office's own settings
  command('init', 'help_init')
    .option('--timezone <zone>', t('opt_init_timezone'))
    .option('--days <days>', t('opt_init_days'))
    .option('--hours <windows>', t('opt_init_hours'))
    .option('--holidays <cn|none>', t('opt_init_holidays'))
    .option('--name <name>', t('opt_init_name'))
    .option('--at <time>', t('opt_init_at'))
    .option('--yes', t('opt_init_yes'))
    .addHelpText('after', t('example_init'))
    .action(run(async () => (await import('../commands/init.js')).run as Action));
  const office = command('office', 'help_office');
  office.command('show').description(t('help_office_show')).option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/office.js')).show as Action));
  office.command('set').description(t('help_office_set')).argument('<setting>', t('opt_office_setting')).argument('<value>', t('opt_office_value'))
    .action(run(async () => (await import('../commands/office.js')).set as Action));

  at(
    command('log', 'help_log')
      .option('--name <name>', t('opt_log_name'))
      .option('--anonymous', t('opt_log_anonymous'))
      .option('--phone <phone>', t('opt_log_phone'))
      .option('--email <email>', t('opt_log_email'))
      .option('--address <address>', t('opt_log_address'))
      .option('--org <organisation>', t('opt_log_org'))
      .option('--channel <channel>', t('opt_log_channel'))
      .option('--category <category>', t('opt_log_category'))
      .option('--type <type>', t('opt_log_type'))
      .option('--subject <text>', t('opt_log_subject'))
      .option('--description <text>', t('opt_log_description'))
      .option('--demand <text>', t('opt_log_demand'))
      .option('--amount <amount>', t('opt_log_amount'))
      .option('--product <text>', t('opt_log_product'))
      .option('--batch <text>', t('opt_log_batch'))
      .option('--received-at <time>', t('opt_log_received_at'))
      .option('--due <time>', t('opt_log_due'))
      .option('--unit <unit>', t('opt_log_unit'))
      .option('--to <person>', t('opt_log_to'))
      .option('--severity <severity>', t('opt_log_severity'))
      .option('--urgent', t('opt_log_urgent'))
      .option('--safety', t('opt_log_safety'))
      .option('--external', t('opt_log_external'))
      .option('--group', t('opt_log_group'))
      .option('--yes', t('help_yes')),
  )
    .addHelpText('after', t('example_log'))
    .action(run(async () => (await import('../commands/log.js')).run as Action));

  at(command('assign', 'help_assign').argument('<ticket>', t('help_ticket')).option('--unit <unit>', t('opt_assign_unit')).option('--to <person>', t('opt_assign_to')))
    .addHelpText('after', t('example_assign'))
    .action(run(async () => (await import('../commands/assign.js')).run as Action));

  at(command('reply', 'help_reply').argument('<ticket>', t('help_ticket'))
    .option('--via <channel>', t('opt_reply_via'))
    .option('--message <text>', t('opt_reply_message')))
    .addHelpText('after', t('example_reply'))
    .action(run(async () => (await import('../commands/reply.js')).run as Action));

  at(command('note', 'help_note').argument('<ticket>', t('help_ticket')).option('--message <text>', t('opt_note_message')))
    .action(run(async () => (await import('../commands/note.js')).run as Action));

  at(command('extend', 'help_extend').argument('<ticket>', t('help_ticket'))
    .option('--to <time>', t('opt_extend_to'))
    .option('--reason <text>', t('opt_extend_reason')))
    .action(run(async () => (await import('../commands/extend.js')).run as Action));

  at(command('close', 'help_close').argument('<ticket>', t('help_ticket'))
    .option('--resolution <text>', t('opt_close_resolution'))
    .option('--fault <fault>', t('opt_close_fault'))
    .option('--root-cause <text>', t('opt_close_root_cause'))
    .option('--action <text>', t('opt_close_action'))
    .option('--compensation <amount>', t('opt_close_compensation'))
    .option('--compensation-kind <kind>', t('opt_close_compensation_kind')))
    .action(run(async () => (await import('../commands/close.js')).run as Action));

  // issue 13 §4: a close awaiting approval, decided
  at(command('approve', 'help_approve').argument('<ticket>', t('help_ticket')).option('--note <text>', t('opt_approve_note')))
    .action(run(async () => (await import('../commands/approve.js')).approve as Action));
  at(command('reject', 'help_reject').argument('<ticket>', t('help_ticket')).option('--reason <text>', t('opt_reject_reason')))
    .action(run(async () => (await import('../commands/approve.js')).reject as Action));
  command('approvals', 'help_approvals').option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/approvals.js')).run as Action));

  at(command('survey', 'help_survey').argument('<ticket>', t('help_ticket'))
    .option('--score <1-5>', t('opt_survey_score'))
    .option('--comment <text>', t('opt_survey_comment'))
    .option('--unreachable', t('opt_survey_unreachable')))
    .action(run(async () => (await import('../commands/survey.js')).run as Action));

  at(command('reopen', 'help_reopen').argument('<ticket>', t('help_ticket')).option('--reason <text>', t('opt_reopen_reason')))
    .action(run(async () => (await import('../commands/reopen.js')).run as Action));

  at(command('hold', 'help_hold').argument('<ticket>', t('help_ticket'))
    .option('--reason <reason>', t('opt_hold_reason'))
    .option('--note <text>', t('opt_hold_note')))
    .action(run(async () => (await import('../commands/hold.js')).hold as Action));

  at(command('resume', 'help_resume').argument('<ticket>', t('help_ticket')))
    .action(run(async () => (await import('../commands/hold.js')).resume as Action));

  command('show', 'help_show').argument('<ticket>', t('help_ticket'))
    .option('--json', t('help_json'))
    .option('--as-of <time>', t('opt_show_as_of'))
    .option('--explain', t('opt_show_explain'))
    .option('--reveal', t('opt_show_reveal'))
    .action(run(async () => (await import('../commands/show.js')).run as Action));

  command('list', 'help_list')
    .option('--status <list>', t('opt_list_status'))
    .option('--unit <list>', t('opt_list_unit'))
    .option('--severity <list>', t('opt_list_severity'))
    .option('--category <list>', t('opt_list_category'))
    .option('--channel <list>', t('opt_list_channel'))
    .option('--type <list>', t('opt_list_type'))
    .option('--assignee <list>', t('opt_list_assignee'))
    .option('--on-hold', t('opt_list_on_hold'))
    .option('--from <time>', t('opt_list_from'))
    .option('--to <time>', t('opt_list_to'))
    .option('--search <text>', t('opt_list_search'))
    .option('--phone <phone>', t('opt_list_phone'))
    .option('--limit <n>', t('opt_list_limit'))
    .option('--as-of <time>', t('opt_list_as_of'))
    .option('--json', t('help_json'))
    .addHelpText('after', t('example_list'))
    .action(run(async () => (await import('../commands/list.js')).run as Action));

  command('overdue', 'help_overdue')
    .option('--as-of <time>', t('opt_overdue_as_of'))
    .option('--unit <list>', t('opt_overdue_unit'))
    .option('--within <duration>', t('opt_overdue_within'))
    .option('--new', t('opt_overdue_new'))
    .option('--exit-code', t('opt_overdue_exit_code'))
    .option('--json', t('help_json'))
    .addHelpText('after', t('example_overdue'))
    .action(run(async () => (await import('../commands/overdue.js')).run as Action));

  const calendar = command('calendar', 'help_calendar');
  const sub = (parent: Command, name: string, description: string): Command => parent.command(name).description(description);
  sub(calendar, 'show', t('help_calendar_show'))
    .option('--year <yyyy>', t('opt_calendar_show_year'))
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/calendar.js')).show as Action));
  sub(calendar, 'hours', t('help_calendar_hours'))
    .argument('<set>', t('opt_calendar_hours_set'))
    .argument('<days>', t('opt_calendar_hours_days'))
    .argument('<windows>', t('opt_calendar_hours_windows'))
    .action(run(async () => (await import('../commands/calendar.js')).hours as Action));
  for (const kind of ['holiday', 'workday'] as const) {
    sub(calendar, kind, t(kind === 'holiday' ? 'help_calendar_holiday' : 'help_calendar_workday'))
      .argument('<add|remove>', t('opt_calendar_dates_add_remove'))
      .argument('<dates...>', t('opt_calendar_dates_dates'))
      .action(run(async () => (await import('../commands/calendar.js'))[kind] as Action));
  }
  sub(calendar, 'preset', t('help_calendar_preset'))
    .argument('<country>', t('opt_calendar_preset_country'))
    .argument('<year>', t('opt_calendar_preset_year'))
    .action(run(async () => (await import('../commands/calendar.js')).preset as Action));
  sub(calendar, 'import', t('help_calendar_import'))
    .argument('<file>', t('opt_calendar_import_file'))
    .option('--workdays <file>', t('opt_calendar_import_workdays'))
    .addHelpText('after', t('example_calendar_import'))
    .action(run(async () => (await import('../commands/calendar.js')).importIcs as Action));
  sub(calendar, 'timezone', t('help_calendar_timezone'))
    .argument('<set>', t('opt_calendar_timezone_set'))
    .argument('<zone>', t('opt_calendar_timezone_zone'))
    .action(run(async () => (await import('../commands/calendar.js')).timezone as Action));

  const sla = command('sla', 'help_sla');
  sub(sla, 'show', t('help_sla_show'))
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/sla.js')).show as Action));
  sub(sla, 'set', t('help_sla_set'))
    .argument('<stage>', t('opt_sla_set_stage'))
    .argument('<severity>', t('opt_sla_set_severity'))
    .argument('<duration>', t('opt_sla_set_duration'))
    .action(run(async () => (await import('../commands/sla.js')).set as Action));

  // issue 11: the procedure commands
  const lists = command('lists', 'help_lists');
  const labelled = (cmd: Command): Command => cmd.option('--label-en <text>', t('opt_lists_label_en')).option('--label-zh <text>', t('opt_lists_label_zh'));
  sub(lists, 'show', t('help_lists_show'))
    .argument('[list]', t('opt_lists_list'))
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/lists.js')).show as Action));
  labelled(sub(lists, 'add', t('help_lists_add')).argument('<list>', t('opt_lists_list')).argument('<code>', t('opt_lists_code')))
    .addHelpText('after', t('example_lists'))
    .action(run(async () => (await import('../commands/lists.js')).add as Action));
  labelled(sub(lists, 'rename', t('help_lists_rename')).argument('<list>', t('opt_lists_list')).argument('<code>', t('opt_lists_code')))
    .action(run(async () => (await import('../commands/lists.js')).rename as Action));
  sub(lists, 'retire', t('help_lists_retire')).argument('<list>', t('opt_lists_list')).argument('<code>', t('opt_lists_code'))
    .action(run(async () => (await import('../commands/lists.js')).retire as Action));

  const stages = command('stages', 'help_stages');
  const stageOptions = (cmd: Command): Command => labelled(cmd
    .argument('<code>', t('opt_stages_code'))
    .option('--start <start>', t('opt_stages_start'))
    .option('--sla <durations>', t('opt_stages_sla'))
    .option('--clock <clock>', t('opt_stages_clock'))
    .option('--pausable', t('opt_stages_pausable'))
    .option('--only-severity <list>', t('opt_stages_only_severity'))
    .option('--only-type <list>', t('opt_stages_only_type')));
  sub(stages, 'show', t('help_stages_show'))
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/stages.js')).show as Action));
  stageOptions(sub(stages, 'add', t('help_stages_add')))
    .addHelpText('after', t('example_stages_add'))
    .action(run(async () => (await import('../commands/stages.js')).add as Action));
  stageOptions(sub(stages, 'set', t('help_stages_set')))
    .option('--no-pausable', t('opt_stages_no_pausable'))
    .addHelpText('after', t('example_stages_set'))
    .action(run(async () => (await import('../commands/stages.js')).set as Action));
  sub(stages, 'retire', t('help_stages_retire')).argument('<code>', t('opt_stages_code'))
    .action(run(async () => (await import('../commands/stages.js')).retire as Action));

  at(command('done', 'help_done').argument('<ticket>', t('help_ticket')).argument('<stage>', t('opt_done_stage'))
    .option('--note <text>', t('opt_done_note')))
    .addHelpText('after', t('example_done'))
    .action(run(async () => (await import('../commands/done.js')).run as Action));

  const procedure = command('procedure', 'help_procedure');
  sub(procedure, 'show', t('help_procedure_show'))
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/procedure.js')).show as Action));
  sub(procedure, 'export', t('help_procedure_export'))
    .argument('<file>', t('opt_procedure_file'))
    .option('--force', t('opt_procedure_force'))
    .action(run(async () => (await import('../commands/procedure.js')).exportFile as Action));
  sub(procedure, 'import', t('help_procedure_import'))
    .argument('<file>', t('opt_procedure_file'))
    .addHelpText('after', t('example_procedure_import'))
    .action(run(async () => (await import('../commands/procedure.js')).importFile as Action));

  // issue 13: the office's units
  const units = command('units', 'help_units');
  sub(units, 'list', t('help_units_list')).option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/units.js')).list as Action));
  sub(units, 'add', t('help_units_add')).argument('<name>', t('opt_units_name'))
    .option('--leader <login>', t('opt_units_leader'))
    .option('--parent <unit>', t('opt_units_parent'))
    .addHelpText('after', t('example_units'))
    .action(run(async () => (await import('../commands/units.js')).add as Action));
  sub(units, 'rename', t('help_units_rename')).argument('<old>', t('opt_units_old')).argument('<new>', t('opt_units_new'))
    .action(run(async () => (await import('../commands/units.js')).rename as Action));
  sub(units, 'retire', t('help_units_retire')).argument('<name>', t('opt_units_name'))
    .action(run(async () => (await import('../commands/units.js')).retire as Action));
  sub(units, 'import-existing', t('help_units_import_existing'))
    .action(run(async () => (await import('../commands/units.js')).importExisting as Action));

  command('report', 'help_report')
    .argument('[kind]', t('opt_report_kind'))
    .argument('[period]', t('opt_report_period'))
    .option('--month [yyyy-mm]', t('opt_report_month'))
    .option('--week [yyyy-Www]', t('opt_report_week'))
    .option('--quarter [yyyy-Qn]', t('opt_report_quarter'))
    .option('--year [yyyy]', t('opt_report_year'))
    .option('--from <date>', t('opt_report_from'))
    .option('--to <date>', t('opt_report_to'))
    .option('--as-of <time>', t('opt_report_as_of'))
    .option('--unit <unit>', t('opt_report_unit'))
    .option('--by <breakdown>', t('opt_report_by'))
    .option('--format <format>', t('opt_report_format'))
    .option('--output <file>', t('opt_report_output'))
    .option('--force', t('opt_report_force'))
    .option('--json', t('opt_report_json'))
    .addHelpText('after', t('example_report'))
    .action(run(async () => (await import('../commands/report.js')).run as Action));

  command('demo', 'help_demo')
    .option('--tickets <n>', t('opt_demo_tickets'))
    .option('--months <m>', t('opt_demo_months'))
    .option('--seed <s>', t('opt_demo_seed'))
    .option('--as-of <time>', t('opt_demo_as_of'))
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/demo.js')).run as Action));

  command('verify', 'help_verify')
    .option('--json', t('help_json'))
    .option('--against <anchor>', t('opt_verify_against'), (value: string, previous: string[] = []) => [...previous, value])
    .action(run(async () => (await import('../commands/verify.js')).run as Action));

  command('backup', 'help_backup')
    .argument('<file>', t('opt_backup_file'))
    .option('--force', t('opt_backup_force'))
    .action(run(async () => (await import('../commands/backup.js')).run as Action));

  command('upgrade', 'help_upgrade')
    .action(run(async () => (await import('../commands/upgrade.js')).run as Action));

  command('restore', 'help_restore')
    .argument('<copy>', t('opt_restore_copy'))
    .option('--anchor <file>', t('opt_restore_anchor'), (value: string, previous: string[] = []) => [...previous, value])
    .option('--at <time>', t('opt_restore_at'))
    .action(run(async () => (await import('../commands/restore.js')).run as Action));

  // issue 13: people and permissions
  const people = command('people', 'help_people');
  const personOptions = (cmd: Command): Command => cmd
    .option('--name <name>', t('opt_people_name'))
    .option('--role <role>', t('opt_people_role'))
    .option('--unit <unit>', t('opt_people_unit'))
    .option('--email <email>', t('opt_people_email'))
    .option('--phone <phone>', t('opt_people_phone'));
  personOptions(sub(people, 'add', t('help_people_add')).argument('<login>', t('opt_people_login')))
    .action(run(async () => (await import('../commands/people.js')).add as Action));
  sub(people, 'list', t('help_people_list')).option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/people.js')).list as Action));
  personOptions(sub(people, 'set', t('help_people_set')).argument('<login>', t('opt_people_login')))
    .option('--active', t('opt_people_active'))
    .action(run(async () => (await import('../commands/people.js')).set as Action));
  sub(people, 'retire', t('help_people_retire')).argument('<login>', t('opt_people_login'))
    .action(run(async () => (await import('../commands/people.js')).retire as Action));
  const permissions = command('permissions', 'help_permissions');
  sub(permissions, 'show', t('help_permissions_show')).option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/permissions.js')).show as Action));
  sub(permissions, 'set', t('help_permissions_set')).argument('<command>', t('opt_permissions_command')).argument('<rank>', t('opt_permissions_rank'))
    .action(run(async () => (await import('../commands/permissions.js')).set as Action));
  sub(permissions, 'limit', t('help_permissions_limit')).argument('<rank>', t('opt_permissions_rank')).argument('<amount>', t('opt_permissions_amount'))
    .action(run(async () => (await import('../commands/permissions.js')).limit as Action));
  sub(permissions, 'fault-confirm', t('help_permissions_fault_confirm')).argument('<rank>', t('opt_permissions_fault_rank'))
    .action(run(async () => (await import('../commands/permissions.js')).faultConfirm as Action));

  return { command: program, exitCode: () => exitCode };
}

/**
 * Commander's help in the language spoken: its headings and usage words from the catalogue, CJK
 * measured by display width, and a line of Chinese (which has no spaces) wrapped between characters.
 */
function helpInLanguage(): HelpConfiguration {
  const headings: Record<string, MessageKey> = {
    'Usage:': 'help_heading_usage',
    'Options:': 'help_heading_options',
    'Global Options:': 'help_heading_global_options',
    'Arguments:': 'help_heading_arguments',
    'Commands:': 'help_heading_commands',
  };
  return {
    sortSubcommands: false,
    showGlobalOptions: true,
    styleTitle: (title) => (headings[title] === undefined ? title : t(headings[title])),
    styleUsage: usageWords,
    subcommandTerm: (cmd) => usageWords(Help.prototype.subcommandTerm.call(undefined, cmd)),
    argumentTerm: (argument) => argumentName(argument.name()),
    displayWidth: (text) => displayWidth(text),
    // Commander's own below 40 columns: it leaves the text as it is there.
    boxWrap: (text, width) => (width < 40 ? text : text.split('\n').map((line) => wrapLine(line, width)).join('\n')),
  };
}

/** `[options]` and `[command]` in the usage lines, said in the language spoken. */
function usageWords(usage: string): string {
  return usage.split(' ').map((word) => {
    if (word === '[options]') return t('help_usage_options');
    if (word === '[command]') return t('help_usage_command');
    // An argument's name (<ticket>, [period], <dates...>), said as the reader says it; literal words (set, add|remove) stay.
    return word.replace(/^([<[])(\w+)(\.\.\.)?([>\]])$/, (_, open: string, name: string, more: string | undefined, close: string) => `${open}${argumentName(name)}${more ?? ''}${close}`);
  }).join(' ');
}

/** What an argument holds, in the language spoken: <受理单号> for <ticket>. */
function argumentName(name: string): string {
  return lookup(`arg_${name}`) ?? name;
}

/** One line wrapped at `width` columns: between words, and between CJK characters (not before their punctuation). */
function wrapLine(line: string, width: number): string {
  const chunks = line.match(/\s*(?:[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+)[\u3001\u3002\uff01\uff09\uff0c\uff1a\uff1b\uff1f\u201d]*/g);
  if (chunks === null) return '';
  const lines: string[] = [];
  let current = chunks.shift()!;
  for (const chunk of chunks) {
    if (displayWidth(current + chunk) <= width) {
      current += chunk;
    } else {
      lines.push(current);
      current = chunk.trimStart();
    }
  }
  lines.push(current);
  return lines.join('\n');
}

function addGlobals(cmd: Command): void {
  cmd
    .addOption(new Option('--db <path>', t('help_db', { default: defaultDbPath(process.env) })))
    .addOption(new Option('--as <name>', t('help_as')))
    .addOption(new Option('--lang <lang>', t('help_lang')))
    .addOption(new Option('--debug', t('help_debug')));
}
