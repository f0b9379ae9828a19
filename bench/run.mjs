// Speed at a million complaints (issue 6): builds demo databases, then times whole processes the
// way a clerk meets them — start, open the file, answer, exit — against bare `node -e 0` started
// the same way in the same run, so the ratios hold on a faster or slower machine.
//
//   node bench/run.mjs [--sizes 10k,100k,1m] [--runs 7] [--seed 1] [--dist dist] [--reuse]
//                      [--search TEXT] [--max-build-minutes 15] [--out bench/RESULTS.md] [--db FILE]
//
// Plain Node, no dependencies. Results go between markers in bench/RESULTS.md, one section per
// size, so a run of one size keeps the others and any notes written around them.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, statfsSync, writeFileSync,
} from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AS_OF = '2026-11-20 12:00';
const TZ = 'Asia/Shanghai';
// The office's wall clock for AS_OF, as the SQL the program sends sees it.
const AS_OF_MS = Date.parse('2026-11-20T12:00:00+08:00');
const MEMORY_TARGET_MIB = 150;

// ---------------------------------------------------------------------------------------------
// Options

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}
const flag = (name) => process.argv.includes(`--${name}`);

if (flag('help')) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 9).join('\n') + '\n');
  process.exit(0);
}

function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`--sizes: not a size: ${text} (e.g. 10k, 100k, 1m)`);
  const n = Number(m[1]) * { '': 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()];
  return { label: text.trim().toLowerCase(), tickets: Math.round(n) };
}

// `--db FILE` times an existing database instead of building one (labelled by its file name).
const givenDb = option('db', null);
const sizes = givenDb ? [{ label: 'given', tickets: 0 }] : option('sizes', '10k,100k,1m').split(',').map(parseSize);
const runs = Number(option('runs', '7'));
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a whole number of at least 1');
const seed = option('seed', '1');
const dist = option('dist', 'dist');
const reuse = flag('reuse');
const maxBuildMinutes = Number(option('max-build-minutes', '15'));
const outFile = resolve(ROOT, option('out', 'bench/RESULTS.md'));
const dataDir = join(ROOT, 'bench', 'data');
const entry = join(ROOT, dist, 'main.js');
if (!existsSync(entry)) throw new Error(`${relative(ROOT, entry)} not found: build first (npm run build)`);

const childEnv = { ...process.env, TZ, COMPLAINTS_USER: 'bench', NO_COLOR: '1', LANG: 'en_US.UTF-8' };
delete childEnv.COMPLAINTS_DB;
delete childEnv.NODE_OPTIONS;

// ---------------------------------------------------------------------------------------------
// Measuring one process: wall time from the parent, peak resident memory from the kernel.

/** GNU time prints the child's ru_maxrss (KiB) as its last stderr line; check it really does. */
function gnuTimeWorks() {
  if (!existsSync('/usr/bin/time')) return false;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '-e', '0'], { encoding: 'utf8' });
  return r.status === 0 && /^\d+$/.test(r.stderr.trim().split('\n').at(-1) ?? '');
}
const useGnuTime = gnuTimeWorks();
// Without GNU time, a preload reports the child's own ru_maxrss on exit (Node children only).
const preload = join(tmpdir(), `complaints-bench-maxrss-${process.pid}.cjs`);
if (!useGnuTime) {
  writeFileSync(preload, "process.on('exit', () => process.stderr.write('\\n' + process.resourceUsage().maxRSS + '\\n'));\n");
}
const memoryMethod = useGnuTime
  ? '`/usr/bin/time -f %M` around every process (the kernel\'s ru_maxrss of the child, KiB); its own fork/exec (~1 ms) is in every row, `node -e 0` included'
  : "a `--require` preload printing `process.resourceUsage().maxRSS` at exit (Node processes only; the sqlite3 rows have no figure)";

// CPU time (user + sys) of the child, to the millisecond: bash's `times` after running it. On a
// busy machine the wall clock also counts waiting for a core; CPU time mostly does not.
const useBashTimes = spawnSync('bash', ['-c', 'times'], { encoding: 'utf8' }).status === 0;
const BASH_TIMES = '"$@"; rc=$?; times >&2; exit $rc';

