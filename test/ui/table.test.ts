import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/ui/format.js';
import { GLUE, fitColumns, renderTable, tableWidth, terminalWidth, wrapText } from '../../src/ui/table.js';

// Issue 12 §6: tables fit the terminal. fitColumns is the pure part: column needs and a width in,
// the columns shown and their widths out.

describe('fitColumns', () => {
  const cols = [
    { natural: 11, min: 11 }, // ticket number: never narrowed, never left out
    { natural: 16, min: 16, drop: 1 }, // received: the first to go
    { natural: 30, min: 10 }, // subject: wraps
    { natural: 12, min: 6 }, // unit: wraps
    { natural: 10, min: 10, drop: 2 }, // assignee: the second to go
  ];

  it('keeps every column at its natural width when the table fits', () => {
    const layout = fitColumns(cols, 200);
    expect(layout).toEqual({ shown: [0, 1, 2, 3, 4], widths: [11, 16, 30, 12, 10], fits: true });
    expect(tableWidth(layout.widths)).toBe(95);
  });

  it('narrows the wrapping columns, widest first, before leaving anything out', () => {
    const layout = fitColumns(cols, 85);
    expect(layout.shown).toEqual([0, 1, 2, 3, 4]);
    expect(layout.widths).toEqual([11, 16, 20, 12, 10]);
    expect(tableWidth(layout.widths)).toBe(85);
  });

  it('leaves columns out in their drop order once wrapping is not enough, and widens again', () => {
    const layout = fitColumns(cols, 60);
    expect(layout.shown).toEqual([0, 2, 3, 4]);
    expect(tableWidth(layout.shown.map((i) => layout.widths[i]!))).toBeLessThanOrEqual(60);
    expect(layout.widths[1]).toBe(0);
    const narrower = fitColumns(cols, 45);
    expect(narrower.shown).toEqual([0, 2, 3]);
    expect(narrower.fits).toBe(true);
  });

  it('narrows a column of a lower rank first', () => {
    const ranked = [{ natural: 20, min: 10, rank: 1 }, { natural: 30, min: 10 }, { natural: 27, min: 16, rank: 2 }];
    expect(fitColumns(ranked, 80).widths).toEqual([20, 23, 27]);
    expect(fitColumns(ranked, 65).widths).toEqual([18, 10, 27]);
  });

  it('says when even the narrowest layout is too wide', () => {
    const layout = fitColumns(cols, 20);
    expect(layout.shown).toEqual([0, 2, 3]);
    expect(layout.fits).toBe(false);
    expect(layout.widths).toEqual([11, 0, 10, 6, 0]);
  });
});

describe('wrapText', () => {
  it('breaks English at spaces and Chinese between characters, by display width', () => {
    expect(wrapText('Parcel two weeks late', 10)).toEqual(['Parcel two', 'weeks late']);
    expect(wrapText('快递延误两周仍未送达', 8)).toEqual(['快递延误', '两周仍未', '送达']);
    expect(wrapText('退款 refund 未到账', 8)).toEqual(['退款', 'refund', '未到账']);
  });

  it('keeps words joined by GLUE on one line (a date and its time)', () => {
    expect(wrapText(`首次答复 2026-11-25${GLUE}10:08`, 18)).toEqual(['首次答复', `2026-11-25${GLUE}10:08`]);
  });

  it('cuts a word longer than the line, and keeps line breaks', () => {
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('one\ntwo', 10)).toEqual(['one', 'two']);
  });
});

describe('renderTable', () => {
  it('measures CJK as two columns, wraps inside the cell, and draws no rule between rows', () => {
    const text = renderTable(
      [{ head: '受理单号' }, { head: '主题', wrap: { min: 8 } }],
      [['C2026-00001', '快递延误两周仍未送达，客户多次来电催促'], ['C2026-00002', '发票']],
      { width: 30 },
    );
    const lines = text.split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(lines.filter((l) => l.startsWith('├'))).toHaveLength(1);
    expect(text.replace(/[│ \n]/g, '')).toContain('发票');
  });
});

describe('terminalWidth', () => {
  it("the terminal's columns, else $COLUMNS, else 100", () => {
    expect(terminalWidth(132, { COLUMNS: '80' })).toBe(132);
    expect(terminalWidth(undefined, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth(undefined, {})).toBe(100);
    expect(terminalWidth(undefined, { COLUMNS: 'wide' })).toBe(100);
  });
});
