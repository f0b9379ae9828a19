// Which characters are dangerous or meaningless in the office's text, decided once: the command line
// refuses them at input (src/cli/input.ts) and every human output neutralises whatever an older file
// still holds (src/ui/cells.ts), so the two can never disagree about what a control is.

/**
 * C0 and C1 controls and DEL. ESC starts terminal escape sequences (clear the screen, set the
 * window title), CR moves back over what was already printed, and U+009B is the one-byte CSI.
 */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Bidirectional formatting characters: they make a terminal, browser or editor show text in another
 * order than it was stored (the "Trojan Source" attack, CVE-2021-42574).
 */
export const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Characters that show nothing: zero-width spaces and joiners, the word joiner, the byte-order mark,
 * soft hyphens, Hangul fillers (Unicode's Default_Ignorable_Code_Point), and the blank braille
 * pattern often used to fake an empty name. Fine inside a name (a joiner in an emoji or a Persian
 * word), but a name made only of them reads as nothing.
 */
export const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/u;

/** What Node puts in place of bytes that are not UTF-8 (argv, environment, stdin). */
export const REPLACEMENT = '\uFFFD';

const EDGE = /[\s\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Text without the whitespace and invisible characters at either end. Loops rather than an anchored
 * regex (`[\s…]+$` backtracks quadratically over a long run of inner spaces), a whole character at
 * a time so that a surrogate pair is judged as one.
 */
export function trimInvisible(text: string): string {
  let start = 0;
  while (start < text.length) {
    const ch = String.fromCodePoint(text.codePointAt(start)!);
    if (!EDGE.test(ch)) break;
    start += ch.length;
  }
  let end = text.length;
  while (end > start) {
    const pair = end - 2 >= start && /[\udc00-\udfff]/.test(text[end - 1]!) && /[\ud800-\udbff]/.test(text[end - 2]!);
    const size = pair ? 2 : 1;
    if (!EDGE.test(text.slice(end - size, end))) break;
    end -= size;
  }
  return text.slice(start, end);
}

/** CRLF, a lone CR and the Unicode line and paragraph separators all become LF. */
export function normaliseLineBreaks(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n');
}

/**
 * Full-width forms as a Chinese input method types them (`１３８`, `Ｃ`, `－`, `：`, `，`, `．`,
 * `￥`, the ideographic space) as their plain ones, and nothing else: NFKC would also read `2⁵` as
 * 25, `⑩` as 10 and `10²` as 102, which no clerk means in a number, a phone or a time.
 */
export function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000\uffe5]/g, (c) => {
    if (c === '\u3000') return ' ';
    if (c === '\uffe5') return '\u00a5';
    return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
  });
}
