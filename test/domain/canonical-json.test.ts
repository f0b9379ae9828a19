import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, same } from '../../src/domain/events.js';

// The event hash chain is computed over canonicalJson: the same value must always give the same
// text whatever order its keys were built in, and the text must be the value's JSON.
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse().map(([k, v]) => [k, reversedKeys(v)]));
}

describe('canonical JSON', () => {
  it('is the value\'s JSON, independent of the order keys were added in', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const text = canonicalJson(v);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      expect(canonicalJson(reversedKeys(v))).toBe(text);
    }), { numRuns: 500 });
  });

  it('ignores key order, keeps array order, drops undefined like JSON does', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 2], c: '王' } })).toBe('{"a":{"c":"王","d":[3,2]},"b":1}');
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(canonicalJson(Infinity)).toBe('null');
  });

  it('same() agrees with comparing canonical JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => same(a, b) === (canonicalJson(a) === canonicalJson(b))), { numRuns: 500 });
    fc.assert(fc.property(fc.jsonValue(), (a) => same(a, JSON.parse(JSON.stringify(a)))), { numRuns: 200 });
  });
});
