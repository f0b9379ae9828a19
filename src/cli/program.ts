import { Command, Option } from 'commander';
import { t } from '../messages/index.js';
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

export function buildProgram(version: string, makeContext: (globals: GlobalOptions) => Context = processContext): Program {
  let exitCode = 0;
  const program = new Command('complaints')
    .description(t('help_program'))
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });
  addGlobals(program);

  const command = (name: string, help: Parameters<typeof t>[0]): Command => {
    const cmd = program.command(name).description(t(help));
    addGlobals(cmd);
    return cmd;
  };
  /** Runs a lazily loaded action with the Context built from global and local options. */
  const run = (load: () => Promise<Action>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args.at(-1) as Command;
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const action = await load();
      const positional = args.slice(0, -2);
      const code = await action(makeContext(globals), ...(positional as never[]), cmd.opts() as never);
      if (typeof code === 'number') exitCode = code;
    };
  const at = (cmd: Command): Command => cmd.option('--at <time>', t('help_at')).option('--json', t('help_json'));

  at(
    command('log', 'help_log')
      .option('--name <name>', "complainant's name")
      .option('--anonymous', 'the complainant stays anonymous')
      .option('--phone <phone>', 'phone number')
      .option('--email <email>', 'email address')
      .option('--address <address>', 'postal address')
      .option('--org <organisation>', "complainant's organisation")
      .option('--channel <channel>', 'phone, email, web, letter, visit, social, forum, internal, other')
      .option('--category <category>', 'product, service, price, delivery, staff, billing, other')
      .option('--subject <text>', 'one-line subject')
      .option('--description <text>', 'what happened')
      .option('--demand <text>', 'what the complainant asks for (诉求)')
      .option('--amount <amount>', 'amount claimed')
      .option('--product <text>', 'product or model')
      .option('--batch <text>', 'batch or serial number')
      .option('--received-at <time>', 'when it was received, if earlier than now (a letter read today)')
      .option('--due <time>', "the complainant's own deadline (a bare date: end of that working day)")
      .option('--unit <unit>', 'responsible unit (assigns at once)')
      .option('--to <person>', 'handler within the unit')
      .option('--severity <severity>', 'general, important, major (default: suggested from the facts)')
      .option('--urgent', 'urgent: deadlines run round the clock')
      .option('--safety', 'a safety risk (suggests major)')
      .option('--external', 'a regulator, the media or a consumer association is involved (suggests major)')
      .option('--group', 'a group complaint (suggests major)')
      .option('--yes', t('help_yes')),
  )
    .addHelpText('after', `\nExample:\n  complaints log --name "王芳" --phone 13800000000 --channel phone --category delivery \\\n    --subject "Parcel two weeks late" --demand "refund the shipping" --yes`)
    .action(run(async () => (await import('../commands/log.js')).run as Action));

  at(command('assign', 'help_assign').argument('<ticket>', t('help_ticket')).option('--unit <unit>', 'responsible unit').option('--to <person>', 'handler'))
    .addHelpText('after', '\nExample:\n  complaints assign C2026-00042 --unit Logistics --to "Li Lei"')
    .action(run(async () => (await import('../commands/assign.js')).run as Action));

  at(command('reply', 'help_reply').argument('<ticket>', t('help_ticket'))
    .option('--via <channel>', 'phone, visit, letter, email, sms, social')
    .option('--message <text>', 'what the complainant was told'))
    .addHelpText('after', '\nExample:\n  complaints reply C2026-00042 --via phone --message "Courier found the parcel; delivery tomorrow"')
    .action(run(async () => (await import('../commands/reply.js')).run as Action));

  at(command('note', 'help_note').argument('<ticket>', t('help_ticket')).option('--message <text>', 'the note'))
    .action(run(async () => (await import('../commands/note.js')).run as Action));

  at(command('extend', 'help_extend').argument('<ticket>', t('help_ticket'))
    .option('--to <time>', 'the agreed deadline (a bare date: end of that working day)')
    .option('--reason <text>', 'why, as agreed with the complainant'))
    .action(run(async () => (await import('../commands/extend.js')).run as Action));

  at(command('close', 'help_close').argument('<ticket>', t('help_ticket'))
    .option('--resolution <text>', 'how it was resolved')
    .option('--fault <fault>', 'company, customer, third-party, undetermined')
    .option('--root-cause <text>', 'root cause')
    .option('--action <text>', 'corrective action taken')
    .option('--compensation <amount>', 'compensation given')
    .option('--compensation-kind <kind>', 'cash, goods, service, apology'))
    .action(run(async () => (await import('../commands/close.js')).run as Action));

  at(command('survey', 'help_survey').argument('<ticket>', t('help_ticket'))
    .option('--score <1-5>', 'satisfaction, 1 to 5 (4 or more is satisfied)')
    .option('--comment <text>', "the complainant's words")
    .option('--unreachable', 'the callback attempt failed'))
    .action(run(async () => (await import('../commands/survey.js')).run as Action));

  at(command('reopen', 'help_reopen').argument('<ticket>', t('help_ticket')).option('--reason <text>', 'the second complaint'))
    .action(run(async () => (await import('../commands/reopen.js')).run as Action));

  at(command('hold', 'help_hold').argument('<ticket>', t('help_ticket'))
    .option('--reason <reason>', 'waiting-customer, waiting-third-party, other')
    .option('--note <text>', 'what is awaited'))
    .action(run(async () => (await import('../commands/hold.js')).hold as Action));

  at(command('resume', 'help_resume').argument('<ticket>', t('help_ticket')))
    .action(run(async () => (await import('../commands/hold.js')).resume as Action));

  command('show', 'help_show').argument('<ticket>', t('help_ticket'))
    .option('--json', t('help_json'))
    .option('--as-of <time>', 'judge deadlines as at this time (default now)')
    .option('--explain', 'trace how each due time was computed (nights, weekends, holidays, holds skipped)')
    .action(run(async () => (await import('../commands/show.js')).run as Action));

  command('list', 'help_list')
    .option('--status <list>', 'new, assigned, in_progress, closed (comma-separated)')
    .option('--unit <list>', 'units (comma-separated)')
    .option('--severity <list>', 'general, important, major')
    .option('--category <list>', 'categories')
    .option('--channel <list>', 'channels')
    .option('--assignee <list>', 'handlers')
    .option('--on-hold', 'only tickets on hold')
    .option('--from <time>', 'received at or after (a bare date: local midnight)')
    .option('--to <time>', 'received before')
    .option('--search <text>', 'free text in subject, description, demand or name (Chinese too)')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--as-of <time>', 'judge deadlines as at this time')
    .option('--json', t('help_json'))
    .addHelpText('after', '\nExamples:\n  complaints list --status new,assigned --unit Logistics\n  complaints list --search 退款 --from 2026-11-01')
    .action(run(async () => (await import('../commands/list.js')).run as Action));

  command('overdue', 'help_overdue')
    .option('--as-of <time>', 'judge lateness as at this time (default now)')
    .option('--unit <list>', 'only these units (comma-separated)')
    .option('--within <duration>', 'also list stages coming due within this (e.g. 4wh, 2h, 1wd)')
    .option('--new', 'only stages that became overdue since the last --new run (for cron)')
    .option('--exit-code', 'exit 3 when anything is overdue')
    .option('--json', t('help_json'))
    .addHelpText('after', '\nFor cron (see README): complaints overdue --new --exit-code')
    .action(run(async () => (await import('../commands/overdue.js')).run as Action));

  const calendar = command('calendar', 'help_calendar');
  const sub = (parent: Command, name: string, description: string): Command => {
    const cmd = parent.command(name).description(description);
    addGlobals(cmd);
    return cmd;
  };
  sub(calendar, 'show', 'weekly hours, holidays, extra working days and timezone')
    .option('--year <yyyy>', 'only this year\'s dates')
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/calendar.js')).show as Action));
  sub(calendar, 'hours', 'set the weekly working hours')
    .argument('<set>', 'the word "set"')
    .argument('<days>', 'mon-fri, sat, mon,wed ...')
    .argument('<windows>', '09:00-12:00,13:00-18:00 (or "closed")')
    .action(run(async () => (await import('../commands/calendar.js')).hours as Action));
  for (const kind of ['holiday', 'workday'] as const) {
    sub(calendar, kind, kind === 'holiday' ? 'add or remove closed dates' : 'add or remove worked weekend dates (make-up days)')
      .argument('<add|remove>', 'add or remove')
      .argument('<dates...>', 'YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD')
      .action(run(async () => (await import('../commands/calendar.js'))[kind] as Action));
  }
  sub(calendar, 'preset', "load a year's official public holidays and make-up working days")
    .argument('<country>', 'cn')
    .argument('<year>', 'YYYY')
    .action(run(async () => (await import('../commands/calendar.js')).preset as Action));
  sub(calendar, 'import', 'load all-day events of an .ics calendar as holidays')
    .argument('<file>', 'an .ics file')
    .action(run(async () => (await import('../commands/calendar.js')).importIcs as Action));
  sub(calendar, 'timezone', 'set the office timezone')
    .argument('<set>', 'the word "set"')
    .argument('<zone>', 'an IANA name such as Asia/Shanghai')
    .action(run(async () => (await import('../commands/calendar.js')).timezone as Action));

  const sla = command('sla', 'help_sla');
  sub(sla, 'show', 'the deadline table in force')
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/sla.js')).show as Action));
  sub(sla, 'set', 'change one deadline (applies to stages not yet done)')
    .argument('<stage>', 'assign, first_reply, update, resolve, callback')
    .argument('<severity>', 'general, important, major, urgent')
    .argument('<duration>', '30m, 2h, 1d (round the clock) or 4wh, 5wd (working time)')
    .action(run(async () => (await import('../commands/sla.js')).set as Action));

  command('report', 'help_report')
    .option('--month [yyyy-mm]', 'a calendar month (bare: the previous month)')
    .option('--week [yyyy-Www]', 'an ISO week (bare: the previous week)')
    .option('--quarter [yyyy-Qn]', 'a quarter (bare: the previous quarter)')
    .option('--year [yyyy]', 'a year (bare: the previous year)')
    .option('--from <date>', 'period start (with --to)')
    .option('--to <date>', 'period end, exclusive')
    .option('--as-of <time>', 'compute as at this time (default now)')
    .option('--unit <unit>', 'only this unit')
    .option('--format <format>', 'table, json, csv, md, html (default table)')
    .option('--output <file>', 'write to this file instead of standard output')
    .option('--json', 'same as --format json')
    .addHelpText('after', '\nExamples:\n  complaints report --month\n  complaints report --month 2026-10 --format html --output bulletin-2026-10.html')
    .action(run(async () => (await import('../commands/report.js')).run as Action));

  command('demo', 'help_demo')
    .option('--tickets <n>', 'how many tickets (default 2000)')
    .option('--months <m>', 'spread over this many months before --as-of (default 13)')
    .option('--seed <s>', 'random seed, for the same data every time (default 1)')
    .option('--as-of <time>', 'the demo\'s "now" (default now)')
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/demo.js')).run as Action));

  command('verify', 'help_verify')
    .option('--json', t('help_json'))
    .action(run(async () => (await import('../commands/verify.js')).run as Action));

  command('backup', 'help_backup')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite an existing file')
    .action(run(async () => (await import('../commands/backup.js')).run as Action));

  return { command: program, exitCode: () => exitCode };
}

function addGlobals(cmd: Command): void {
  cmd
    .addOption(new Option('--db <path>', t('help_db', { default: defaultDbPath(process.env) })))
    .addOption(new Option('--as <name>', t('help_as')))
    .addOption(new Option('--lang <lang>', t('help_lang')))
    .addOption(new Option('--debug', t('help_debug')));
}
