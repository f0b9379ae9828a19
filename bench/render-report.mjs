// Renders the html report of a seeded demo office to PNG in headless Chromium, to look at what a
// supervisor will print. Usage:
//   node bench/render-report.mjs [--dist dist] [--out /tmp/report.png] [--tickets 3000] [--db existing.db --month 2026-10]
// Needs Debian's `chromium` (apt-get install -y chromium). The page is A4 at 150 dpi: 1240×1754.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = arg('dist', 'dist');
const out = resolve(arg('out', join(tmpdir(), 'complaints-report.png')));
const asOf = arg('as-of', '2026-11-20 18:00');
const month = arg('month', '2026-10');
const work = mkdtempSync(join(tmpdir(), 'complaints-render-'));
const db = arg('db', join(work, 'demo.db'));
const env = { ...process.env, TZ: process.env.TZ ?? 'Asia/Shanghai', NO_COLOR: '1' };

const cli = (...args) => {
  const r = spawnSync(process.execPath, [join(root, dist, 'main.js'), '--db', db, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`complaints ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};

if (!existsSync(db)) process.stdout.write(cli('demo', '--tickets', arg('tickets', '3000'), '--seed', arg('seed', '7'), '--as-of', asOf));
const html = join(work, 'report.html');
cli('report', '--month', month, '--as-of', asOf, '--format', 'html', '--output', html);

const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('which', [b]).status === 0);
if (!browser) throw new Error('no chromium found: apt-get install -y chromium');
const profile = join(work, 'profile');
const shot = spawnSync(browser, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', `--user-data-dir=${profile}`, `--screenshot=${out}`, '--window-size=1240,1754', '--hide-scrollbars', `file://${html}`,
], { encoding: 'utf8', timeout: 120_000 });
if (!existsSync(out) || statSync(out).size === 0) throw new Error(`chromium did not write ${out}: ${shot.stderr}`);
process.stdout.write(`html ${html}\npng  ${out} (${statSync(out).size} bytes)\n`);
if (!process.argv.includes('--keep')) rmSync(profile, { recursive: true, force: true });
