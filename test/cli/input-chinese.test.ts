import { describe, expect, it } from 'vitest';
import {
  parseAmount, parseDeadline, parseDurationText, parsePastTime, parsePeriodBound, parsePhone, parseScore, parseTicketNo, parseWholeNumber, parseYear,
} from '../../src/cli/input.js';
import { parseDates, parseWindows } from '../../src/domain/office-hours.js';
import { parseDateInput } from '../../src/domain/time.js';
import { defaultCalendar } from '../../src/domain/working-time.js';
import { setLanguage } from '../../src/messages/index.js';
import { at, SHANGHAI } from '../support/office.js';
import { refusal } from '../support/refusal.js';

// Issue 12 item 2: what a Chinese office's clerks type. Full-width forms from an input method, the
// slash and 年月日 dates, 元 and ¥, and phones as the numbering plan has them.

const NOW = at('2026-11-24 14:00');
const cal = defaultCalendar(SHANGHAI);


describe('times as the office writes them', () => {
  it.each([
    ['2026-11-24 10:00', '2026-11-24 10:00'],
    ['２０２６－１１－２４ １０：００', '2026-11-24 10:00'],
    ['2026/11/24 10:00', '2026-11-24 10:00'],
    ['2026/1/5 9:30', '2026-01-05 09:30'],
    ['２０２６／１１／２４　１０：００', '2026-11-24 10:00'],
    ['2026年11月24日 10:00', '2026-11-24 10:00'],
    ['2026年11月24日10:00', '2026-11-24 10:00'],
    ['2026年11月24日 10点', '2026-11-24 10:00'],
    ['2026年11月24日10点30分', '2026-11-24 10:30'],
    ['2026年11月24日 10时30', '2026-11-24 10:30'],
    ['2026年11月24号 10:00', '2026-11-24 10:00'],
    ['２０２６年１１月２４日　１０：００', '2026-11-24 10:00'],
  ])('%s is %s', (typed, meant) => {
    expect(parsePastTime('--at', typed, cal, NOW)).toBe(at(meant));
  });

  it.each([
    '2026年11月24日 下午3点', '2026年13月24日 10:00', '2026/11/31 10:00', '2026年11月24日 25:00', '2026年11月24日 10点61分',
    '2026/11/24/10:00', '24/11/2026 10:00', '2026年11月 10:00', '11月24日 10:00',
  ])('%s is refused naming the accepted forms', (typed) => {
    const { line, exitCode } = refusal(() => parsePastTime('--at', typed, cal, NOW));
    expect(exitCode).toBe(2);
    expect(line).toContain('YYYY/MM/DD HH:MM');
    expect(line).toContain('YYYY年MM月DD日 HH:MM');
  });

  it.each([
    ['2026/12/01', '2026-12-01'],
    ['2026年12月1日', '2026-12-01'],
    ['２０２６－１２－０１', '2026-12-01'],
  ])('a bare date %s is the date %s wherever a date is accepted', (typed, date) => {
    expect(parseDateInput(typed)).toBe(date);
    expect(parsePeriodBound('--from', typed, SHANGHAI, NOW, '')).toBe(at(`${date} 00:00`));
    expect(parseDeadline('--due', typed, cal, NOW)).toBe(parseDeadline('--due', date, cal, NOW));
    expect(parseDates(typed)).toEqual([date]);
  });

  it('a calendar range in Chinese dates', () => {
    expect(parseDates('2026年10月1日..2026年10月3日')).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']);
    expect(refusal(() => parseDates('2026年10月32日')).line).toContain('YYYY年MM月DD日');
  });
});

describe('amounts in yuan', () => {
  it.each([
    ['25元', 2500],
    ['25 元', 2500],
    ['¥1,234.50', 123_450],
    ['￥1,234.50', 123_450],
    ['¥ 80', 8000],
    ['１，２３４．５元', 123_450],
    ['２５', 2500],
    ['1,200元', 120_000],
  ])('%s is %i cents', (typed, cents) => {
    expect(parseAmount('--amount', typed)).toBe(cents);
  });

  it.each(['$25', '25 USD', '25美元', '€10', 'HK$100', '100港币', 'USD 100'])('%s is refused as not yuan', (typed) => {
    const { line, exitCode } = refusal(() => parseAmount('--amount', typed));
    expect(exitCode).toBe(2);
    expect(line).toBe(`--amount: '${typed}' is not in yuan; amounts are in yuan: 25, 25元, ¥1,234.50`);
  });

  it.each(['元', '¥', 'abc元', '25元元', '99,99元'])('%s is refused', (typed) => {
    expect(refusal(() => parseAmount('--amount', typed)).exitCode).toBe(2);
  });
});

