import { describe, expect, it } from 'vitest';
import { nearest, parseChoice } from '../../src/cli/input.js';
import { UsageError } from '../../src/domain/errors.js';

// Issue 12 §6: an unknown choice names the nearest accepted one, by code or by label, only when it
// is one slip of the keyboard or the input method away (two for long words).

const CHANNELS = ['phone', 'email', 'web', 'letter', 'visit', 'social', 'forum', 'internal', 'other'];
const CATEGORY_LABELS = ['product', 'service', 'price', 'delivery', '产品', '服务', '价格', '配送'];

describe('the nearest accepted choice', () => {
  const cases: [string, string, readonly string[], string[]][] = [
    ['a letter missing', 'phon', CHANNELS, ['phone']],
    ['a letter extra', 'emaill', CHANNELS, ['email']],
    ['two letters swapped', 'lettre', CHANNELS, ['letter']],
    ['case and full width do not count', 'ＰＨＯＮ', CHANNELS, ['phone']],
    ['a wrong character from the input method', '配逹', CATEGORY_LABELS, ['配送']],
    ['two slips in a long word', 'dellivry', CATEGORY_LABELS, ['delivery']],
    ['two slips in a short word: too far', 'fonee', CHANNELS, []],
    ['nothing alike', 'carrier pigeon', CHANNELS, []],
    ['an unrelated Chinese word', '天气', CATEGORY_LABELS, []],
    ['equally near: both named', '重耍', ['一般', '重要', '重大'], ['重要', '重大']],
    ['blank', '  ', CHANNELS, []],
  ];
  it.each(cases)('%s: %s', (_what, typed, candidates, expected) => {
    expect(nearest(typed, candidates)).toEqual(expected);
  });

  it('the refusal says it, and stays bad_choice when nothing is near', () => {
    const refusal = (value: string): UsageError => {
      try {
        parseChoice('--channel', value, CHANNELS);
      } catch (e) {
        if (e instanceof UsageError) return e;
      }
      throw new Error('accepted');
    };
    expect(refusal('phon')).toMatchObject({ key: 'bad_choice_near', params: { suggestion: 'phone' } });
    expect(refusal('zzz')).toMatchObject({ key: 'bad_choice' });
  });
});