/**
 * Runs one process to completion; returns wall ms, CPU ms, peak KiB, exit status and output.
 * Wall time is taken by the parent around spawnSync, so it is what a user waits for.
 */
function measure(cmd, args, options = {}) {
  let file = cmd;
  let argv = args;
  if (useBashTimes) {
    argv = ['-c', BASH_TIMES, 'bench', file, ...argv];
    file = 'bash';
  }
  if (useGnuTime) {
    argv = ['-f', '%M', file, ...argv];
    file = '/usr/bin/time';
  } else if (cmd === process.execPath) {
    argv = useBashTimes ? [...argv.slice(0, 4), '--require', preload, ...argv.slice(4)] : ['--require', preload, ...argv];
  }
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, { env: childEnv, encoding: 'utf8', maxBuffer: 1 << 30, timeout: options.timeout ?? 600_000, input: '' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // GNU time reports a non-zero exit as "Command exited with non-zero status N" before %M.
  const lines = (r.stderr ?? '').replace(/^Command exited with non-zero status \d+\n?/m, '').trimEnd().split('\n');
  let kib = null;
  if ((useGnuTime || cmd === process.execPath) && /^\d+$/.test(lines.at(-1) ?? '')) kib = Number(lines.pop());
  let cpuMs = null;
  const seconds = (text) => text.split(' ').reduce((sum, part) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(part);
    return m ? sum + Number(m[1]) * 60 + Number(m[2]) : NaN;
  }, 0);
  if (useBashTimes && lines.length >= 2) {
    const children = seconds(lines.at(-1));
    if (Number.isFinite(children)) {
      cpuMs = children * 1000;
      lines.splice(-2);
    }
  }
  return { ms, cpuMs, kib, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: lines.join('\n'), error: r.error };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const mib = (kib) => (kib === null ? null : kib / 1024);

// ---------------------------------------------------------------------------------------------
// The machine

function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch { /* not Linux */ }
  const sqlite = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  const betterSqlite = JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
  return {
    node: process.version,
    cpu,
    cores: cpus().length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    sqlite3: sqlite.status === 0 ? sqlite.stdout.trim().split(' ')[0] : null,
    betterSqlite,
  };
}
const host = machine();
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

// ---------------------------------------------------------------------------------------------
// Building the databases

function freeGiB(dir) {
  const s = statfsSync(dir);
  return (s.bavail * s.bsize) / 2 ** 30;
}

function fileMiB(path) {
  let bytes = 0;
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) bytes += statSync(f).size;
  return bytes / 2 ** 20;
}

