// What a build says about a database, as JSON: every ticket's document, the report of each month
// the office worked, and the overdue list, all at one fixed time. Run by make.sh with the release-1
// build; the upgrade test runs the same reads with this build and compares.
import { spawnSync } from 'node:child_process';

export const AS_OF = '2026-11-20 12:00';
export const MONTHS = ['2026-08', '2026-09', '2026-10', '2026-11'];

export function readings(entry, db, env = process.env) {
  const run = (...args) => {
    const r = spawnSync(process.execPath, [entry, '--db', db, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const list = run('list', '--limit', '10000', '--as-of', AS_OF, '--json');
  const tickets = Object.fromEntries(list.tickets.map((t) => [t.no, run('show', t.no, '--as-of', AS_OF, '--json')]));
  const reports = Object.fromEntries(MONTHS.map((m) => [m, run('report', '--month', m, '--as-of', AS_OF, '--format', 'json')]));
  const overdue = run('overdue', '--as-of', AS_OF, '--json');
  return { list, tickets, reports, overdue };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [entry, db] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(readings(entry, db), null, 1)}\n`);
}
