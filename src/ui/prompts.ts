// The only importer of @inquirer/prompts; loaded only when a command has to ask. Tests drive the
// real prompts through a pseudo-terminal, or hand a command another Prompter.
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { t, type MessageKey } from '../messages/index.js';

export interface Choice<T extends string> {
  value: T;
  name: string;
}

export interface Prompter {
  /** `prefill`: the line starts holding this text, to edit (a field corrected at the read-back). */
  input(message: string, options?: { default?: string; prefill?: string; validate?: (value: string) => string | true }): Promise<string>;
  select<T extends string>(message: string, choices: readonly Choice<T>[], defaultValue?: T): Promise<T>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

/**
 * `maxLength`: the most characters a typed answer may hold, the longest any flag takes
 * (TEXT_LIMITS.text); what goes past it is left out at once, saying so.
 */
export async function inquirerPrompter(limits: { maxLength: number }): Promise<Prompter> {
  const { select, confirm } = await import('@inquirer/prompts');
  const textPrompt = await boundedTextPrompt();
  return {
    input: async (message, options = {}) => {
      const terminal = new TerminalInput(process.stdin);
      try {
        return await textPrompt({ message, maxLength: limits.maxLength, terminal, ...options }, { input: terminal });
      } finally {
        terminal.detach();
      }
    },
    select: (message, choices, defaultValue) =>
      select({
        message,
        choices: choices.map((c) => ({ value: c.value, name: c.name })),
        ...(defaultValue ? { default: defaultValue } : {}),
        pageSize: 10,
        theme: { style: { keysHelpTip } },
      }),
    // The answer shown after it is given: inquirer's is English (Yes/No).
    // The hint of what y and n mean, and the answer shown after it is given: inquirer's are English.
    confirm: (message, defaultValue) => confirm({
      message,
      default: defaultValue,
      transformer: (yes) => t(yes ? 'answer_yes' : 'answer_no'),
      theme: { style: { defaultAnswer: (hint: string) => `(${t(hint === 'y/N' ? 'confirm_hint_default_no' : 'confirm_hint_default_yes')})` } },
    }),
  };
}

/** The keys line under a list (inquirer's is English: "↑↓ navigate • ⏎ select"), in the language spoken. */
function keysHelpTip(keys: [string, string][]): string {
  const words: Record<string, MessageKey> = { navigate: 'prompt_key_navigate', select: 'prompt_key_select' };
  return keys.map(([key, action]) => `${key} ${words[action] === undefined ? action : t(words[action])}`).join(' • ');
}

/** Ctrl-C at a prompt: inquirer rejects with this; the command cancels and saves nothing. */
export function isPromptCancelled(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');
}

// ---------------------------------------------------------------------------------------------
// Pasting into a prompt. Node's readline turns each character that arrives into a keypress, and
// inquirer redraws the whole answer (wrapping it with wrap-ansi) on every keypress: a paste of n
// characters costs n redraws of up to n characters. Measured on the stock input prompt: 5,000
// characters 24 s, 10,000 characters 86 s, 1 MB effectively forever. So the text prompt below
// takes a run of plain characters that arrive together (a paste, an input method's word) in one
// piece, inserts only what fits under the limit and redraws once; keys (Enter, Backspace,
// arrows, Ctrl-C) still reach readline one at a time, as typed.

/** Printable characters: anything but C0/C1 controls and DEL (escape sequences start with ESC). */
const isPlain = (code: number): boolean => code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f);

/**
 * Stands between the terminal and one prompt's readline. Keys are passed on as they come; runs
 * of two or more plain characters go to `onText` instead. Delivery is synchronous, in order.
 */
export class TerminalInput extends Readable {
  readonly isTTY = true;
  onText: (text: string) => void = (text) => this.emitKeys(text);
  private readonly decoder = new StringDecoder('utf8');
  private readonly listener = (chunk: Buffer | string): void => this.split(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));

  constructor(private readonly source: NodeJS.ReadStream) {
    super();
    source.on('data', this.listener);
    source.resume();
  }

  override _read(): void {}

  /** Raw mode is the terminal's: readline switches it on and off through here. */
  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode);
    return this;
  }

  get isRaw(): boolean {
    return this.source.isRaw;
  }

  /** Stops listening; what the terminal sends next waits for the next prompt. */
  detach(): void {
    this.source.off('data', this.listener);
    this.source.pause();
  }

  private emitKeys(keys: string): void {
    if (keys !== '') this.emit('data', Buffer.from(keys, 'utf8'));
  }

  /** Splits text into escape sequences and controls (keys) and runs of plain characters. */
  split(text: string): void {
    let i = 0;
    let keys = '';
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 0x1b) {
        // ESC [ params final, ESC O x, or ESC x (Alt): all one key, never plain text.
        let end = i + 1;
        if (text[end] === '[') {
          end++;
          while (end < text.length && !(text.charCodeAt(end) >= 0x40 && text.charCodeAt(end) <= 0x7e)) end++;
          end++;
        } else if (text[end] === 'O') {
          end += 2;
        } else {
          end++;
        }
        keys += text.slice(i, Math.min(end, text.length));
        i = end;
        continue;
      }
      if (!isPlain(code)) {
        keys += text[i];
        i++;
        continue;
      }
      let end = i;
      while (end < text.length && isPlain(text.charCodeAt(end))) end++;
      // A lone character is a keystroke: readline handles it as typed.
      if (end - i < 2) {
        keys += text.slice(i, end);
      } else {
        this.emitKeys(keys);
        keys = '';
        this.onText(text.slice(i, end));
      }
      i = end;
    }
    this.emitKeys(keys);
  }
}

