#!/usr/bin/env node
// The README's tour, run as written (issue 12 §7): every `$ complaints …` line of the tour's shell
// blocks is run in one bash session (so an `export` carries on), against the built CLI, in a fresh
// home (written `~` in what it prints); the lines under a command are what it prints (stdout and
// stderr as a terminal shows them).
//
//   node scripts/readme-tour.mjs README.zh-CN.md "## 新受理员五分钟上手"           # compare, exit 1 on a difference
//   node scripts/readme-tour.mjs README.zh-CN.md "## 新受理员五分钟上手" --write   # put what it prints in the README

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The tour's commands, each with the lines shown under it and where those lines are in the text. */
export function tourCommands(text, heading) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const commands = [];
  let inBlock = false;
  for (let i = start + 1; i < (end < 0 ? lines.length : end); i++) {
    const line = lines[i];
    if (line.startsWith('```')) {
      inBlock = !inBlock && line === '```sh';
      continue;
    }
    if (!inBlock) continue;
    const last = commands.at(-1);
    if (line.startsWith('$ ')) {
      commands.push({ command: line.slice(2), expected: [], firstLine: i, outputFrom: i + 1, outputTo: i + 1 });
    } else if (last && last.expected.length === 0 && last.command.endsWith('\\')) {
      last.command += `\n${line}`;
      last.outputFrom = last.outputTo = i + 1;
    } else if (last) {
      last.expected.push(line);
      last.outputTo = i + 1;
    }
  }
  return commands;
}

/** Runs the commands in one bash session with `complaints` on PATH; returns each one's output and exit status. */
export function runTour(commands, { dist = join(ROOT, 'dist'), env = {} } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'complaints-tour-'));
  const bin = join(home, '.bin');
  spawnSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'complaints'), `#!/bin/sh\nexec "${process.execPath}" "${join(dist, 'main.js')}" "$@"\n`);
  chmodSync(join(bin, 'complaints'), 0o755);
  const out = join(home, '.out');
  spawnSync('mkdir', ['-p', out]);
  const script = commands.map((c, i) => `{ ${c.command}\n} > ${out}/${i} 2>&1; echo $? > ${out}/${i}.rc`).join('\n');
  const base = { ...process.env };
  for (const name of Object.keys(base)) if (/^(LC_|COMPLAINTS_)/.test(name)) delete base[name];
  const r = spawnSync('bash', ['-c', script], {
    cwd: home, encoding: 'utf8', timeout: 120_000,
    env: { ...base, HOME: home, PATH: `${bin}:${process.env.PATH}`, LANG: 'zh_CN.UTF-8', TZ: 'UTC', NO_COLOR: '1', COLUMNS: '100', ...env },
  });
  if (r.status === null) throw new Error(`the tour did not finish: ${r.error ?? r.signal}`);
  return commands.map((c, i) => ({
    ...c,
    actual: readFileSync(join(out, String(i)), 'utf8').replaceAll(home, '~').replace(/\n$/, '').split('\n').map((l) => l.trimEnd()).filter((l, j, all) => !(all.length === 1 && l === '')),
    status: Number(readFileSync(join(out, `${i}.rc`), 'utf8')),
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, heading, flag] = process.argv.slice(2);
  const text = readFileSync(file, 'utf8');
  const ran = runTour(tourCommands(text, heading));
  if (flag === '--write') {
    const lines = text.split('\n');
    for (const c of [...ran].reverse()) lines.splice(c.outputFrom, c.outputTo - c.outputFrom, ...c.actual);
    writeFileSync(file, lines.join('\n'));
  }
  let differ = 0;
  for (const c of ran) {
    const same = c.status === 0 && c.actual.join('\n') === c.expected.map((l) => l.trimEnd()).join('\n');
    if (!same) differ++;
    if (!same && flag !== '--write') process.stdout.write(`$ ${c.command}\n  exit ${c.status}\n  expected:\n${c.expected.join('\n')}\n  got:\n${c.actual.join('\n')}\n\n`);
  }
  process.exitCode = flag === '--write' ? (ran.some((c) => c.status !== 0) ? 1 : 0) : differ > 0 ? 1 : 0;
}