function sqliteCount(db, sql) {
  const r = spawnSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

/** The file with its WAL, and any copy the program kept aside before migrating it. */
function removeDatabase(db) {
  const dir = dirname(db);
  const name = db.slice(dir.length + 1);
  for (const f of readdirSync(dir)) {
    if (f === name || f === `${name}-wal` || f === `${name}-shm` || (f.startsWith(`${name}.schema-`) && f.endsWith('.bak'))) rmSync(join(dir, f), { force: true });
  }
}

let lastBuild = null;

function buildDatabase(size) {
  if (givenDb) return { db: givenDb, reused: true };
  mkdirSync(dataDir, { recursive: true });
  const db = join(dataDir, `demo-${size.label}-seed${seed}.db`);
  if (reuse && existsSync(db)) {
    const tickets = host.sqlite3 ? sqliteCount(db, 'select count(*) from tickets') : null;
    if (tickets === null || tickets === size.tickets) return { db, reused: true };
  }
  removeDatabase(db);
  // Disk and time as the last build measured them (a smaller size of this run), else a guess.
  const perTicketKiB = lastBuild ? (lastBuild.mib * 1024) / lastBuild.tickets : 12;
  const needGiB = (size.tickets * perTicketKiB) / 2 ** 20;
  const free = freeGiB(dataDir);
  if (needGiB > 20 || needGiB > free * 0.8) {
    return { db, skipped: `needs about ${needGiB.toFixed(1)} GiB (${perTicketKiB.toFixed(1)} KiB a ticket), ${free.toFixed(1)} GiB free` };
  }
  if (lastBuild) {
    const minutes = size.tickets / (lastBuild.tickets / (lastBuild.ms / 1000)) / 60;
    if (minutes > maxBuildMinutes) {
      return { db, skipped: `the build would take about ${Math.round(minutes)} minutes at the ${Math.round(lastBuild.tickets / (lastBuild.ms / 1000))} tickets/s measured for ${lastBuild.label}, over the --max-build-minutes ${maxBuildMinutes}` };
    }
  }
  process.stderr.write(`building ${size.label} (${size.tickets} tickets)... `);
  const r = measure(process.execPath, [entry, '--db', db, 'demo', '--tickets', String(size.tickets), '--seed', seed, '--as-of', AS_OF, '--json'],
    { timeout: maxBuildMinutes * 60_000 });
  if (r.status !== 0) {
    const why = r.signal ? `stopped after ${maxBuildMinutes} minutes` : `exit ${r.status}: ${r.stderr.trim().split('\n')[0]}`;
    process.stderr.write(`${why}\n`);
    return { db, skipped: `demo failed (${why})` };
  }
  const events = host.sqlite3 ? sqliteCount(db, 'select count(*) from events') : null;
  const tickets = host.sqlite3 ? sqliteCount(db, 'select count(*) from tickets') : size.tickets;
  const build = { ms: r.ms, kib: r.kib, tickets, events, mib: fileMiB(db), label: size.label };
  lastBuild = build;
  process.stderr.write(`${(r.ms / 1000).toFixed(1)} s, ${Math.round(size.tickets / (r.ms / 1000))} tickets/s\n`);
  return { db, build };
}

// ---------------------------------------------------------------------------------------------
// What is timed

// The sqlite3 rows replay exactly the statements the program ran: a preload wraps better-sqlite3's
// statements in one run of the command, records each read with its bound values, and the values
// are written into the SQL for the shell.
const recorder = join(tmpdir(), `complaints-bench-sql-${process.pid}.cjs`);
writeFileSync(recorder, `const Database = require(${JSON.stringify(join(ROOT, 'node_modules/better-sqlite3'))});
const { writeFileSync } = require('node:fs');
const seen = [];
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  const st = prepare.call(this, sql);
  for (const m of ['all', 'get', 'iterate']) {
    const f = st[m];
    st[m] = function (...args) { if (st.reader) seen.push({ sql, args }); return f.apply(this, args); };
  }
  return st;
};
process.on('exit', () => writeFileSync(process.env.COMPLAINTS_BENCH_SQL, JSON.stringify(seen)));
`);

const literal = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'bigint' ? String(v)
  : typeof v === 'boolean' ? (v ? '1' : '0') : `'${String(v).replace(/'/g, "''")}'`);

/** The SQL with its values written in: `?` in order, `@name`/`:name`/`$name` from the object. */
function inline(sql, args) {
  const positional = args.filter((a) => a === null || typeof a !== 'object');
  const named = Object.assign({}, ...args.filter((a) => a !== null && typeof a === 'object'));
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '?') {
      out += literal(positional[n++]);
    } else if ('@:$'.includes(c) && /\w/.test(sql[i + 1] ?? '')) {
      const name = /^\w+/.exec(sql.slice(i + 1))[0];
      out += literal(named[name]);
      i += name.length;
    } else {
      out += c;
    }
  }
  return `${out.trim().replace(/;$/, '')};`;
}

/** Runs the command once with the recorder; the reads it made, as one script for the sqlite3 shell. */
function recordedSql(run) {
  const file = join(tmpdir(), `complaints-bench-sql-${process.pid}.json`);
  const [cmd, args] = run;
  const r = spawnSync(cmd, ['--require', recorder, ...args], { env: { ...childEnv, COMPLAINTS_BENCH_SQL: file }, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 || !existsSync(file)) return null;
  const seen = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file, { force: true });
  // The page-cache settings the program chooses count; its journal and safety settings do not read.
  return seen.filter((q) => !/^\s*PRAGMA/i.test(q.sql) || /cache_size|mmap_size/i.test(q.sql)).map((q) => inline(q.sql, q.args)).join('\n');
}

