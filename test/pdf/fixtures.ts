// Inputs for the 明白纸 tests: example households screened with the real packs, a layout stress pack built in code,
// and pdftotext. pdftotext (poppler-utils) and the CJK font (fonts-noto-cjk) are required: a missing one fails the test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHouseholdFile } from '../../src/cli/read-input.ts';
import { screenHousehold } from '../../src/core/evaluator/evaluate.ts';
import { compilePack, type CompiledPack } from '../../src/core/pack/compile.ts';
import type { PackSource, PolicySource } from '../../src/core/pack/format.ts';
import { loadPacks } from '../../src/packs/load.ts';
import { localFactsFromYuan } from '../../src/packs/local.ts';
import type { MingbaizhiInput } from '../../src/pdf/mingbaizhi.ts';

/** Local figures as in examples/demo.yaml (illustrative settings, not policy text). */
export const DEMO_LOCAL = { dibaoStandardMonthlyYuan: 660, minimumWageMonthlyYuan: 2100 };

export function screenedExample(file: string, date: string, packs: readonly CompiledPack[] = loadPacks()): MingbaizhiInput {
  const household = readHouseholdFile(join('examples', file));
  const result = screenHousehold(packs, household, date, { local: localFactsFromYuan(DEMO_LOCAL) });
  return { household, result, packs };
}

/** The text of each page of a PDF (pdftotext separates pages with a form feed). */
export function pdfPages(pdf: Buffer, layout = false): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mingbai-pdf-'));
  try {
    const file = join(dir, 'm.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return text.split('\f').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text without any whitespace, so a phrase that wraps inside a table cell is still found. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

export const STRESS_CATEGORIES = ['医疗', '教育', '住房', '就业', '产业', '社会救助', '养老', '残疾'] as const;
export const STRESS_ENTITLEMENTS = 36;
const UNITS = ['元/人·年', '元/月', '元/生·学期', '元/户'];
const KINDS = ['cash', 'waiver', 'premium', 'cash', 'cap'] as const;

/** Policy i of the stress pack: a short marker name (found whole by pdftotext) and a unique amount 1001.25 + i. */
export function stressPolicy(i: number): { marker: string; amount: string; category: string } {
  return { marker: `版式测试${String(i).padStart(2, '0')}号`, amount: `${1001 + i}.25`, category: STRESS_CATEGORIES[i % STRESS_CATEGORIES.length] as string };
}

/**
 * A pack made up for layout only (not policy): 36 entitlements for 渝北区 with long names and texts, some for the whole
 * household, some for adults or children only, plus ★/● measures and policies that wait for facts nobody entered.
 */
export function stressPack(): CompiledPack {
  const common = { section: '版式测试', audience: '版式测试对象', basis: ['《版式测试文件》'], quote: '版式测试原文' };
  const policies: PolicySource[] = [];
  for (let i = 0; i < STRESS_ENTITLEMENTS; i++) {
    const { marker, amount, category } = stressPolicy(i);
    const household = i % 4 === 3;
    const when = household ? 'year >= 2020' : i % 3 === 0 ? 'member.age >= 18' : 'member.age >= 0';
    policies.push({
      ...common,
      id: `stress.p${i}`,
      name: i % 5 === 0 ? `${marker}：城乡居民基本养老保险缴费补贴及高龄老人生活补助（名称很长的政策）` : `${marker}补助`,
      category: category as PolicySource['category'],
      authority: i % 6 === 0
        ? [{ department: '区人力社保局', phone: '023-67821234' }, { department: '区民政局社会救助科', phone: '023-67825678' }]
        : [{ department: '区乡村振兴局', phone: '023-6782000' + (i % 10) }],
      subject: household ? 'household' : 'member',
      benefit: i % 3 === 0 ? '按规定标准发放，每年核定一次，由镇街审核后通过“一卡通”按季度打卡发放到户，家庭情况变化时需及时申报' : '按标准发放',
      conditions: [{ label: '版式测试条件', when, quote: '版式测试原文' }],
      amount: [{ yuan: amount, unit: UNITS[i % UNITS.length] as string, kind: KINDS[i % KINDS.length], quote: '版式测试原文' }],
    } as PolicySource);
  }
  for (let i = 0; i < 10; i++) {
    policies.push({
      ...common,
      id: `stress.m${i}`,
      name: `帮扶措施测试${i}`,
      category: '就业',
      authority: [],
      subject: i < 3 ? 'household' : 'member',
      measure: i < 6 ? 'required' : 'optional',
      actor: '结对帮扶人',
      frequency: i % 2 ? '每年3次岗位信息推送，1次职业培训信息和1次职业指导' : undefined,
      benefit: '结对帮扶人走访入户时收集就业意愿信息，反馈给所在村或乡镇',
      conditions: [{ label: '版式测试条件', when: i < 3 ? 'year >= 2020' : 'member.age >= 18', quote: '版式测试原文' }],
      amount: i === 0 ? [{ yuan: 400, unit: '元/人', quote: '版式测试原文' }] : undefined,
    } as PolicySource);
  }
  const waiting = [
    ['member.trainingWish', '培训意愿测试'], ['member.startupWish', '创业意愿测试'], ['local.dibaoStandardMonthlyFen > 0', '低保标准测试'],
  ];
  for (const [i, [when, name]] of waiting.entries()) {
    policies.push({
      ...common, id: `stress.w${i}`, name: name as string, category: '就业', authority: [], subject: (when as string).startsWith('local') ? 'household' : 'member',
      benefit: '待定测试', conditions: [{ label: '版式测试条件', when: when as string, quote: '版式测试原文' }],
    } as PolicySource);
  }
  const source: PackSource = {
    manifest: {
      id: 'layout-stress', version: '0.0.1', name: '版式测试政策包（代码生成，非真实政策）',
      source: { file: 'layout-stress.txt', title: '版式测试', issuer: '测试', year: '2023' },
      jurisdiction: { province: '重庆市', counties: ['渝北区'] },
      period: { from: '2020-01-01', to: null },
      periodNote: '测试',
      sections: ['s'],
    },
    sections: [{ section: '版式测试', policies }],
  };
  return compilePack(source);
}

export function stressInput(): MingbaizhiInput {
  const packs = [stressPack()];
  const household = readHouseholdFile('examples/yubei-tuopin-family.json');
  return { household, result: screenHousehold(packs, household, '2023-09-01'), packs };
}
