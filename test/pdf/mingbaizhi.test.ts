// The printable 明白纸: real example households screened with the real packs, read back with pdftotext.
// Needs poppler-utils (pdftotext) and fonts-noto-cjk; without them these tests fail, they never skip.
import { describe, expect, it } from 'vitest';
import { totalEntitlements } from '../../src/core/evaluator/totals.ts';
import { formatYuan } from '../../src/core/money.ts';
import { renderMingbaizhi, renderVillageBatch } from '../../src/pdf/mingbaizhi.ts';
import { pdfPages, screenedExample, squeeze, stressInput, stressPolicy, STRESS_ENTITLEMENTS } from './fixtures.ts';

const PREMIUM = '城乡居民医保参保资助';

/** The -layout line that starts the row of the policy: its name, who, amount and authority share that line. */
function rowLine(pages: string[], name: string): string {
  const line = pages.join('\n').split('\n').find((l) => l.includes(name));
  if (!line) throw new Error(`no row for ${name}`);
  return line;
}

describe('renderMingbaizhi', () => {
  it('prints the 2023 entitlements of the 渝北 脱贫户 with amounts, authority, phone and masked ID numbers', async () => {
    const input = screenedExample('yubei-tuopin-family.json', '2023-09-01');
    const pdf = await renderMingbaizhi(input);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdfPages(pdf);
    const text = squeeze(pages.join(''));

    expect(text).toContain('政策明白纸');
    expect(text).toContain('户编号YB-2023-0001');
    expect(text).toContain('渝北区大盛镇青龙村');
    expect(text).toContain('脱贫户');
    // 000: "对稳定脱贫人口自愿参加2022年、2023年城乡居民医保的，分别按照100元、50元标准给予定额资助" — 2023 is the 50元 year.
    expect(rowLine(pdfPages(pdf, true), PREMIUM)).toMatch(/50 元\/人·年/);
    // 000: "区医保局 ... 023-67817879" is the authority encoded for the premium subsidy.
    expect(text).toContain('区医保局');
    expect(text).toContain('023-67817879');
    expect(text).toContain('医疗（');

    // ID numbers are masked: region and last four only, never the birth date.
    expect(text).toContain('500112********0114');
    expect(text).toContain('500112********0327');
    for (const m of input.household.members) expect(text).not.toContain(m.idNumber);
    expect(text).not.toContain('19760315');

    // Totals per period, as totalEntitlements computes them.
    const entitlements = input.result.decisions.filter((d) => d.status === 'eligible' && d.measure === null);
    const totals = totalEntitlements(entitlements).household;
    expect(totals.length).toBeGreaterThan(0);
    for (const t of totals) expect(text).toContain(`${t.period}${formatYuan(t.fen)}元`);

    // Footer: date, pack ids and versions, the seed files, the two signatures, page numbers.
    expect(text).toContain('测算日期：2023-09-01');
    for (const p of input.result.packs) expect(text).toContain(`${p.id}v${p.version}`);
    expect(text).toContain('依据政策原文：000_d57bc59c575500aa.txt');
    expect(text).toContain('帮扶责任人签字');
    expect(text).toContain('户主签字');
    pages.forEach((page, i) => expect(squeeze(page)).toContain(`第${i + 1}页/共${pages.length}页`));
  });

  it('prints the 2022 amount of the same subsidy', async () => {
    const pdf = await renderMingbaizhi(screenedExample('yubei-tuopin-family.json', '2022-09-01'));
    // 000: "对稳定脱贫人口自愿参加2022年、2023年城乡居民医保的，分别按照100元、50元标准给予定额资助" — 2022 is the 100元 year.
    const line = rowLine(pdfPages(pdf, true), PREMIUM);
    expect(line).toMatch(/100 元\/人·年/);
    expect(line).not.toMatch(/(^|\s)50 元/);
  });

  it('lists every eligible measure with ★ or ● and every undetermined policy’s missing fact', async () => {
    const input = screenedExample('yubei-monitoring-family.json', '2023-09-01');
    const text = squeeze(pdfPages(await renderMingbaizhi(input)).join(''));
    expect(text).toContain('500112');
    for (const d of input.result.decisions.filter((x) => x.status === 'eligible' && x.measure !== null)) {
      expect(text).toContain(squeeze(d.name));
    }
    expect(text).toContain('还需补充的信息');
  });

  it('lays out 30+ entitlements, ★/● measures and missing facts over pages without splitting a row', async () => {
    const input = stressInput();
    const pdf = await renderMingbaizhi(input);
    const pages = pdfPages(pdf).map(squeeze);
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, i) => expect(page).toContain(`第${i + 1}页/共${pages.length}页`));
    expect(pages[0]).toContain(`共${STRESS_ENTITLEMENTS}项`);
    for (let i = 0; i < STRESS_ENTITLEMENTS; i++) {
      const { marker, amount } = stressPolicy(i);
      const page = pages.findIndex((p) => p.includes(marker));
      expect(page, marker).toBeGreaterThanOrEqual(0);
      // The row's amount and the policy name are on the same page: rows move whole to the next page.
      expect(pages[page], `${marker} ${amount}`).toContain(amount);
    }
    // A group continued on a new page repeats its heading.
    expect(pages.slice(1).some((p) => /（续）/.test(p.replace('政策明白纸（续）', '')))).toBe(true);
    const text = pages.join('');
    const layout = pdfPages(pdf, true);
    expect(rowLine(layout, '帮扶措施测试0')).toContain('★');
    expect(rowLine(layout, '帮扶措施测试9')).toContain('●');
    expect(text).toContain('必须落实6项');
    expect(text).toContain('每年3次岗位信息推送');
    expect(text).toContain('是否有职业技能培训需求');
    expect(text).toContain('由经办单位核实');
    expect(text).toContain('全家5人');
    // The closing block (sources and signatures) is whole on the last page.
    expect(pages.at(-1)).toContain('依据政策原文：layout-stress.txt');
    expect(pages.at(-1)).toContain('户主签字');
  });
});