/** A ticket to show and a word to search for, taken from the database itself. */
function pickSamples(db) {
  const r = measure(process.execPath, [entry, '--db', db, 'list', '--status', 'closed', '--limit', '1', '--as-of', AS_OF, '--json']);
  if (r.status !== 0) throw new Error(`list failed: ${r.stderr}`);
  const ticket = JSON.parse(r.stdout).tickets[0] ?? JSON.parse(measure(process.execPath, [entry, '--db', db, 'list', '--limit', '1', '--json']).stdout).tickets[0];
  if (!ticket) throw new Error(`no tickets in ${db}`);
  // The longest word of its subject: at least three characters, so the trigram index answers.
  const words = String(ticket.subject).split(/[\s,.;:!?，。；：！？、（）()"'“”]+/u).filter((w) => [...w].length >= 3);
  const search = option('search', words.sort((a, b) => [...b].length - [...a].length)[0] ?? ticket.subject);
  return { no: ticket.no, search };
}

function commands(db, logDb, sample) {
  const cli = (...args) => [process.execPath, [entry, ...args]];
  const rows = [
    { name: 'node -e 0', run: [process.execPath, ['-e', '0']], baseline: true },
    { name: '--version', run: cli('--version'), target: 1.3 },
    {
      name: 'log --json --yes',
      run: cli('--db', logDb, 'log', '--name', '王芳', '--phone', '13800000000', '--channel', 'phone', '--category', 'delivery',
        '--subject', '包裹两周未到', '--demand', '退运费', '--json', '--yes'),
      target: 2.0, json: true,
    },
    { name: `show ${sample.no}`, run: cli('--db', db, 'show', sample.no, '--as-of', AS_OF), target: 2.0 },
    { name: 'list --status new', run: cli('--db', db, 'list', '--status', 'new', '--as-of', AS_OF), target: 2.5 },
    { name: `list --search ${sample.search}`, run: cli('--db', db, 'list', '--search', sample.search, '--as-of', AS_OF), target: 2.5 },
    { name: 'overdue --json', run: cli('--db', db, 'overdue', '--json', '--as-of', AS_OF), target: 2.0, json: true },
    { name: 'report --month --format json', run: cli('--db', db, 'report', '--month', '--format', 'json', '--as-of', AS_OF), target: 3.0, json: true },
  ];
  if (host.sqlite3) {
    for (const [name, of] of [['sqlite3: the overdue SQL', 'overdue --json'], ['sqlite3: the report SQL', 'report --month --format json']]) {
      const script = recordedSql(rows.find((r) => r.name === of).run);
      rows.push(script === null
        ? { name, run: ['false', []], engine: true }
        : { name, run: ['sqlite3', ['-readonly', db, script]], engine: true, statements: script.split(';\n').length });
    }
  }
  return rows;
}

function benchSize(size) {
  const made = buildDatabase(size);
  const section = { size, startLoad: load(), date: new Date().toISOString(), ...made };
  if (made.skipped) return section;
  const logDb = made.db.replace(/\.db$/, '-log.db');
  removeDatabase(logDb);
  copyFileSync(made.db, logDb);
  if (existsSync(`${made.db}-wal`)) copyFileSync(`${made.db}-wal`, `${logDb}-wal`);

  const sample = pickSamples(made.db);
  const rows = commands(made.db, logDb, sample);
  // One warm-up each (page cache, and a check that it works), then the runs interleaved, so
  // a burst of load from elsewhere falls on every command alike.
  for (const row of rows) {
    const r = measure(...row.run);
    row.failed = r.status !== 0 ? `exit ${r.status}: ${(r.stderr.trim().split('\n')[0] ?? '').slice(0, 120)}` : null;
    if (!row.failed && row.json) {
      try { JSON.parse(r.stdout); } catch { row.failed = 'output is not one JSON document'; }
    }
    row.outputKiB = Buffer.byteLength(r.stdout) / 1024;
    row.samples = [];
    row.cpu = [];
    row.kibs = [];
  }
  process.stderr.write(`timing ${size.label}: ${runs} runs of ${rows.length} commands`);
  for (let i = 0; i < runs; i++) {
    for (const row of rows) {
      if (row.failed) continue;
      const r = measure(...row.run);
      row.samples.push(r.ms);
      if (r.cpuMs !== null) row.cpu.push(r.cpuMs);
      if (r.kib !== null) row.kibs.push(r.kib);
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const base = median(rows[0].samples);
  const cpuBase = rows[0].cpu.length ? median(rows[0].cpu) : null;
  for (const row of rows) {
    if (row.failed) continue;
    row.median = median(row.samples);
    row.ratio = row.median / base;
    row.cpuMedian = row.cpu.length ? median(row.cpu) : null;
    row.cpuRatio = row.cpuMedian !== null && cpuBase ? row.cpuMedian / cpuBase : null;
    row.peakMiB = row.kibs.length ? mib(Math.max(...row.kibs)) : null;
    row.met = row.target === undefined ? null
      : row.ratio <= row.target && (row.peakMiB === null || row.peakMiB <= MEMORY_TARGET_MIB);
  }
  removeDatabase(logDb);
  return { ...section, rows, sample, endLoad: load() };
}

// ---------------------------------------------------------------------------------------------
// Writing RESULTS.md

const fmt = (x, digits = 0) => (x === null || x === undefined ? '—' : x.toFixed(digits));

function renderSection(s) {
  const lines = [`<!-- bench:size ${s.size.label} begin -->`, `### ${s.size.label} tickets (${s.size.tickets.toLocaleString('en')})`, ''];
  lines.push(`Taken ${s.date.slice(0, 16).replace('T', ' ')} UTC on ${host.cpu}, ${host.cores} cores, ${host.memory}, Node ${host.node}; `
    + `load average (1/5/15 min) ${s.startLoad} at the start${s.endLoad ? `, ${s.endLoad} at the end` : ''}.`, '');
  if (s.skipped) {
    lines.push(`Not measured: ${s.skipped}.`, `<!-- bench:size ${s.size.label} end -->`);
    return lines.join('\n');
  }
  if (s.build) {
    const b = s.build;
    lines.push(`Build: \`demo --tickets ${s.size.tickets} --seed ${seed} --as-of "${AS_OF}"\` took ${fmt(b.ms / 1000, 1)} s — `
      + `**${Math.round(s.size.tickets / (b.ms / 1000)).toLocaleString('en')} tickets/s** (target ≥ 30,000: ${s.size.tickets / (b.ms / 1000) >= 30_000 ? 'met' : 'not met'}), `
      + `${b.events === null ? '' : `${b.events.toLocaleString('en')} events, `}file ${fmt(b.mib, 0)} MiB, peak ${fmt(mib(b.kib), 0)} MiB.`, '');
  } else {
    // Reused: keep the build figures the earlier run wrote for this size, if any.
    const earlier = existsSync(outFile) ? new RegExp(`<!-- bench:size ${s.size.label} begin -->[\\s\\S]*?^(Build: [^\\n]*)`, 'm').exec(readFileSync(outFile, 'utf8')) : null;
    const kept = earlier && !earlier[1].includes('reused') ? `${earlier[1].replace(/ \(from the run that built it\)$/, '')} (from the run that built it)` : null;
    lines.push(kept ?? 'Build: database reused from an earlier run (`--reuse`), not timed.', '');
  }
  lines.push(`Runs: ${runs} of each, interleaved, after one warm-up. \`show\` ${s.sample.no}; \`list --search\` "${s.sample.search}".`, '');
  lines.push('| command | median ms | ratio to node -e 0 | peak MiB | target | met? | CPU ms | CPU ratio |', '|---|--:|--:|--:|--:|:-:|--:|--:|');
  for (const r of s.rows) {
    if (r.failed) {
      lines.push(`| \`${r.name}\` | failed: ${r.failed.replace(/\|/g, '\\|')} | | | ${r.target ? `≤ ${r.target}` : ''} | ${r.target ? 'no' : ''} | | |`);
      continue;
    }
    const target = r.baseline ? '' : r.engine ? '(engine)' : `≤ ${r.target.toFixed(1)}, ≤ ${MEMORY_TARGET_MIB} MiB`;
    const met = r.met === null ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| \`${r.name}\` | ${fmt(r.median, 1)} | ${fmt(r.ratio, 2)} | ${fmt(r.peakMiB, 1)} | ${target} | ${met} | ${fmt(r.cpuMedian, 0)} | ${fmt(r.cpuRatio, 2)} |`);
  }
  lines.push(`<!-- bench:size ${s.size.label} end -->`);
  return lines.join('\n');
}

function renderHeader() {
  return [
    '<!-- bench:header begin -->',
    '# Speed at a million complaints',
    '',
    'Made by `npm run bench` (`node bench/run.mjs`); the sections below between `bench:` markers are rewritten by it,',
    'the rest is notes kept by hand.',
    '',
    `- Machine: ${host.cpu}, ${host.cores} cores, ${host.memory} memory; Node ${host.node}; better-sqlite3 ${host.betterSqlite}; `
      + `sqlite3 shell ${host.sqlite3 ?? 'not installed'}.`,
    '- Time: wall clock of the whole process, measured by the parent around `spawnSync` (start, open, query, print, exit),'
      + ' stdout to a pipe. Median of the runs; ratio = median ÷ median of `node -e 0` in the same run.',
    `- CPU: user + system time of the child (bash \`times\` after it exits), median; the CPU ratio is against \`node -e 0\`'s. `
      + 'On a loaded machine wall time also counts waiting for a core, CPU time mostly does not: when the load average is above the core count, read the CPU ratio.',
    `- Memory: peak resident set (maximum over the runs) by ${memoryMethod}.`,
    `- Deadlines judged \`--as-of "${AS_OF}"\` (${TZ}); \`report --month\` is October 2026. \`log\` writes to a copy of the database.`,
    '- The `sqlite3:` rows replay in the sqlite3 shell the very reads the command made (recorded from better-sqlite3 in one run, values written in): the floor the engine sets on this file.',
    '<!-- bench:header end -->',
  ].join('\n');
}

function replaceBlock(text, name, block) {
  const re = new RegExp(`<!-- bench:${name} begin -->[\\s\\S]*?<!-- bench:${name} end -->`);
  return re.test(text) ? text.replace(re, block) : null;
}

function writeResults(sections) {
  let text = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  text = replaceBlock(text, 'header', renderHeader()) ?? `${renderHeader()}\n\n${text}`;
  for (const s of sections) {
    const block = renderSection(s);
    const replaced = replaceBlock(text, `size ${s.size.label}`, block);
    if (replaced !== null) {
      text = replaced;
      continue;
    }
    // A new size goes after the last size section (or the header), in the order the sizes grow.
    const marks = [...text.matchAll(/<!-- bench:size (\S+) end -->/g)]
      .filter((m) => /^\d/.test(m[1]) && parseSize(m[1]).tickets < s.size.tickets);
    const after = marks.at(-1) ?? text.match(/<!-- bench:header end -->/);
    const at = after.index + after[0].length;
    text = `${text.slice(0, at)}\n\n${block}${text.slice(at)}`;
  }
  writeFileSync(outFile, text.endsWith('\n') ? text : `${text}\n`);
}

// ---------------------------------------------------------------------------------------------

const sections = [];
try {
  for (const size of sizes) {
    const s = benchSize(size);
    sections.push(s);
    writeResults([s]);
    if (s.rows) {
      for (const r of s.rows) {
        process.stderr.write(`  ${r.name.padEnd(34)} ${r.failed ?? `${fmt(r.median, 1).padStart(8)} ms  ×${fmt(r.ratio, 2)}  cpu ${fmt(r.cpuMedian, 0)} ms ×${fmt(r.cpuRatio, 2)}  ${fmt(r.peakMiB, 1)} MiB`}\n`);
      }
    }
  }
} finally {
  if (!useGnuTime) rmSync(preload, { force: true });
  rmSync(recorder, { force: true });
}
process.stderr.write(`results in ${relative(process.cwd(), outFile)}\n`);
