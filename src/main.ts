import { ComplaintsError } from './domain/errors.js';
import { languageFrom, lookup, parseLanguage, setLanguage, t } from './messages/index.js';
import { display } from './ui/cells.js';
import pkg from '../package.json' with { type: 'json' };

// Parse, run, and turn every failure into one line and an exit code (SPEC §6):
// 0 done, 1 could not be done, 2 bad usage or input, 3 `overdue --exit-code` found something.

async function main(argv: string[]): Promise<number> {
  // `complaints list | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const debug = argv.includes('--debug');
  const langFlag = argv.find((a, i) => argv[i - 1] === '--lang') ?? argv.find((a) => a.startsWith('--lang='))?.slice(7);
  const lang = languageFrom(langFlag, process.env);
  await setLanguage(lang.language ?? 'en', { settled: lang.language !== null && lang.said });
  if (lang.language !== null && !lang.said) await speakOfficeLanguageEarly(argv);
  if (lang.language === null) {
    process.stderr.write(`${t('error_prefix')}${display(t('bad_choice', { field: lang.source, value: lang.value, accepted: 'en, zh-CN' }))}\n`);
    return 2;
  }
  const { buildProgram } = await import('./cli/program.js');
  const { command: program, exitCode } = buildProgram(pkg.version);
  // Commander's own usage errors, from the program and every subcommand: commander says nothing
  // itself; failure() renders its error as our one line, in the language spoken, and picks the code.
  const oneLine = (cmd: typeof program): void => {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: () => {} });
    cmd.commands.forEach(oneLine);
  };
  oneLine(program);
  try {
    await program.parseAsync(argv);
    return exitCode();
  } catch (e) {
    return failure(e, debug);
  }
}

/**
 * Nothing chose a language (cron, `env -i`): the office's, from its file, before the options are
 * read, so that their refusals and the words typed in them are the office's language too.
 */
async function speakOfficeLanguageEarly(argv: readonly string[]): Promise<void> {
  const dbFlag = argv.find((a, i) => argv[i - 1] === '--db') ?? argv.find((a) => a.startsWith('--db='))?.slice(5);
  const { resolveDbPath } = await import('./cli/context.js');
  const { peekOfficeLanguage } = await import('./store/office-language.js');
  const stored = peekOfficeLanguage(resolveDbPath({ db: dbFlag }, process.env));
  const lang = stored === null ? null : parseLanguage(stored);
  // Read once: the store need not read it again when it opens the file.
  if (lang !== null) await setLanguage(lang, { settled: true });
}

export function failure(e: unknown, debug: boolean): number {
  // Commander's own errors (unknown option, missing argument) carry a 'commander.*' code; matching
  // the code rather than the class keeps commander out of `--version`'s start-up.
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    // It quotes what was typed: through display() like every error line.
    process.stderr.write(`${t('error_prefix')}${display(commanderLine(code, (e as Error).message))}\n`);
    return 2;
  }
  if (e instanceof ComplaintsError) {
    // Messages quote values typed or stored (a unit, a path, a bad --within): never an escape code.
    process.stderr.write(`${t('error_prefix')}${display(t(e.key, e.params))}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`${t('error_prefix')}${display(t('unexpected', { message: err.message.split('\n')[0] ?? '' }))}\n`);
  if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}

/**
 * Commander's error as one line of ours. Its text is English and its suggestion ("(Did you mean
 * assign?)") sits on a second line; the errors a clerk meets are said from the catalogue, keeping
 * the suggestion. Any other keeps commander's first line.
 */
function commanderLine(code: string, message: string): string {
  const first = message.split('\n')[0] ?? '';
  const quoted = /'(.*)'/.exec(first)?.[1] ?? '';
  const similar = /\(Did you mean (?:one of )?(.+)\?\)/.exec(message)?.[1];
  const suggestion = similar === undefined ? '' : t('did_you_mean', { suggestion: similar });
  switch (code) {
    case 'commander.unknownCommand':
      return t('unknown_command', { value: quoted }) + suggestion;
    case 'commander.unknownOption':
      return t('unknown_option', { value: quoted }) + suggestion;
    case 'commander.missingArgument':
      return t('missing_argument', { value: lookup(`arg_${quoted}`) ?? quoted });
    case 'commander.optionMissingArgument':
      return t('option_missing_argument', { value: quoted });
    case 'commander.excessArguments': {
      const m = /for '([^']*)'\. Expected (\d+) arguments? but got (\d+)/.exec(message);
      if (m) return t('too_many_arguments', { command: m[1]!, expected: m[2]!, got: m[3]! });
      break;
    }
  }
  return first.replace(/^error: /, '');
}

process.exitCode = await main(process.argv);
