import { t } from '../messages/index.js';
import { fromCents } from './ticket-json.js';

// Small formatters shared by commands that print one line; kept apart from the table renderers so
// that printing a receipt does not load cli-table3.

/** Items of a sentence: `a, b` in English, `a、b` in Chinese. */
export function joinItems(items: readonly string[]): string {
  return items.join(t('item_separator'));
}

export function formatMoney(cents: number | null): string {
  return cents === null ? t('none') : (fromCents(cents) as number).toFixed(2);
}

/** An amount as a sentence names it, the currency's sign and thousands grouped: ¥20,000.00. */
export function formatYuan(cents: number | null): string {
  if (cents === null) return t('none');
  return `¥${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Minutes as `2h 30m`, 2小时30分 (working time, as the office counts it). */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  const h = Math.floor(m / 60);
  return h > 0 ? t('minutes_hours', { h, m: String(m % 60).padStart(2, '0') }) : t('minutes_only', { m });
}

// Chinese characters take two columns of a terminal (East Asian Wide and Fullwidth, UAX #11): a
// label padded by its length would push the values after it out of line.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/** The columns `text` takes in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** `text` padded with spaces to `width` terminal columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
