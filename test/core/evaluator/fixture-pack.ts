// A small pack built in code to test the evaluator's semantics independent of the real packs' content.
import { compilePack, type CompiledPack } from '../../../src/core/pack/compile.ts';
import type { PackSource } from '../../../src/core/pack/format.ts';

const base = { name: '测试', category: '教育', section: '测试', audience: '测试对象', benefit: '测试', authority: [], basis: [] } as const;

export function fixturePack(overrides: Partial<PackSource['manifest']> = {}): CompiledPack {
  const source = {
    manifest: {
      id: 'fixture', version: '1.0.0', name: '测试包',
      source: { file: 'fixture.txt', title: '测试', issuer: '测试', year: '2022' },
      jurisdiction: { province: '重庆市', counties: ['测试区'] },
      period: { from: '2022-01-01', to: '2024-12-31' },
      periodNote: '测试',
      sections: ['s'],
      ...overrides,
    },
    sections: [{
      section: 's',
      policies: [
        {
          ...base, id: 'junior', subject: 'member', quote: '初中阶段',
          conditions: [
            { label: '脱贫户', when: '"脱贫户" in household.categories', quote: '脱贫家庭' },
            { label: '初中', when: 'member.stage == "初中"', quote: '初中阶段' },
          ],
          amount: [
            { when: 'member.boarding', yuan: 1250, unit: '元/年', quote: '寄宿生生活补助1250元/年' },
            { when: '!member.boarding', yuan: 1400, unit: '元/年', quote: '非寄宿生“营养午餐”补助1400元/年' },
          ],
        },
        {
          ...base, id: 'premium', subject: 'member', quote: '定额资助',
          conditions: [{ label: '脱贫户', when: '"脱贫户" in household.categories', quote: '脱贫的原文' }],
          parameters: { subsidy: [
            { from: '2022-01-01', yuan: 100, quote: '100元' },
            { from: '2023-01-01', yuan: 50, quote: '50元的原文' },
            { from: '2024-01-01', yuan: null, quote: '2024 年按规定退出' },
          ] },
          amount: [{ param: 'subsidy', unit: '元/人', kind: 'premium', quote: '定额资助' }],
        },
        {
          ...base, id: 'general-grant', subject: 'member', quote: '一般补助', slot: 'grant',
          conditions: [{ label: '中职', when: 'member.stage == "中职"', quote: '中职的原文' }],
          amount: [{ yuan: 3000, unit: '元/年', quote: '3000' }],
        },
        {
          ...base, id: 'local-grant', subject: 'member', quote: '本地补助', slot: 'grant',
          overrides: [{ policy: 'general-grant', reason: '本地标准优先' }],
          conditions: [{ label: '中职且脱贫户', when: 'member.stage == "中职" && "脱贫户" in household.categories', quote: '本地的原文' }],
          amount: [{ yuan: 3500, unit: '元/年', quote: '3500' }],
        },
        {
          ...base, id: 'other-grant', subject: 'member', quote: '另一补助', slot: 'grant',
          conditions: [{ label: '中职且寄宿', when: 'member.stage == "中职" && member.boarding', quote: '寄宿的原文' }],
          amount: [{ yuan: 500, unit: '元/年', quote: '500的原文' }],
        },
        {
          ...base, id: 'yulu', subject: 'member', quote: '雨露计划',
          excludedBy: [{ policy: 'local-grant', quote: '不同时享受' }],
          conditions: [{ label: '中职', when: 'member.stage == "中职"', quote: '中职的原文' }],
          amount: [{ yuan: 3000, unit: '元/年', quote: '3000元' }],
        },
        {
          ...base, id: 'gradual-exit', subject: 'household', quote: '渐退期的原文',
          conditions: [
            { label: '收入高于低保标准', when: 'household.incomePerHeadMonthlyFen > local.dibaoStandardMonthlyFen', quote: '超过低保标准' },
            { label: '收入低于1.5倍', when: 'household.incomePerHeadMonthlyFen * 2 < local.dibaoStandardMonthlyFen * 3', quote: '低于1.5倍' },
          ],
          amount: [{ formulaFen: 'local.dibaoStandardMonthlyFen * 2', unit: '元/月', quote: '2倍的原文' }],
        },
        {
          ...base, id: 'late', subject: 'household', quote: '后来的政策', valid: { from: '2023-07-01' },
          conditions: [{ label: '任何户', when: 'true', quote: '任何的原文' }],
        },
      ],
    }],
  };
  return compilePack(source as unknown as PackSource);
}
