import type { Tallies } from '../domain/report.js';
import { readSetting } from './settings.js';
import type { Db } from './store.js';

// What the report asks of the store. The aggregates themselves are the engine's
// (Db.periodTallies and Db.trendTallies): their SQL leans on its index hints and JSON functions.

export interface TallyOptions {
  /** Group by unit, category, channel and severity (the breakdowns); off for trend months. */
  grouped: boolean;
  /** A trend month: received, closed, surveys and first-reply timeliness only. */
  trend?: boolean;
  /** Grouped by the ticket's handler instead (`report --by person`), in the unit's place. */
  by?: 'assignee';
}

export interface PeriodTallies {
  tallies: Tallies;
  medianResolutionMinutes: number | null;
}

export async function countTickets(db: Db): Promise<number> {
  const row = await db.first(db.qb.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')));
  return row?.n ?? 0;
}

/** seed 000: units below this satisfaction rate two periods running are named (settings key). */
export async function flagThreshold(db: Db, fallback: number): Promise<number> {
  const value = await readSetting<number>(db, 'report_flag_threshold');
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : fallback;
}
