import { describe, expect, it } from 'vitest';
import { emailSearchKey, phoneSearchKey, readPhone } from '../../src/domain/phone.js';

// Issue 12 item 2: a phone as a Chinese office's clerks type it, and the key that finds it again.

describe('a phone number as typed', () => {
  it.each([
    // [typed, kind, stored, key]
    ['13800138000', 'mobile', '13800138000', '8613800138000'],
    ['138 0013 8000', 'mobile', '13800138000', '8613800138000'],
    ['138-0013-8000', 'mobile', '13800138000', '8613800138000'],
    ['１３８００１３８０００', 'mobile', '13800138000', '8613800138000'],
    ['+86 138-0013-8000', 'mobile', '13800138000', '8613800138000'],
    ['+8613800138000', 'mobile', '13800138000', '8613800138000'],
    ['0086 13800138000', 'mobile', '13800138000', '8613800138000'],
    ['(+86) 139.1234.5678', 'mobile', '13912345678', '8613912345678'],
    ['010-12345678', 'landline', '010-12345678', '861012345678'],
    ['(010) 12345678', 'landline', '010-12345678', '861012345678'],
    ['（０１０）１２３４５６７８', 'landline', '010-12345678', '861012345678'],
    ['0755 8888 8888', 'landline', '0755-88888888', '8675588888888'],
    ['0571-8765432', 'landline', '0571-8765432', '865718765432'],
    ['021-12345678-801', 'landline', '021-12345678-801', '862112345678'],
    ['021-12345678转801', 'landline', '021-12345678-801', '862112345678'],
    ['021 1234 5678 ext. 801', 'landline', '021-12345678-801', '862112345678'],
    ['+86 10 1234 5678', 'landline', '010-12345678', '861012345678'],
    ['+86 (0)10 1234 5678', 'landline', '010-12345678', '861012345678'],
    ['0086-21-12345678', 'landline', '021-12345678', '862112345678'],
    ['+44 20 7946 0958', 'foreign', '+44 20 7946 0958', '442079460958'],
    ['+44 (0)20 7946-0958', 'foreign', '+44 20 7946 0958', '442079460958'],
    ['+852 2345 6789', 'foreign', '+852 2345 6789', '85223456789'],
    ['00852 2345 6789', 'foreign', '+852 2345 6789', '85223456789'],
    ['+1 (212) 555-0123', 'foreign', '+1 212 555 0123', '12125550123'],
  ])('%s is a %s number kept as %s', (typed, kind, stored, key) => {
    expect(readPhone(typed)).toEqual({ ok: true, phone: { kind, stored, key } });
  });

  it.each([
    ['1380013800', 'mobile'],
    ['138001380001', 'mobile'],
    ['12800138000', 'mobile'],
    ['+86 1380013800', 'mobile'],
    ['12345678', 'area_code'],
    ['010-1234567', 'landline'],
    ['010-02345678', 'landline'],
    ['0755-123456', 'landline'],
    ['+44 1234', 'foreign'],
    ['+0 1234 5678', 'foreign'],
    ['+44 1234 5678 9012 3456', 'foreign'],
    ['123', 'form'],
    ['call me', 'form'],
    ['138O0138000', 'form'],
    ['', 'form'],
  ])('%s is refused by the %s rule', (typed, rule) => {
    expect(readPhone(typed)).toEqual({ ok: false, rule });
  });
});

describe('the search key', () => {
  it('is the same however the number was written', () => {
    const keys = ['13800138000', '138 0013 8000', '+86 138-0013-8000', '１３８ ００１３ ８０００', '0086 138 0013 8000'].map(phoneSearchKey);
    expect(new Set(keys)).toEqual(new Set(['8613800138000']));
  });

  it('leaves out a landline extension: the switchboard is the same caller', () => {
    expect(phoneSearchKey('021-12345678-801')).toBe(phoneSearchKey('021 1234 5678'));
  });

  it('of a phone kept as typed before the rules is its digits', () => {
    expect(phoneSearchKey('123')).toBe('123');
    expect(phoneSearchKey('555-0100')).toBe('5550100');
    expect(phoneSearchKey('n/a')).toBeNull();
  });

  it('of an email is the address in lower case', () => {
    expect(emailSearchKey(' Wang.Li@Example.COM ')).toBe('wang.li@example.com');
    expect(emailSearchKey('ｗａｎｇ@example.com')).toBe('wang@example.com');
  });
});
