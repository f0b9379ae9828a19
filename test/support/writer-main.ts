// A clerk who never stops: logs a ticket, then assigns, replies to and closes it, over and over,
// through the real command code in one long-lived process. The crash and backup tests start
// this, keep it writing and kill it with SIGKILL. Bundled by writer.ts, never imported.
import { processContext } from '../../src/cli/context.js';
import { run as assign } from '../../src/commands/assign.js';
import { run as close } from '../../src/commands/close.js';
import { run as log } from '../../src/commands/log.js';
import { run as reply } from '../../src/commands/reply.js';
import { ComplaintsError } from '../../src/domain/errors.js';
import { t } from '../../src/messages/index.js';

const [db, countText = 'Infinity', tag = String(process.pid)] = process.argv.slice(2);
const count = Number(countText);
const ctx = processContext({ db }, 'write', 'log');
let previous: string | null = null;

function callerPhone(writer: string, n: number): string {
  const code = [...writer].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 100;
  return `139${String(code).padStart(2, '0')}${String(n % 1_000_000).padStart(6, '0')}`;
}

try {
  for (let i = 0; i < count; i++) {
    const before = ctx.io.out;
    let logged: string | null = null;
    // Watch for the receipt line, and pass it on: the number is printed only after the commit.
    ctx.io.out = (text) => {
      logged ??= /Logged (C\d{4}-\d{5})/.exec(text)?.[1] ?? null;
      before(text);
    };
    await log(ctx, {
      // A caller of its own per ticket and writer: one with a complaint still open would be told so on stderr (issue 12).
      name: 'Zhao Lei', phone: callerPhone(tag, i), channel: 'phone', category: 'product',
      subject: `Writer ${tag} ticket ${i}`, description: '包装破损，产品无法使用', at: '2026-11-20 10:00', yes: true,
    });
    ctx.io.out = before;
    if (previous !== null) {
      const no = previous;
      await assign(ctx, no, { unit: 'Quality', to: 'Sun Mei', at: '2026-11-20 11:00' });
      await reply(ctx, no, { via: 'phone', message: 'We are sending a replacement', at: '2026-11-20 12:00' });
      await close(ctx, no, { resolution: 'Replacement delivered', fault: 'company', at: '2026-11-21 10:00' });
    }
    previous = logged;
  }
} catch (e) {
  process.stderr.write(`${e instanceof ComplaintsError ? t(e.key, e.params) : String(e)}\n`);
  process.exitCode = 1;
}
