import type { Policy } from '../../src/domain/lifecycle.js';
import { DEFAULT_STAGES } from '../../src/domain/procedure.js';
import { parseTimeInput, type Instant } from '../../src/domain/time.js';
import { defaultCalendar } from '../../src/domain/working-time.js';

// The office most tests run: Shanghai, the default week and the default SLA table.

export const SHANGHAI = 'Asia/Shanghai';
export const policy: Policy = { calendar: defaultCalendar(SHANGHAI), stages: DEFAULT_STAGES, procedureVersion: 1 };

/** An office time as a clerk writes it, on the Shanghai clock. */
export function at(text: string): Instant {
  const parsed = parseTimeInput(text, SHANGHAI);
  if (parsed?.kind !== 'instant') throw new Error(`test setup: not a time: ${text}`);
  return parsed.at;
}