describe('renderVillageBatch', () => {
  it('starts each household on a new page with its own page numbers', async () => {
    const items = [
      screenedExample('yubei-tuopin-family.json', '2023-09-01'),
      stressInput(),
      screenedExample('yubei-monitoring-family.json', '2023-09-01'),
    ];
    const pages = pdfPages(await renderVillageBatch(items)).map(squeeze);
    const starts = pages.flatMap((p, i) => (/第1页\/共\d+页/.test(p) ? [i] : []));
    expect(starts).toHaveLength(items.length);
    expect(starts[0]).toBe(0);
    starts.forEach((start, k) => {
      const id = items[k]?.household.id as string;
      const first = pages[start] as string;
      expect(first.startsWith('政策明白纸')).toBe(true);
      expect(first).not.toContain('政策明白纸（续）');
      expect(first).toContain(`户编号${id}`);
      // Every page up to the next household's first page belongs to this household.
      const end = starts[k + 1] ?? pages.length;
      for (let i = start; i < end; i++) expect(pages[i]).toContain(`户编号${id}·测算日期`);
      expect(pages[end - 1]).toContain(`第${end - start}页/共${end - start}页`);
    });
  });

  it('pads each household to an even page count for double-sided printing', async () => {
    const items = [screenedExample('yubei-tuopin-family.json', '2023-09-01'), stressInput()];
    const pages = pdfPages(await renderVillageBatch(items, { duplex: true })).map(squeeze);
    const starts = pages.flatMap((p, i) => (/第1页\/共\d+页/.test(p) ? [i] : []));
    expect(starts.every((s) => s % 2 === 0)).toBe(true);
    expect(pages.length % 2).toBe(0);
  });

  it('refuses an empty batch and a result that belongs to another household', async () => {
    await expect(renderVillageBatch([])).rejects.toMatchObject({ code: 'invalid_input' });
    const a = screenedExample('yubei-tuopin-family.json', '2023-09-01');
    const b = screenedExample('yubei-monitoring-family.json', '2023-09-01');
    await expect(renderMingbaizhi({ ...a, result: b.result })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
