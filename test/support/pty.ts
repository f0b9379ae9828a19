import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cliEntry, testEnv } from './cli.js';

// Drives the built CLI through a real pseudo-terminal, as a clerk at a keyboard would: util-linux
// `script` gives the child a PTY; we type into script's stdin and read the screen from its stdout.
// Prompts render with cursor movements and colours, so matching is done on the text with the
// escape sequences taken out.

export const KEY = {
  enter: '\r',
  up: '\x1b[A',
  down: '\x1b[B',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]/g;

/** What a person would read: escape sequences removed, carriage returns dropped. */
export function plain(raw: string): string {
  return raw.replace(ESCAPES, '').replace(/\r/g, '');
}

export interface Finished {
  status: number | null;
  /** Everything shown on the terminal (stdout and stderr of the program, as plain text). */
  screen: string;
}

export interface Terminal {
  /** Waits until `text` is shown after everything matched so far; fails showing the screen. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Types keys (KEY.* for special ones). */
  type(keys: string): void;
  /** Waits for the prompt, then types the answer. */
  answer(prompt: string | RegExp, keys: string, timeoutMs?: number): Promise<void>;
  /** Waits for the program to end. */
  finished(timeoutMs?: number): Promise<Finished>;
  screen(): string;
  kill(): void;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Starts `complaints <args>` on a pseudo-terminal. `stderrFile` sends the program's stderr to a
 * file instead of the terminal (stdin and stdout stay on the terminal, so it still prompts).
 */
export function startInTerminal(args: readonly string[], options: { env?: NodeJS.ProcessEnv; stderrFile?: string } = {}): Terminal {
  const command = [process.execPath, cliEntry(), ...args].map(shellQuote).join(' ') +
    (options.stderrFile === undefined ? '' : ` 2>${shellQuote(options.stderrFile)}`);
  // -q quiet, -f flush each write, -e pass on the program's exit status, -c the command.
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', command, '/dev/null'], {
    env: testEnv({ TERM: 'xterm-256color', ...options.env }),
  });
  let raw = '';
  let matchedUpTo = 0;
  let exit: Finished | null = null;
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((l) => l());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    notify();
  });
  child.on('close', (status) => {
    exit = { status, screen: plain(raw) };
    notify();
  });

  const failure = (what: string): Error =>
    new Error(`${what}\n--- screen so far ---\n${plain(raw)}\n--- end of screen ---`);

  /** Resolves when `ready` returns true, checked on each output; rejects after the timeout. */
  const until = <T>(ready: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        let value: T | undefined;
        try {
          value = ready();
        } catch (e) {
          done();
          reject(e as Error);
          return;
        }
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(failure(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  const terminal: Terminal = {
    async waitFor(text, timeoutMs = 15_000) {
      await until(() => {
        const rest = plain(raw).slice(matchedUpTo);
        const found = typeof text === 'string'
          ? (rest.includes(text) ? { index: rest.indexOf(text), length: text.length } : null)
          : (() => {
              const m = text.exec(rest);
              return m ? { index: m.index, length: m[0].length } : null;
            })();
        if (found) {
          matchedUpTo += found.index + found.length;
          return true;
        }
        if (exit !== null) throw failure(`the program ended (exit ${exit.status}) before showing ${String(text)}`);
        return undefined;
      }, timeoutMs, JSON.stringify(String(text)));
    },
    type(keys) {
      child.stdin.write(keys);
    },
    async answer(prompt, keys, timeoutMs) {
      await terminal.waitFor(prompt, timeoutMs);
      terminal.type(keys);
    },
    finished(timeoutMs = 15_000) {
      return until(() => exit ?? undefined, timeoutMs, 'the program to end');
    },
    screen: () => plain(raw),
    kill: () => void child.kill(),
  };
  return terminal;
}
