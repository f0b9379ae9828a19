import { describe, expect, it } from 'vitest';
import { mergeLastNumbers, numbersToSkip, type LastNumbers, type SkippedRange } from '../../src/domain/numbering.js';

// Issue 9 §8: after a restore, no number any witness knew is given again.

describe('numbersToSkip', () => {
  it.each<[string, LastNumbers, LastNumbers[], SkippedRange[]]>([
    ['nothing given since the copy', { 2026: 3 }, [{ 2026: 3 }], []],
    ['the replaced file gave 4 and 5', { 2026: 3 }, [{ 2026: 5 }], [{ year: 2026, from: 4, to: 5 }]],
    ['the highest witness wins', { 2026: 3 }, [{ 2026: 5 }, { 2026: 9 }, { 2026: 4 }], [{ year: 2026, from: 4, to: 9 }]],
    ['a witness behind the copy (an older anchor line) changes nothing', { 2026: 7 }, [{ 2026: 2 }], []],
    ['a year the copy never saw', { 2026: 10 }, [{ 2026: 10, 2027: 2 }], [{ year: 2027, from: 1, to: 2 }]],
    ['years in order', { 2025: 1 }, [{ 2027: 1 }, { 2025: 4 }], [{ year: 2025, from: 2, to: 4 }, { year: 2027, from: 1, to: 1 }]],
    ['no witness at all', { 2026: 3 }, [], []],
  ])('%s', (_case, copy, witnesses, skipped) => {
    expect(numbersToSkip(copy, witnesses)).toEqual(skipped);
  });
});

describe('mergeLastNumbers', () => {
  it('takes the higher of two views of one file, year by year', () => {
    expect(mergeLastNumbers({ 2026: 5, 2025: 9 }, { 2026: 7 }, {})).toEqual({ 2025: 9, 2026: 7 });
  });
});
