import { displayWidth } from './format.js';

// Tables drawn to fit the terminal. cli-table3 measures CJK by string-width, but wraps only at
// spaces (a Chinese subject has none, so it is cut off) and never looks at the terminal's width;
// a 120-column table in a 100-column terminal breaks every row across two lines. So tables are laid
// out here: each column's width from its cells' display width (CJK = 2), long text wrapped inside
// its cell, and when even that is too wide, the least useful columns left out, in an order each
// table fixes. A row is never broken apart.

/** The terminal's width: the TTY's own, else $COLUMNS (cron, a pipe), else 100. */
export function terminalWidth(ttyColumns: number | undefined, env: NodeJS.ProcessEnv): number {
  if (ttyColumns !== undefined && ttyColumns > 0) return ttyColumns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv >= 20 && fromEnv <= 1000 ? fromEnv : 100;
}

/** What the layout knows of a column: its widest cell, how narrow wrapping may make it, when it may go. */
export interface ColumnNeed {
  natural: number;
  /** Narrowest width once wrapped; equal to `natural` for a column that does not wrap. */
  min: number;
  /** Left out first when the table cannot fit: 1 goes before 2; undefined is never left out. */
  drop?: number;
  /** Narrowed before columns of a higher rank (a subject before a due time); 0 unless said. */
  rank?: number;
}

export interface ColumnLayout {
  /** Indexes of the columns shown, in their order. */
  shown: number[];
  /** Content width of every column (0 for one left out). */
  widths: number[];
  /** False when even the narrowest layout is wider than asked (the caller prints it anyway). */
  fits: boolean;
}

/** A bordered table's full width: each column padded by a space each side, plus n+1 borders. */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w + 3, 1);
}

/**
 * Widths for columns that fit `width` terminal columns: every column at its natural width if they
 * fit; else the wrapping columns narrowed, widest first, down to their minimum; else the droppable
 * columns left out one at a time (lowest `drop` first) and the rest laid out again.
 */
