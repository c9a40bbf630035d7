import { describe, expect, it } from 'vitest';
import { ageOn, checkIdCard, idCardCheckChar, maskIdCard, readIdCard } from './id-card.ts';

describe('居民身份证号', () => {
  // GB 11643-1999 worked example: 11010519491231002 → check character X.
  it('computes the check character of the standard example', () => expect(idCardCheckChar('11010519491231002')).toBe('X'));
  it('accepts a number whose check character matches', () => expect(checkIdCard('11010519491231002X')).toBeNull());
  it('rejects a wrong check character', () => expect(checkIdCard('110105194912310021')).toBe('checksum'));
  it('rejects a birth date that does not exist', () => expect(checkIdCard(`11010519490231002${idCardCheckChar('11010519490231002')}`)).toBe('birthDate'));
  it('rejects the wrong length or characters', () => {
    expect(checkIdCard('11010519491231002')).toBe('format');
    expect(checkIdCard('1101051949123100xX')).toBe('format');
  });
  it('reads birth date and sex (17th digit odd = 男)', () => {
    expect(readIdCard('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: '女', regionCode: '110105' });
  });
  it('masks the birth date and sequence but keeps region and last four', () => expect(maskIdCard('11010519491231002X')).toBe('110105********002X'));
  it('counts age in whole years, a birthday counting on its day', () => {
    expect(ageOn('2010-09-01', '2016-08-31')).toBe(5);
    expect(ageOn('2010-09-01', '2016-09-01')).toBe(6);
    expect(ageOn('2008-02-29', '2009-02-28')).toBe(0);
  });
});
