/** @module 居民身份证号 (GB 11643-1999): checksum verification and the birth date and sex it encodes. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdCardProblem = 'format' | 'birthDate' | 'checksum';

export interface IdCardInfo {
  birthDate: string; // YYYY-MM-DD
  sex: '男' | '女';
  regionCode: string;
}

/** The check character the standard computes for the first 17 digits. */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

export function checkIdCard(id: string): IdCardProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const birth = id.slice(6, 14);
  if (!isRealDate(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`)) return 'birthDate';
  if (idCardCheckChar(id.slice(0, 17)) !== id[17]) return 'checksum';
  return null;
}

/** Reads birth date and sex from a valid number; call checkIdCard first. */
export function readIdCard(id: string): IdCardInfo {
  const b = id.slice(6, 14);
  return {
    birthDate: `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`,
    sex: Number(id[16]) % 2 === 1 ? '男' : '女',
    regionCode: id.slice(0, 6),
  };
}

/** 110101********1234 style: keeps the region and the last four, hides the birth date. */
export function maskIdCard(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '******';
}

export function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Whole years between a birth date and a date, both YYYY-MM-DD (a birthday counts on its day). */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
