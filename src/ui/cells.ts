// Stored text made safe for each place it is shown: the terminal, CSV, Markdown and HTML. Input
// refuses controls (src/cli/input.ts), but a file written by an older version, or a row edited with
// the sqlite3 shell, can still hold them, so every renderer passes text from the database through
// the function for its format. JSON is the exception: it is data, kept exact (see jsonText).
//
// A character that cannot be shown becomes U+FFFD, the replacement character: it is what Unicode
// defines for "something was here that cannot be displayed", it takes one column so tables stay
// aligned, and since input refuses U+FFFD it can only mean "neutralised here". A `?` would read as
// punctuation the complainant wrote.

import { BIDI, CONTROL } from '../domain/text.js';

const PLACEHOLDER = '\uFFFD';
/** A line break where the layout has room for one line only. */
const LINE_BREAK_MARK = '↵';

// Controls and direction overrides as src/domain/text.ts defines them, plus every kind of line break.
const UNSAFE_CLASS = `${CONTROL.source}|${BIDI.source}|[\\u2028\\u2029]`;
const HAS_UNSAFE = new RegExp(UNSAFE_CLASS);
const UNSAFE = new RegExp(`\\r\\n|${UNSAFE_CLASS}`, 'g');
const LINE_BREAK = /^(?:\r\n|[\r\n\u2028\u2029])$/;

/**
 * Where the text goes: `line` is one line (a heading, a list cell, an error line), so line breaks
 * show as ↵ and tabs as a space; `cell` is a table cell that wraps, so line breaks stay and tabs
 * (which break column widths) become a space; `block` is free-standing text such as a description,
 * which keeps both. CR and CRLF count as line breaks: a lone CR would overprint the line.
 */
export type Layout = 'line' | 'cell' | 'block';

/** The one display function for every human renderer on the terminal. */
export function display(text: string, layout: Layout = 'line'): string {
  if (!HAS_UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (ch) => {
    if (LINE_BREAK.test(ch)) return layout === 'line' ? LINE_BREAK_MARK : '\n';
    if (ch === '\t') return layout === 'block' ? '\t' : ' ';
    return PLACEHOLDER;
  });
}

/** A number as the office formats it (`12`, `-3`, `1,234.50`, `45.0%`): never a formula, never markup. */
const NUMBER = /^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?$|^-?\d+(?:\.\d+)?%?$/;

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, opened in Excel, WPS or LibreOffice)

// OWASP "CSV Injection": a text cell starting with one of these is read as a formula
// (=HYPERLINK(...) sends the sheet's data away; +, - and @ start formulas too). Leading tabs, line
// breaks and spaces are trimmed by some importers, exposing what follows, so they count as well.
const FORMULA_START = /^(?:[=+\-@\t\r\n]|\s+[=+\-@])/;

/**
 * One CSV field. Text that could start a formula gets a leading `'`, which spreadsheets take as
 * "this is text"; numbers (negative ones included) stay numbers. Fields holding a separator, quote
 * or line break are quoted; `;` counts as a separator, for the locales where Excel splits on it.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  let text = display(value, 'block');
  if (!NUMBER.test(text) && FORMULA_START.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// ---------------------------------------------------------------------------------------------
// Markdown (GitHub-flavoured, for a wiki page or an email)

/**
 * Text for one Markdown table cell or heading: nothing in it can end the cell (`|`, a line break),
 * open a code span, link, emphasis or HTML tag, or start a block (heading, list, quote).
 */
export function markdownCell(text: string): string {
  let out = display(text, 'cell').replace(/\n+/g, ' ');
  if (NUMBER.test(out)) return out;
  out = out
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
  // A list item or heading at the start of a line: escape its marker so it stays text.
  return out.replace(/^([#+\-=])/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

// ---------------------------------------------------------------------------------------------
// HTML (the bulletin: text and double-quoted attribute values)

/** Safe in element text and in quoted attribute values; controls and direction overrides shown as U+FFFD. */
export function htmlText(text: string): string {
  return display(text, 'cell').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

// ---------------------------------------------------------------------------------------------
// JSON

// JSON.stringify already escapes C0 controls (and the line breaks it writes itself are structure);
// DEL, C1 and direction overrides it leaves raw, and a terminal showing the document would act on
// them (U+009B is CSI) or reorder the line. Escaped, they are the same data.
const JSON_UNSAFE = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029]|${BIDI.source}`, 'g');

/** JSON.stringify whose output carries no raw C1 control or direction override (strings parse back identical). */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
