import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, also run by hand (node scripts/readme-tour.mjs … --write)
import { runTour, tourCommands } from '../../scripts/readme-tour.mjs';
import { cliEntry, ROOT } from '../support/cli.js';

// Issue 12 "done when": with LANG=zh_CN.UTF-8, `complaints init --yes` and then the Chinese README's
// tour work as written, and show no English word a clerk must understand. Every `$ complaints …`
// line of the tour runs in one shell session in a fresh home; the lines under it are its output.

interface Ran { command: string; expected: string[]; actual: string[]; status: number }

const README = readFileSync(join(ROOT, 'README.zh-CN.md'), 'utf8');

describe('README.zh-CN.md: the tour, run as written', () => {
  const ran = runTour(tourCommands(README, '## 新受理员五分钟上手'), { dist: join(cliEntry(), '..') }) as Ran[];

  it('starts with init and runs every command of the tour, each exiting 0', () => {
    expect(ran.length).toBeGreaterThanOrEqual(10);
    expect(ran.find((c) => c.command.startsWith('complaints '))?.command).toMatch(/^complaints init --yes/);
    for (const c of ran) expect({ command: c.command, status: c.status }).toEqual({ command: c.command, status: 0 });
  }, 60_000);

  it('prints exactly what the README shows under each command', () => {
    for (const c of ran) expect({ command: c.command, output: c.actual }).toEqual({ command: c.command, output: c.expected.map((l) => l.trimEnd()) });
  });

  it('shows no English word a clerk must understand', () => {
    // What is left after commands quoted in backticks, the file's path and the zone's IANA name.
    const words = ran.flatMap((c) => c.actual)
      .map((line) => line.replace(/`[^`]*`/g, '').replace(/~\/\S+/g, '').replace('Asia/Shanghai', ''))
      .flatMap((line) => line.match(/[A-Za-z]{2,}/g) ?? []);
    expect(words).toEqual([]);
  });

  it('is linked from the English README, and links back', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('](README.zh-CN.md)');
    expect(README).toContain('](README.md)');
  });
});
