import { Chalk, type ChalkInstance } from 'chalk';

/** Colours only on a terminal, and never when NO_COLOR is set (decided in the Context). */
export function palette(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
