import { describe, expect, it } from 'vitest';
import { parseEmail, parsePhone, parseText, printable, requireText, stageCode, type TextKind } from '../../src/cli/input.js';
import { askedName } from '../../src/cli/context.js';
import { UsageError } from '../../src/domain/errors.js';
import type { MessageKey } from '../../src/messages/index.js';

// The one rule for text entering the records (issue 9, item 3), field by field kind: one-line
// values (`line`, `name`) and long text (`text`).

/** The catalogue key of the refusal, or the accepted value. */
function outcome(run: () => string | null): { refused: MessageKey } | { value: string | null } {
  try {
    return { value: run() };
  } catch (e) {
    if (e instanceof UsageError) return { refused: e.key };
    throw e;
  }
}

const ALL: TextKind[] = ['line', 'name', 'text'];
const ONE_LINE: TextKind[] = ['line', 'name'];

// [what, input, kinds, expected]
const cases: [string, string, TextKind[], { refused: MessageKey } | { value: string | null }][] = [
  ['an escape sequence', 'Wang\u001b[2JFang', ONE_LINE, { refused: 'text_control_line' }],
  ['an escape sequence in long text', 'Wang\u001b[2JFang', ['text'], { refused: 'text_control' }],
  ['a window-title escape with a bell', '\u001b]0;pwned\u0007', ONE_LINE, { refused: 'text_control_line' }],
  ['a one-byte CSI (C1)', 'red \u009b31m', ALL.filter((k) => k !== 'text'), { refused: 'text_control_line' }],
  ['a one-byte CSI (C1) in long text', 'red \u009b31m', ['text'], { refused: 'text_control' }],
  ['DEL', 'a\u007fb', ['text'], { refused: 'text_control' }],
  ['a vertical tab in long text', 'a\u000bb', ['text'], { refused: 'text_control' }],
  ['a carriage return in a one-line value', 'Approved\rRejected', ONE_LINE, { refused: 'text_control_line' }],
  ['a tab in a one-line value', 'a\tb', ONE_LINE, { refused: 'text_control_line' }],
  ['a line separator in a one-line value', 'a\u2028b', ONE_LINE, { refused: 'text_control_line' }],
  ['a right-to-left override', 'invoice \u202Efdp.exe', ALL, { refused: 'text_bidi' }],
  ['a right-to-left isolate', 'a\u2067b\u2069', ALL, { refused: 'text_bidi' }],
  ['a left-to-right mark', 'a\u200eb', ALL, { refused: 'text_bidi' }],
  ['an Arabic letter mark', 'a\u061cb', ALL, { refused: 'text_bidi' }],
  ['only zero-width spaces', '\u200b\u200b', ALL, { refused: 'text_invisible' }],
  ['only joiners, a word joiner and a Hangul filler', ' \u200c\u200d\u2060\u3164 ', ALL, { refused: 'text_invisible' }],
  ['the replacement character of bad UTF-8', 'W\uFFFDng', ALL, { refused: 'text_not_utf8' }],
  ['long text with CRLF and a lone CR', 'one\r\ntwo\rthree', ['text'], { value: 'one\ntwo\nthree' }],
  ['long text with a Unicode line separator', 'one\u2028two', ['text'], { value: 'one\ntwo' }],
  ['zero-width characters at the edges (a look-alike of another unit)', '\u200bLogistics\ufeff', ALL, { value: 'Logistics' }],
];

