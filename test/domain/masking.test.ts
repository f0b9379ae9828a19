import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskPhone, maskTicket, personalFieldsOf } from '../../src/domain/masking.js';
import { readPhone } from '../../src/domain/phone.js';
import type { Ticket } from '../../src/domain/ticket.js';

// Issue 13 §5 (seed 003 §5.3.2, seed 001 保密性): contact details on a need-to-know basis.

/** The phone as the office stores it (domain/phone.ts), then masked. */
const storedThenMasked = (typed: string): string => {
  const reading = readPhone(typed);
  if (!reading.ok) throw new Error(`not a phone: ${typed}`);
  return maskPhone(reading.phone.stored);
};

describe('a phone masked', () => {
  it.each([
    // [typed, masked]
    ['13800138000', '138****8000'],
    ['138 0013 8000', '138****8000'],
    ['+86 138-0013-8000', '138****8000'],
    ['0086 13800138000', '138****8000'],
    ['１３８００１３８０００', '138****8000'],
    ['021-6888 8888', '021-****8888'],
    ['010-12345678', '010-****5678'],
    ['+86 10 1234 5678', '010-****5678'],
    ['0755 8888 8888', '0755-****8888'],
    ['0571-8765432', '0571-****432'],
    ['021-12345678-801', '021-****5678-***'],
    ['021-12345678转801', '021-****5678-***'],
    ['+44 20 7946 0958', '+44 20 **** *958'],
    ['+852 2345 6789', '+852 23** **89'],
    ['+1 (212) 555-0123', '+1 21* *** *123'],
  ])('%s reads %s', (typed, masked) => {
    expect(storedThenMasked(typed)).toBe(masked);
  });

  it('keeps an extension of a foreign number hidden whole', () => {
    expect(maskPhone('+44 20 7946 0958 ext 12')).toBe('+44 20 **** *958 ext **');
  });

  it('of a number kept as typed before the phone rules keeps less the shorter it is', () => {
    expect(maskPhone('555-0100')).toBe('5**-**00');
    expect(maskPhone('123')).toBe('**3');
    expect(maskPhone('7')).toBe('*');
    expect(maskPhone('n/a')).toBe('****');
  });

  it('of full-width digits kept as typed folds them first', () => {
    expect(maskPhone('５５５-０１００')).toBe('5**-**00');
  });

  it('always hides at least four digits of an ordinary number, and never shows the whole of it', () => {
    for (const stored of ['13800138000', '010-12345678', '0571-8765432', '+852 2345 6789', '555-0100']) {
      const masked = maskPhone(stored);
      expect(masked.split('*').length - 1).toBeGreaterThanOrEqual(3);
      expect(masked).not.toBe(stored);
    }
  });
});

describe('an email masked', () => {
  it.each([
    ['li.lei@example.com', 'l***@example.com'],
    ['LEI@Example.COM', 'L***@Example.COM'],
    ['a@b.cn', 'a***@b.cn'],
    ['王@例子.中国', '王***@例子.中国'],
    ['no-at-sign', 'n***'],
  ])('%s reads %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});

describe('an address masked', () => {
  it.each([
    ['上海市浦东新区世纪大道100号', '上海市浦东****'],
    ['北京市朝阳区建国路88号SOHO现代城A座1203室', '北京市朝阳区****'],
    ['杭州西湖', '杭****'],
    ['12 Oak Street, Springfield', '12 Oak****'],
    ['A', '****'],
  ])('%s reads %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });
});

describe('a ticket masked', () => {
  const ticket = {
    no: 'C2026-00001',
    complainant: { name: '张三', anonymous: false, phone: '13800138000', email: 'zhang@example.com', address: '上海市浦东新区世纪大道100号', org: '某公司' },
  } as unknown as Ticket;

  it('hides the phone, email and address and keeps the name and organisation', () => {
    const masked = maskTicket(ticket);
    expect(masked.complainant).toEqual({
      name: '张三', anonymous: false, phone: '138****8000', email: 'z***@example.com', address: '上海市浦东****', org: '某公司',
    });
    expect(ticket.complainant.phone).toBe('13800138000');
  });

  it('names the contact fields it holds, and leaves a missing one missing', () => {
    expect(personalFieldsOf(ticket)).toEqual(['phone', 'email', 'address']);
    const phoneOnly = { ...ticket, complainant: { ...ticket.complainant, email: null, address: null } } as Ticket;
    expect(personalFieldsOf(phoneOnly)).toEqual(['phone']);
    expect(maskTicket(phoneOnly).complainant.email).toBeNull();
  });
});