export function fitColumns(columns: readonly ColumnNeed[], width: number): ColumnLayout {
  const dropOrder = columns.map((c, i) => ({ i, drop: c.drop })).filter((c) => c.drop !== undefined).sort((a, b) => a.drop! - b.drop! || b.i - a.i);
  const dropped = new Set<number>();
  for (;;) {
    const shown = columns.map((_, i) => i).filter((i) => !dropped.has(i));
    const widths = columns.map((c, i) => (dropped.has(i) ? 0 : c.natural));
    let excess = tableWidth(shown.map((i) => widths[i]!)) - width;
    while (excess > 0) {
      // Narrow the widest column of the lowest rank that still can be, a column at a time, so
      // wrapped columns of a rank end alike.
      let widest = -1;
      const rank = (i: number): number => columns[i]!.rank ?? 0;
      for (const i of shown) {
        if (widths[i]! <= columns[i]!.min) continue;
        if (widest < 0 || rank(i) < rank(widest) || (rank(i) === rank(widest) && widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      widths[widest]! -= 1;
      excess -= 1;
    }
    const next = dropOrder.find((c) => !dropped.has(c.i));
    if (excess <= 0 || next === undefined) return { shown, widths, fits: excess <= 0 };
    dropped.add(next.i);
  }
}

// ---------------------------------------------------------------------------------------------
// Wrapping

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Display width of a cell line that may carry colour codes. */
export function visibleWidth(text: string): number {
  return displayWidth(text.replace(ANSI, ''));
}

const WIDE_CHAR = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/**
 * `text` in lines of at most `width` columns: breaks at spaces, between any two Chinese characters
 * (Chinese has no spaces to break at), and inside a word only when the word alone is too long.
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    // Tokens: a run of spaces, one wide character, or a run of anything else (a word).
    // Only a plain space breaks a line: GLUE (U+00A0) holds a date to its time.
    const tokens = paragraph.match(new RegExp(`[ \\t]+|${WIDE_CHAR.source}|[^ \\t${WIDE_CHAR.source.slice(1, -1)}]+`, 'gu')) ?? [];
    let line = '';
    let lineWidth = 0;
    const flush = (): void => {
      out.push(line.trimEnd());
      line = '';
      lineWidth = 0;
    };
    for (const token of tokens) {
      const w = displayWidth(token);
      if (/^[ \t]+$/.test(token)) {
        if (lineWidth > 0 && lineWidth + w <= width) {
          line += token;
          lineWidth += w;
        } else if (lineWidth > 0) flush();
        continue;
      }
      if (lineWidth + w <= width) {
        line += token;
        lineWidth += w;
        continue;
      }
      if (lineWidth > 0 && w <= width) {
        flush();
        line = token;
        lineWidth = w;
        continue;
      }
      // A word longer than the line: cut it character by character.
      for (const ch of token) {
        const cw = displayWidth(ch);
        if (lineWidth + cw > width && lineWidth > 0) flush();
        line += ch;
        lineWidth += cw;
      }
    }
    if (lineWidth > 0 || out.length === 0 || paragraph === '') flush();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Drawing

export interface TableColumn {
  head: string;
  align?: 'left' | 'right';
  /** Long text (a subject, a unit, an event): wraps inside its cell, down to `min` columns; `rank` as in ColumnNeed. */
  wrap?: { min: number; rank?: number };
  /** Left out when the table cannot fit, lowest first (see fitColumns). */
  drop?: number;
}

/** A cell: text, or text with a style (a colour) applied to each of its lines after wrapping. */
export type TableCell = string | { text: string; style: (line: string) => string };

/** Joins words that must stay on one line when their cell wraps (a date and its time); drawn as a space. */
export const GLUE = '\u00a0';

export interface TableOptions {
  width: number;
  /** A rule between every row, for rows of several lines each (a timeline); lists have none. */
  rowRules?: boolean;
  /** False for a table of names and values, which has no heading row. */
  heads?: boolean;
}

const BOX = { top: ['┌', '┬', '┐'], mid: ['├', '┼', '┤'], bottom: ['└', '┴', '┘'], line: '─', side: '│' } as const;

function cellText(cell: TableCell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

/** The table drawn in box characters, as wide as the terminal allows. */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly TableCell[])[], options: TableOptions): string {
  return drawTable(columns, rows, options).text;
}

/** The table and the heads of the columns left out to fit (a report says which). */
export function drawTable(
  columns: readonly TableColumn[], rows: readonly (readonly TableCell[])[], options: TableOptions,
): { text: string; leftOut: string[] } {
  const lineWidths = (text: string): number => Math.max(0, ...text.split('\n').map(visibleWidth));
  const needs: ColumnNeed[] = columns.map((col, i) => {
    const natural = Math.max(options.heads === false ? 0 : lineWidths(col.head), ...rows.map((r) => lineWidths(cellText(r[i] ?? ''))));
    // A wrapping column's head wraps too (投诉等级 over two lines), so it never holds the column wide.
    const min = col.wrap ? Math.min(natural, col.wrap.min) : natural;
    return { natural, min, rank: col.wrap?.rank ?? 0, ...(col.drop === undefined ? {} : { drop: col.drop }) };
  });
  const { shown, widths } = fitColumns(needs, options.width);
  const rule = (parts: readonly string[]): string => parts[0] + shown.map((i) => BOX.line.repeat(widths[i]! + 2)).join(parts[1]) + parts[2];
  const drawRow = (cells: readonly TableCell[]): string[] => {
    const lines = shown.map((i) => {
      const cell = cells[i] ?? '';
      const text = cellText(cell);
      const wrapped = (columns[i]!.wrap ? wrapText(text, widths[i]!) : text.split('\n')).map((l) => l.replace(/\u00a0/g, ' '));
      return typeof cell === 'string' ? wrapped : wrapped.map((l) => cell.style(l));
    });
    const height = Math.max(...lines.map((l) => l.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      const parts = shown.map((i, j) => {
        const text = lines[j]![k] ?? '';
        const pad = ' '.repeat(Math.max(0, widths[i]! - visibleWidth(text)));
        return columns[i]!.align === 'right' ? pad + text : text + pad;
      });
      out.push(`${BOX.side} ${parts.join(` ${BOX.side} `)} ${BOX.side}`);
    }
    return out;
  };
  const out = [rule(BOX.top), ...(options.heads === false ? [] : [...drawRow(columns.map((c) => c.head)), rule(BOX.mid)])];
  rows.forEach((row, r) => {
    if (options.rowRules && r > 0) out.push(rule(BOX.mid));
    out.push(...drawRow(row));
  });
  out.push(rule(BOX.bottom));
  return { text: out.join('\n'), leftOut: columns.filter((_, i) => !shown.includes(i)).map((c) => c.head) };
}
