import { t } from '../messages/index.js';
import { fromCents } from './ticket-json.js';

// Small formatters shared by commands that print one line; kept apart from the table renderers so
// that printing a receipt does not load cli-table3.

export function formatMoney(cents: number | null): string {
  return cents === null ? t('none') : (fromCents(cents) as number).toFixed(2);
}

/** Minutes as `2h 30m` (working time, as the office counts it). */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h ${String(m % 60).padStart(2, '0')}m` : `${m}m`;
}
