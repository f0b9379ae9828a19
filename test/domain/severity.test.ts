import { describe, expect, it } from 'vitest';
import { suggestSeverity, type SeverityFacts } from '../../src/domain/severity.js';

const facts = (over: Partial<SeverityFacts>): SeverityFacts => ({ amountCents: null, safety: false, external: false, group: false, ...over });
const yuan = (n: number): number => n * 100;

// seed 004 §3.1 as SPEC §2 distils it.
describe('the suggested severity', () => {
  it.each([
    ['a claim of 20000', facts({ amountCents: yuan(20_000) }), 'major', ['amount_major']],
    ['a claim of exactly 10000', facts({ amountCents: yuan(10_000) }), 'major', ['amount_major']],
    ['a claim of 9999.99', facts({ amountCents: yuan(10_000) - 1 }), 'important', ['amount_important']],
    ['a claim of 500', facts({ amountCents: yuan(500) }), 'important', ['amount_important']],
    ['a claim of 499.99', facts({ amountCents: yuan(500) - 1 }), 'general', []],
    ['a safety risk', facts({ safety: true }), 'major', ['safety']],
    ['a regulator, the media or a consumer association involved', facts({ external: true }), 'major', ['external']],
    ['a group complaint', facts({ group: true }), 'major', ['group']],
    ['a small claim with a safety risk', facts({ amountCents: yuan(600), safety: true }), 'major', ['safety']],
    ['a large group claim in the press', facts({ amountCents: yuan(50_000), external: true, group: true }), 'major', ['amount_major', 'external', 'group']],
    ['nothing of the above', facts({}), 'general', []],
    ['a claim of 0', facts({ amountCents: 0 }), 'general', []],
  ] as const)('%s -> %s', (_label, given, severity, reasons) => {
    expect(suggestSeverity(given)).toEqual({ severity, reasons });
  });
});
