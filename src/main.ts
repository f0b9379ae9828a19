import { ComplaintsError } from './domain/errors.js';
import { languageFrom, setLanguage, t } from './messages/index.js';
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
  await setLanguage(lang.language ?? 'en', { chosen: lang.language !== null && lang.said });
  if (lang.language === null) {
    process.stderr.write(`${t('error_prefix')}${display(t('bad_choice', { field: lang.source, value: lang.value, accepted: 'en, zh-CN' }))}\n`);
    return 2;
  }
  const { buildProgram } = await import('./cli/program.js');
  const { command: program, exitCode } = buildProgram(pkg.version);
  // Commander's own usage errors, from the program and every subcommand: keep them to one line (it
  // quotes what was typed, so through display() like every error line); we pick the exit code below.
  const oneLine = (cmd: typeof program): void => {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: (text, write) => write(`${display(text.trim().split('\n')[0] ?? '')}\n`) });
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

export function failure(e: unknown, debug: boolean): number {
  // Commander's own errors (unknown option, missing argument) carry a 'commander.*' code; matching
  // the code rather than the class keeps commander out of `--version`'s start-up.
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
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

process.exitCode = await main(process.argv);