describe('parseText: what text the office accepts', () => {
  it.each(cases)('%s', (_what, input, kinds, expected) => {
    for (const kind of kinds) expect(outcome(() => parseText('--field', input, { kind })), kind).toEqual(expected);
  });

  it('keeps what is meaningful: inner joiners, tabs and line breaks in long text, Chinese, formula-looking text', () => {
    expect(parseText('--name', '👩\u200d💻 Li', { kind: 'name' })).toBe('👩\u200d💻 Li');
    expect(parseText('--description', 'a\tb\nc', { kind: 'text' })).toBe('a\tb\nc');
    expect(parseText('--unit', '=HYPERLINK("http://evil.example")', { kind: 'name' })).toBe('=HYPERLINK("http://evil.example")');
    expect(parseText('--subject', '  快递延误 ', { kind: 'line' })).toBe('快递延误');
    // The control check comes before the length check would, and names the field.
    expect(outcome(() => parseText('--subject', '\u202e'.repeat(300), { kind: 'line' }))).toEqual({ refused: 'text_bidi' });
  });

  it('blank is absent for an optional field and an error for a required one; invisible-only is refused either way', () => {
    expect(parseText('--address', '   ', { kind: 'line' })).toBeNull();
    expect(outcome(() => requireText('--unit', ' ', 'name'))).toEqual({ refused: 'empty_text' });
    expect(outcome(() => parseText('--address', '\u200b', { kind: 'line' }))).toEqual({ refused: 'text_invisible' });
  });
});

describe('email, phone and the actor follow the same rule', () => {
  it.each([
    ['the escape from the issue', () => parseEmail('x\u001b[2J\u001b[H@evil.example'), 'text_control_line'],
    ['an override in an address', () => parseEmail('wang\u202e@example.cn'), 'text_bidi'],
    ['a zero-width space inside an address', () => parseEmail('wang\u200b@example.cn'), 'bad_email'],
    ['an address that is not UTF-8', () => parseEmail('w\uFFFD@example.cn'), 'text_not_utf8'],
    ['an escape in a phone number', () => parsePhone('138\u001b[2J0000'), 'text_control_line'],
    ['--as with a window-title escape', () => askedName({ as: '\u001b]0;pwned\u0007' }, {}), 'text_control_line'],
    ['--as of zero-width spaces', () => askedName({ as: '\u200b' }, {}), 'text_invisible'],
    ['COMPLAINTS_USER with an override', () => askedName({}, { COMPLAINTS_USER: 'clerk\u202e1' }), 'text_bidi'],
    ['COMPLAINTS_USER that is not UTF-8', () => askedName({}, { COMPLAINTS_USER: 'clerk\uFFFD' }), 'text_not_utf8'],
  ] as [string, () => string, MessageKey][])('%s', (_what, run, key) => {
    expect(outcome(run)).toEqual({ refused: key });
  });

  it('accepts and trims what is fine', () => {
    expect(parseEmail(' \u200bwang@example.cn ')).toBe('wang@example.cn');
    expect(askedName({ as: ' Li Lei\u200b' }, { COMPLAINTS_USER: 'clerk1' })).toBe('Li Lei');
    expect(askedName({}, { COMPLAINTS_USER: '\ufeffclerk1' })).toBe('clerk1');
  });

  it('names the flag the refusal came from', () => {
    for (const [run, field] of [
      [() => askedName({ as: '\u202e' }, {}), '--as'],
      [() => askedName({}, { COMPLAINTS_USER: '\u202e' }), 'COMPLAINTS_USER'],
      [() => parseEmail('\u202e'), '--email'],
    ] as [() => string, string][]) {
      try {
        run();
        expect.unreachable();
      } catch (e) {
        expect((e as UsageError).params.field).toBe(field);
      }
    }
  });
});

describe('printable: a bad value echoed in an error line', () => {
  it.each([
    ['an escape sequence', 'x\u001b[2J', 'x\uFFFD[2J'],
    ['a bell', 'x\u0007', 'x\uFFFD'],
    ['a direction override', 'a\u202eb', 'a\uFFFDb'],
    ['a carriage return and a line feed', 'a\rb\nc', 'a↵b↵c'],
    ['a long value, cut at whole characters', '😀'.repeat(70), `${'😀'.repeat(57)}...`],
  ])('%s', (_what, input, shown) => {
    expect(printable(input)).toBe(shown);
  });
});

describe('stageCode: a stage as a clerk types it (stages, sla set, done)', () => {
  it.each([
    ['a dash for the underscore', 'site-visit', 'site_visit'],
    ['capitals and spaces around', '  Site-Visit ', 'site_visit'],
    ['a code as it is', 'first_reply', 'first_reply'],
  ])('%s', (_what, typed, code) => {
    expect(stageCode(typed)).toBe(code);
  });
});
