/** Test households with valid synthetic 身份证号, unique per call so test files can share a database. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPacks, PACKS_DIR } from '../../src/packs/load.ts';
import type { CompiledPack } from '../../src/core/pack/compile.ts';
import type { HouseholdInput } from '../../src/core/model/household.ts';
import { fakeIdNumber } from '../../src/demo/id-numbers.ts';
import { DomainError } from '../../src/core/errors.ts';

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 7);

/** A birth date that is unique per call (days since 1960), so 身份证号 never collide across tests. */
function nextBirthDate(): string {
  counter += 1;
  const day = new Date(Date.UTC(1960, 0, 1) + ((counter * 37 + Math.floor(Math.random() * 20000)) % 20000) * 86400000);
  return day.toISOString().slice(0, 10);
}

export function uniqueId(): string {
  counter += 1;
  return `T-${prefix}-${counter}`;
}

export function idNumber(sex: '男' | '女' = '男', region = '500112'): string {
  return fakeIdNumber(region, nextBirthDate(), sex, Math.floor(Math.random() * 100));
}

export const YUBEI = { county: '渝北区', town: '兴隆镇', village: '牌坊村' };
export const YUBEI_OTHER_VILLAGE = { county: '渝北区', town: '兴隆镇', village: '杉树村' };
export const YUZHONG = { county: '渝中区', town: '解放碑街道', village: '民生路社区' };

export function household(area: { county: string; town?: string; village?: string } = YUBEI, overrides: Partial<HouseholdInput> = {}): HouseholdInput {
  return {
    id: uniqueId(),
    area,
    categories: [{ type: '脱贫户', from: '2020-01-01' }],
    incomePerHead: { amountYuan: 800, period: '月' },
    members: [
      { name: '张建国', idNumber: idNumber('男'), relation: '户主', localHukou: true, insurance: { medicalEnrolled: true } },
      { name: '李秀英', idNumber: idNumber('女'), relation: '配偶', localHukou: true, insurance: { medicalEnrolled: true } },
    ],
    ...overrides,
  };
}

let testPacks: CompiledPack[] | undefined;
/** The template pack only, so storage and API tests do not depend on packs other sessions are still writing. */
export function templatePacks(): CompiledPack[] {
  if (!testPacks) {
    const root = mkdtempSync(join(tmpdir(), 'mingbai-packs-'));
    cpSync(join(PACKS_DIR, 'cq-yubei-2022'), join(root, 'cq-yubei-2022'), { recursive: true });
    testPacks = loadPacks(root);
  }
  return testPacks;
}

/** The DomainError a storage call fails with; fails the test if it succeeds or throws anything else. */
export async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
