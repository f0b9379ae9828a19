import { describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { logArgs, runCli, runOk, tempDbPath } from '../support/cli.js';

// Issue 12 §6: a mistyped command, option or choice gets one line that says what was probably
// meant, in the language spoken; each help page lists the global options once, in that language.

const fill = (text: string, params: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
const ZH = { LANG: 'zh_CN.UTF-8' };

describe('did you mean', () => {
  it('a mistyped command: one line with the suggestion, exit 2 (en)', () => {
    const r = runCli(['asign', 'C2026-00001'], { db: tempDbPath() });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${fill(en.unknown_command, { value: 'asign' })}${fill(en.did_you_mean, { suggestion: 'assign' })}\n`);
    expect(r.stderr).toContain('assign?');
  });

  it('a mistyped command in Chinese', () => {
    const r = runCli(['asign', 'C2026-00001'], { db: tempDbPath(), env: ZH });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.unknown_command, { value: 'asign' })}${fill(zhCN.did_you_mean, { suggestion: 'assign' })}\n`);
    expect(r.stderr).not.toMatch(/unknown|Did you mean/i);
  });

  it('a mistyped option: one line with the suggestion (en and zh)', () => {
    const db = tempDbPath();
    const r = runCli(['list', '--stauts', 'open'], { db });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${fill(en.unknown_option, { value: '--stauts' })}${fill(en.did_you_mean, { suggestion: '--status' })}\n`);
    const zh = runCli(['list', '--stauts', 'open'], { db, env: ZH });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.unknown_option, { value: '--stauts' })}${fill(zhCN.did_you_mean, { suggestion: '--status' })}\n`);
  });

  it('nothing near: the line says only what was not understood', () => {
    const r = runCli(['xyzzyplugh'], { db: tempDbPath(), env: ZH });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.unknown_command, { value: 'xyzzyplugh' })}\n`);
  });

  it('a missing argument is said in Chinese too', () => {
    const r = runCli(['show'], { db: tempDbPath(), env: ZH });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${zhCN.error_prefix}${fill(zhCN.missing_argument, { value: zhCN.arg_ticket })}\n`);
  });
});

describe('help', () => {
  const count = (text: string, what: string): number => text.split(what).length - 1;

  it.each([['log'], ['list'], ['show'], ['calendar', 'show'], ['report']])('complaints %s --help lists the global options once', (...command) => {
    const r = runOk([...command.filter(Boolean), '--help']);
    expect(count(r.stdout, '--db <path>')).toBe(1);
    expect(count(r.stdout, '--lang <lang>')).toBe(1);
    expect(count(r.stdout, '--debug')).toBe(1);
  });

  it('the global options still work after the command', () => {
    const db = tempDbPath();
    runOk([...logArgs(), '--at', '2026-11-16 10:00', '--db', db, '--as', 'clerk9']);
    const r = runOk(['list', '--db', db, '--lang', 'zh-CN']);
    expect(r.stdout).toContain('C2026-00001');
  });

  it('reads Chinese, commander\'s own headings included', () => {
    const r = runOk(['--lang', 'zh-CN', 'log', '--help']);
    for (const heading of [zhCN.help_heading_usage, zhCN.help_heading_options, zhCN.help_heading_global_options, zhCN.help_option_help]) {
      expect(r.stdout).toContain(heading);
    }
    expect(r.stdout).toContain(zhCN.help_log);
    expect(r.stdout).not.toMatch(/Usage:|Options:|display help for command/);
    const top = runOk(['--help'], { env: ZH });
    expect(top.stdout).toContain(zhCN.help_heading_commands);
    expect(top.stdout).toContain(zhCN.help_option_version);
    expect(top.stdout).not.toMatch(/Usage:|Options:|Commands:|display help for command|output the version number/);
    const show = runOk(['show', '--help'], { env: ZH });
    expect(show.stdout).toContain(zhCN.help_heading_arguments);
    expect(show.stdout).not.toMatch(/Arguments:/);
  });

  it('English help keeps its headings', () => {
    const r = runOk(['show', '--help']);
    expect(r.stdout).toMatch(/^Usage: complaints show/);
    expect(r.stdout).toContain('Arguments:');
    expect(r.stdout).toContain('Global Options:');
  });
});

describe('an unknown choice suggests the nearest accepted one', () => {
  it('--channel phon: did you mean phone (en)', () => {
    const r = runCli([...logArgs({ channel: 'phon' }), '--at', '2026-11-16 10:00'], { db: tempDbPath() });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: --channel: 'phon' is not accepted; use one of: phone, .*letter.*; did you mean phone\?\n$/);
  });

  it('--category 配逹: 配送 (zh), by its label', () => {
    const r = runCli([...logArgs({ category: '配逹' }), '--at', '2026-11-16 10:00'], { db: tempDbPath(), env: ZH });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(fill(zhCN.did_you_mean, { suggestion: '配送' }));
  });

  it('--severity 一船 and --severity majr: the nearest severity', () => {
    const zh = runCli([...logArgs({ severity: '一船' }), '--at', '2026-11-16 10:00'], { db: tempDbPath(), env: ZH });
    expect(zh.status).toBe(2);
    expect(zh.stderr).toContain(fill(zhCN.did_you_mean, { suggestion: '一般' }));
    const english = runCli([...logArgs({ severity: 'majr' }), '--at', '2026-11-16 10:00'], { db: tempDbPath() });
    expect(english.stderr).toContain(fill(en.did_you_mean, { suggestion: 'major' }));
  });

  it('a far-off value: no suggestion', () => {
    const r = runCli([...logArgs({ channel: 'carrier pigeon' }), '--at', '2026-11-16 10:00'], { db: tempDbPath() });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --channel: 'carrier pigeon' is not accepted; use one of: [^;]*\n$/);
    const zh = runCli([...logArgs({ category: '天气' }), '--at', '2026-11-16 10:00'], { db: tempDbPath(), env: ZH });
    expect(zh.status).toBe(2);
    expect(zh.stderr).not.toContain(fill(zhCN.did_you_mean, { suggestion: '' }).slice(0, 3));
  });
});