describe('numbers and ticket numbers in full width', () => {
  it('reads each as its plain form', () => {
    expect(parseTicketNo('Ｃ２０２６－００００３', NOW)).toBe('C2026-00003');
    expect(parseTicketNo('ｃ２０２６－３', NOW)).toBe('C2026-00003');
    expect(parseWholeNumber('--limit', '２０', 1, 100)).toBe(20);
    expect(parseScore('５')).toBe(5);
    expect(parseYear('--year', '２０２６', NOW, SHANGHAI)).toBe(2026);
    expect(parseDurationText('--within', '４ｗｈ')).toEqual(parseDurationText('--within', '4wh'));
    expect(parseWindows('０９：００－１２：００，１３：００－１８：００')).toEqual(parseWindows('09:00-12:00,13:00-18:00'));
  });
});

describe('phones through the CLI reader', () => {
  it.each([
    ['１３８００１３８０００', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['(010) 12345678', '010-12345678'],
    ['0755 8888 8888', '0755-88888888'],
    ['021-12345678转801', '021-12345678-801'],
    ['+44 20 7946 0958', '+44 20 7946 0958'],
  ])('%s is kept as %s', (typed, stored) => {
    expect(parsePhone(typed)).toBe(stored);
  });

  it.each([
    ['1380013800', 'a mobile number is 11 digits starting 13 to 19', '手机号码是以 13～19 开头的 11 位数字'],
    ['12345678', 'a landline needs its area code', '固定电话须带区号'],
    ['123', 'give a mobile (13800138000)', '请填写手机号码'],
  ])('%s is refused in one line naming the rule, in English and Chinese', async (typed, en, zh) => {
    const english = refusal(() => parsePhone(typed));
    expect(english.exitCode).toBe(2);
    expect(english.line).toContain(`--phone: '${typed}' is not a phone number; ${en}`);
    await setLanguage('zh-CN');
    try {
      const chinese = refusal(() => parsePhone(typed));
      expect(chinese.line).toContain(`--phone：“${typed}”不是有效的电话号码；${zh}`);
      expect(chinese.line.split('\n')).toHaveLength(1);
    } finally {
      await setLanguage('en');
    }
  });
});

// Review of issue 12: only full-width forms fold. NFKC would also read superscripts, circled and
// other compatibility digits as plain ones, and a slash date ran into a time with no space.
describe('only full-width forms count as plain', () => {
  it.each([
    ['--amount', () => parseAmount('--amount', '2⁵')],
    ['--amount', () => parseAmount('--amount', '10²')],
    ['ticket', () => parseTicketNo('C2026-⑩')],
    ['--limit', () => parseWholeNumber('--limit', '⑤', 1, 100)],
    ['--at', () => parsePastTime('--at', '2026年11月24日 ⑩点', cal, NOW)],
    ['--at', () => parsePastTime('--at', '2026/1/110:00', cal, NOW)],
  ])('%s refuses a compatibility form or a run-together slash date', (field, run) => {
    const r = refusal(run);
    expect(r.exitCode).toBe(2);
    expect(r.line.startsWith(field)).toBe(true);
  });

  it('still folds the full-width forms an input method types', () => {
    expect(parseAmount('--amount', '１，２３４．５元')).toBe(123_450);
    expect(parseTicketNo('Ｃ２０２６－１０')).toBe('C2026-00010');
    expect(parseWholeNumber('--limit', '５', 1, 100)).toBe(5);
  });

  it('takes the yuan however an office names it: RMB, CNY, 人民币', () => {
    for (const typed of ['RMB 25', 'rmb25', '25 CNY', '人民币25元', '¥25']) expect(parseAmount('--amount', typed)).toBe(2_500);
  });
});
