import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Context } from '../../src/cli/context.js';
import { DEFAULT_APPROVAL_LIMITS } from '../../src/domain/people.js';
import type { Instant } from '../../src/domain/time.js';
import { openStore, type OpenOptions, type Store } from '../../src/store/store.js';
import { initialiseSettings, readSetting } from '../../src/store/settings.js';

// A Context for running commands in-process over a real temp database (made on first use, set in
// Shanghai without an audited event, as the store's tests expect), with a fixed clock and
// captured output (cli/cli's test IOStreams).

export interface TestContext extends Context {
  output: string[];
  errors: string[];
  /** Sets the clock: "now" for the commands that run next. */
  setNow(at: Instant): void;
  close(): Promise<void>;
}

// 2026-11-23 11:00 in Shanghai.
export const TEST_NOW: Instant = Date.UTC(2026, 10, 23, 3, 0);

export function testContext(dbPath: string, options: { now?: Instant; actor?: string; open?: OpenOptions } = {}): TestContext {
  let now = options.now ?? TEST_NOW;
  let store: Promise<Store> | null = null;
  let created = false;
  const output: string[] = [];
  const errors: string[] = [];
  return {
    io: {
      out: (text) => void output.push(text),
      err: (text) => void errors.push(text),
      stdoutIsTTY: false,
      canPrompt: false,
      color: false,
    },
    now: () => now,
    actor: options.actor ?? 'clerk1',
    // A single-person office: the people and permission checks run through the built CLI's tests.
    command: '',
    identity: () => ({ login: options.actor ?? 'clerk1', officeHasPeople: false, person: null, standing: 'single', onBehalfOf: null, actor: options.actor ?? 'clerk1' }),
    access: () => ({ people: new Map(), overrides: {}, limits: DEFAULT_APPROVAL_LIMITS, faultConfirm: null }),
    rule: () => ({ min: 'anyone' }),
    requireUnit() {},
    async authorizeOn() {},
    dbPath,
    makeDbFolder() {
      mkdirSync(dirname(dbPath), { recursive: true });
    },
    store() {
      store ??= (async () => {
        const opened = await openStore(dbPath, { onCreate: () => void (created = true), ...options.open });
        if ((await opened.read((db) => readSetting(db, 'timezone'))) === undefined) await initialiseSettings(opened, 'Asia/Shanghai');
        return opened;
      })();
      return store;
    },
    async createStore() {
      return { store: await this.store(), created };
    },
    prompter() {
      throw new Error('no prompts in tests without a terminal');
    },
    output,
    errors,
    setNow(at) {
      now = at;
    },
    async close() {
      const open = store;
      store = null;
      await (await open?.catch(() => null))?.close();
    },
  };
}
