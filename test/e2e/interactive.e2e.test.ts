import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJson, tempDbPath } from '../support/cli.js';
import { KEY, startInTerminal, type Terminal } from '../support/pty.js';

// seed 003 §5.2.3: with a person at the terminal `log` asks for what is missing, then reads the
// ticket back for the complainant to confirm before saving.

const AT = '2026-11-16 10:00';
const running: Terminal[] = [];
afterEach(() => {
  for (const t of running.splice(0)) t.kill();
});

function logInTerminal(db: string, extra: string[] = [], stderrFile?: string): Terminal {
  const t = startInTerminal(['--db', db, 'log', '--at', AT, ...extra], stderrFile === undefined ? {} : { stderrFile });
  running.push(t);
  return t;
}

interface Listed { total: number; tickets: { no: string }[] }

describe('complaints log at a terminal', () => {
  it('asks for each field, offers lists for channel, category and severity, reads the ticket back and saves it on yes', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db);
    await term.answer("Complainant's name", `王芳${KEY.enter}`);
    // Validation as you type: a bad phone number is refused on the spot, the answer kept for correcting.
    await term.answer('Phone (Enter to skip if there is an email)', `12${KEY.enter}`);
    await term.waitFor("'12' is not a phone number");
    term.type(`${KEY.backspace.repeat(2)}13800000000${KEY.enter}`);
    // phone, email, web, letter: three down.
    await term.answer('How did the complaint come in?', `${KEY.down.repeat(3)}${KEY.enter}`);
    await term.waitFor('✔ How did the complaint come in? letter');
    // product, service, price, delivery: three down.
    await term.answer('Category', `${KEY.down.repeat(3)}${KEY.enter}`);
    await term.waitFor('✔ Category delivery');
    await term.answer('Subject (one line)', `包裹延误两周${KEY.enter}`);
    await term.answer('What happened (Enter to skip)', `快递一直显示在途${KEY.enter}`);
    await term.answer('What does the complainant ask for? (Enter to skip)', `退运费${KEY.enter}`);
    await term.answer('Amount claimed (Enter for none)', `600${KEY.enter}`);
    // 600 suggests important, which the list starts on; the clerk goes one further to major.
    await term.waitFor('Severity');
    await term.waitFor('❯ important (suggested: amount ≥ 500)');
    term.type(`${KEY.down}${KEY.enter}`);
    await term.waitFor('✔ Severity major');

    await term.waitFor('Please confirm with the complainant:');
    // The read-back arrives in pieces through the terminal: wait for the question that follows it.
    await term.waitFor('then choose:');
    for (const line of [/Complainant\s+王芳/, /Phone\s+13800000000/, /Channel\s+letter/, /Category\s+delivery/, /Subject\s+包裹延误两周/,
      /Demand\s+退运费/, /Amount claimed\s+600\.00/, /Severity\s+major/, /Received\s+2026-11-16 10:00/]) {
      expect(term.screen()).toMatch(line);
    }
    term.type(`y${KEY.enter}`);
    await term.waitFor('Logged C2026-00001.');
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(0);

    const ticket = runJson('show C2026-00001'.split(' '), { db });
    expect(ticket).toMatchObject({
      no: 'C2026-00001', channel: 'letter', category: 'delivery', severity: 'major', severity_suggested: 'important',
      subject: '包裹延误两周', description: '快递一直显示在途', demand: '退运费', amount: 600,
      complainant: { name: '王芳', phone: '13800000000', email: null },
      received_at: '2026-11-16T10:00:00+08:00',
    });
  }, 10_000);

  it('saves nothing when the clerk cancels at the read-back and confirms: exit 1, stderr says cancelled', async () => {
    const db = tempDbPath();
    const stderrFile = join(db, '..', 'stderr.txt');
    const term = logInTerminal(db, ['--name', 'Wang Fang', '--phone', '13800000000', '--channel', 'phone', '--category', 'delivery',
      '--subject', 'Parcel late', '--description', 'Not arrived', '--demand', 'Refund', '--amount', '0', '--severity', 'general'], stderrFile);
    // Save, Correct a field, Cancel: two down, then the discard confirmed.
    await term.answer('then choose:', `${KEY.down.repeat(2)}${KEY.enter}`);
    await term.answer('Discard this complaint?', `y${KEY.enter}`);
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(1);
    const stderr = readFileSync(stderrFile, 'utf8').trim().split('\n');
    // The read-back went to stderr too; the verdict is its last line.
    expect(stderr).toContain('Please confirm with the complainant:');
    expect(stderr.at(-1)).toBe('error: cancelled: nothing was saved');
    expect(screen).not.toContain('Logged');
    expect(runJson<Listed>(['list'], { db }).total).toBe(0);
  }, 10_000);

  it('Ctrl-C at a prompt cancels: exit 1 and nothing saved', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db);
    await term.answer("Complainant's name", `王${KEY.ctrlC}`);
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(1);
    expect(screen).toContain('error: cancelled: nothing was saved');
    expect(runJson<Listed>(['list'], { db }).total).toBe(0);
  }, 10_000);

  it('--yes saves without the read-back, after asking only for what the flags left out', async () => {
    const db = tempDbPath();
    const term = logInTerminal(db, ['--yes', '--name', 'Wang Fang', '--phone', '13800000000', '--channel', 'web', '--category', 'price', '--subject', 'Charged twice']);
    await term.answer('What happened (Enter to skip)', KEY.enter);
    await term.answer('What does the complainant ask for? (Enter to skip)', KEY.enter);
    await term.answer('Amount claimed (Enter for none)', KEY.enter);
    await term.answer('❯ general (suggested)', KEY.enter);
    await term.waitFor('Logged C2026-00001.');
    const { status, screen } = await term.finished();
    expect(status, screen).toBe(0);
    expect(screen).not.toContain("Complainant's name");
    expect(screen).not.toContain('How did the complaint come in?');
    expect(screen).not.toContain('Please confirm');
    expect(screen).not.toContain('then choose:');
    const { tickets } = runJson<{ tickets: Record<string, unknown>[] }>(['list'], { db });
    expect(tickets).toMatchObject([{ no: 'C2026-00001', channel: 'web', category: 'price', severity: 'general', description: null }]);
  }, 10_000);
});

describe('other commands at a terminal', () => {
  it('reply asks how the complainant was contacted and what was said', async () => {
    const db = tempDbPath();
    runJson(['log', '--name', 'Wang Fang', '--phone', '13800000000', '--channel', 'phone', '--category', 'delivery', '--subject', 'late', '--at', AT], { db });
    const term = startInTerminal(['--db', db, 'reply', 'C2026-00001', '--at', '2026-11-16 11:00']);
    running.push(term);
    // phone, visit, letter, email, sms: four down
    await term.answer('How was the complainant contacted?', `${KEY.down.repeat(4)}${KEY.enter}`);
    // The office's label is offered, the code stored.
    await term.waitFor('✔ How was the complainant contacted? SMS');
    await term.answer('What was said', `${KEY.enter}`);
    await term.waitFor('--message must not be empty');
    term.type(`快递明天送到${KEY.enter}`);
    await term.waitFor('Reply recorded on C2026-00001.');
    expect((await term.finished()).status).toBe(0);
    const shown = runJson<{ events: { kind: string; details: Record<string, unknown> }[] }>(['show', 'C2026-00001'], { db });
    expect(shown.events.at(-1)).toMatchObject({ kind: 'replied', details: { via: 'sms', message: '快递明天送到' } });
  });
});
