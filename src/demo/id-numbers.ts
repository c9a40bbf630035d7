/** @module Synthetic 身份证号 for demo and test data: valid checksum, generated from a seed, not taken from any record of a person. */
import { idCardCheckChar } from '../core/model/id-card.ts';

/** `seq` 0–999 gives the 顺序码; its last digit is odd for 男 and even for 女 as the standard requires. */
export function fakeIdNumber(regionCode: string, birthDate: string, sex: '男' | '女', seq: number): string {
  const base = Math.floor(Math.abs(seq) % 100) * 10;
  const order = String(base + (sex === '男' ? 1 : 2)).padStart(3, '0');
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${order}`;
  return first17 + idCardCheckChar(first17);
}
