// Start-up before and after a change (issue 10: "no slower than before"), in one interleaved run so
// that load from elsewhere falls on both builds alike:
//
//   node bench/startup.mjs --before DIST --after DIST [--rounds 15] [--tickets 10000]
//
// Each build makes its own demo database (same seed), since `log` writes and a build may not
// read the other's format. Each round runs every command once per build, the order of the builds alternating;
// the table gives each median wall time in milliseconds. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

const builds = { before: resolve(option('before', '')), after: resolve(option('after', 'dist')) };
const rounds = Number(option('rounds', '15'));
const tickets = option('tickets', '10000');
const dir = mkdtempSync(join(tmpdir(), 'complaints-startup-'));
const env = { ...process.env, COMPLAINTS_USER: 'bench', TZ: 'Asia/Shanghai' };

function run(dist, args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(dist, 'main.js'), ...args], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${dist} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return ms;
}

try {
  // Each build makes its own (same seed, same tickets): across a change of the file's format, the
  // older build could not open the newer's file.
  const db = {};
  for (const name of Object.keys(builds)) {
    db[name] = join(dir, `${name}.db`);
    run(builds[name], ['--db', db[name], 'demo', '--tickets', tickets, '--as-of', '2026-11-20 12:00']);
  }
  const commands = {
    '--version': () => ['--version'],
    'log --json --yes': (name) => ['--db', db[name], 'log', '--json', '--yes', '--name', 'Wang Fang', '--phone', '13800000000',
      '--channel', 'phone', '--category', 'delivery', '--subject', 'Parcel late', '--at', '2026-11-20 10:00'],
    'show C2026-00042': (name) => ['--db', db[name], 'show', 'C2026-00042'],
  };
  const times = Object.fromEntries(Object.keys(commands).map((c) => [c, { before: [], after: [] }]));
  for (const [c, args] of Object.entries(commands)) for (const name of Object.keys(builds)) run(builds[name], args(name)); // warm
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    for (const [c, args] of Object.entries(commands)) {
      for (const name of order) times[c][name].push(run(builds[name], args(name)));
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  console.log(`${rounds} rounds, ${tickets}-ticket demo database; median wall ms`);
  console.log('| command | before | after | after/before |');
  console.log('|---|---:|---:|---:|');
  for (const [c, t] of Object.entries(times)) {
    const b = median(t.before);
    const a = median(t.after);
    console.log(`| ${c} | ${b.toFixed(1)} | ${a.toFixed(1)} | ${(a / b).toFixed(3)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