/** What the prompt touches of readline's state: the line being edited and the cursor in it. */
interface EditedLine {
  line: string;
  cursor: number;
}

interface TextConfig {
  message: string;
  maxLength: number;
  terminal: TerminalInput;
  default?: string;
  prefill?: string;
  validate?: (value: string) => string | true;
}

/** Characters as TEXT_LIMITS counts them (code points, so an emoji is one). */
function countChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

/** The first `n` characters of text, never splitting a surrogate pair. */
function firstChars(text: string, n: number): string {
  let taken = 0;
  let i = 0;
  while (i < text.length && taken < n) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    taken++;
  }
  return text.slice(0, i);
}

/** The text prompt: inquirer's input, plus the limit and pasted text taken in one piece. */
async function boundedTextPrompt() {
  const { createPrompt, isEnterKey, makeTheme, useEffect, useKeypress, usePrefix, useRef, useState } = await import('@inquirer/core');
  return createPrompt<string, TextConfig>((config, done) => {
    const theme = makeTheme();
    const [status, setStatus] = useState<'idle' | 'done'>('idle');
    const [shown, setShown] = useState<{ value: string; error: string | undefined }>({ value: '', error: undefined });
    const readline = useRef<EditedLine | null>(null);
    useEffect((rl) => {
      const line = rl as unknown as EditedLine;
      readline.current = line;
      if (config.prefill) {
        line.line = config.prefill;
        line.cursor = config.prefill.length;
        setShown({ value: config.prefill, error: undefined });
      }
    }, []);
    const prefix = usePrefix({ status, theme });
    const tooLong = t('prompt_too_long', { max: config.maxLength });

    /** Inserts text at the cursor as readline would, keeping at most maxLength characters. */
    const insert = (rl: EditedLine, text: string): boolean => {
      const room = config.maxLength - countChars(rl.line);
      const taken = room <= 0 ? '' : text.length <= room ? text : firstChars(text, room);
      rl.line = rl.line.slice(0, rl.cursor) + taken + rl.line.slice(rl.cursor);
      rl.cursor += taken.length;
      return taken.length < text.length;
    };

    config.terminal.onText = (text) => {
      const rl = readline.current;
      if (rl === null || status !== 'idle') return;
      const cut = insert(rl, text);
      // The rest of a long paste changes nothing: no redraw for it.
      if (rl.line !== shown.value || (cut && shown.error !== tooLong)) setShown({ value: rl.line, error: cut ? tooLong : undefined });
    };

    useKeypress((key, rl) => {
      const line = rl as unknown as EditedLine;
      if (status !== 'idle') return;
      if (isEnterKey(key)) {
        const answer = shown.value || config.default || '';
        const valid = config.validate ? config.validate(answer) : true;
        if (valid === true) {
          setShown({ value: answer, error: undefined });
          setStatus('done');
          done(answer);
        } else {
          // readline emptied its line on Enter: give the answer back for correcting.
          line.line = shown.value;
          line.cursor = shown.value.length;
          setShown({ value: shown.value, error: valid });
        }
        return;
      }
      // A key typed past the limit (the paste path cannot see these): take it back out.
      let cut = false;
      if (line.line.length > config.maxLength) {
        const extra = countChars(line.line) - config.maxLength;
        if (extra > 0) {
          const before = line.line.slice(0, line.cursor);
          const keep = firstChars(before, countChars(before) - extra);
          line.line = keep + line.line.slice(line.cursor);
          line.cursor = keep.length;
          cut = true;
        }
      }
      setShown({ value: line.line, error: cut ? tooLong : undefined });
    });

    const message = theme.style.message(config.message, status);
    const value = status === 'done' ? theme.style.answer(shown.value) : shown.value;
    return [[prefix, message, value].join(' '), shown.error ? theme.style.error(shown.error) : ''];
  });
}
