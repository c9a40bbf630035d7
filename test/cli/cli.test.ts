// The CLI as a user meets it: Chinese output, exit codes, and no stack traces on bad input.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';

async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await run(args, (t) => lines.push(t));
  return { code, out: lines.join('\n') };
}

describe('mingbai screen', () => {
  it('prints entitlements with amounts, totals, reasons and quotes in Chinese', async () => {
    const { code, out } = await cli('screen', 'examples/yubei-tuopin-family.json', '--date', '2022-06-01');
    expect(code).toBe(0);
    expect(out).toContain('一、可以享受的政策');
    // 000: "分别按照100元、50元标准给予定额资助" — 2022 is the 100元 year.
    expect(out).toMatch(/张建国.*医疗.*100 元/);
    expect(out).toContain('分别按照100元、50元标准给予定额资助');
    expect(out).toContain('合计');
  });

  it('prints the JSON shape other programs rely on', async () => {
    const { code, out } = await cli('screen', 'examples/yubei-tuopin-family.json', '--date', '2023-06-01', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ household: 'YB-2023-0001', date: '2023-06-01', packs: expect.arrayContaining([{ id: 'cq-yubei-2022', version: expect.any(String) }]) });
    const premium = json.decisions.find((d: { policy: string; member: { name: string } | null }) => d.policy === 'yubei2022.medical.premium-subsidy-tuopin' && d.member?.name === '张建国');
    // 000: "分别按照100元、50元标准给予定额资助" — 2023 is the 50元 year.
    expect(premium).toMatchObject({ status: 'eligible', amount: { yuan: '50', unit: '元/人·年' }, measure: null, missing: [] });
    expect(premium.citations[0]).toEqual({ file: '000_d57bc59c575500aa.txt', quote: expect.any(String) });
    expect(Array.isArray(premium.reasons)).toBe(true);
  });

  it('lists every input problem with its field path and exits 1', async () => {
    const { code, out } = await cli('screen', 'test/fixtures/bad-household.json', '--date', '2023-06-01');
    expect(code).toBe(1);
    expect(out).toContain('categories[0].type：户类别应为以下之一');
    expect(out).toContain('members[0].idNumber：身份证号校验码错误');
    expect(out).toContain('members[1].birthDate：缺少出生日期');
    expect(out).toContain('members[2].localHukou');
    expect(out).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses a date before the pack period with a clear message and exit 2', async () => {
    const { code, out } = await cli('screen', 'examples/yubei-tuopin-family.json', '--date', '2021-06-01');
    expect(code).toBe(2);
    expect(out).toMatch(/2021-06-01 不在渝北区任何政策包的有效期内/);
  });

  it('explains a missing file and malformed JSON in Chinese', async () => {
    expect((await cli('screen', 'no/such.json')).out).toContain('无法读取文件');
    expect((await cli('screen', 'package-lock.json')).code).toBe(1);
    expect((await cli('screen', 'test/fixtures/not-json.json')).out).toContain('不是合法的 JSON');
  });

  it('rejects an unknown local figure', async () => {
    const { code, out } = await cli('screen', 'examples/yubei-tuopin-family.json', '--date', '2023-06-01', '--local', 'foo=1');
    expect(code).toBe(2);
    expect(out).toContain('未知的当地参数“foo”');
  });
});

describe('mingbai packs / explain', () => {
  it('lists packs with their period and policies', async () => {
    const { code, out } = await cli('packs');
    expect(code).toBe(0);
    expect(out).toContain('cq-yubei-2022');
    expect(out).toContain('yubei2022.medical.premium-subsidy-tuopin');
  });

  it('explains a policy with its rules, dated values and quotes', async () => {
    const { code, out } = await cli('explain', 'yubei2022.medical.premium-subsidy-tuopin');
    expect(code).toBe(0);
    expect(out).toContain('自 2024-01-01：停止执行');
    expect(out).toContain('2024 年按规定退出，不再享受资助参保政策');
    expect(out).toContain('区医保局 023-67817879');
  });

  it('names near matches for an unknown policy', async () => {
    const { code, out } = await cli('explain', 'premium');
    expect(code).toBe(2);
    expect(out).toContain('没有编号为“premium”的政策；相近的有');
  });
});

describe('mingbai usage errors', () => {
  it('answers an unknown command or a missing argument in Chinese', async () => {
    expect(await cli('frob')).toMatchObject({ code: 1, out: expect.stringContaining('错误：未知命令“frob”') });
    expect(await cli('explain')).toMatchObject({ code: 1, out: '错误：缺少参数 policy' });
  });
});

describe('mingbai print', () => {
  it('writes a 明白纸 PDF for one household and a batch with one start page per household', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mingbai-print-'));
    const one = await cli('print', 'examples/yubei-tuopin-family.json', '--date', '2023-09-01', '--out', join(dir, 'one.pdf'));
    expect(one).toMatchObject({ code: 0, out: expect.stringContaining('1 户') });
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'one.pdf'), '-'], { encoding: 'utf8' });
    // 000: "分别按照100元、50元标准给予定额资助" — 2023 is the 50元 year.
    expect(text).toContain('城乡居民医保参保资助');
    expect(text).toMatch(/50 元\/人·年/);
    const batch = await cli('print', 'examples/yubei-tuopin-family.json', 'examples/yubei-monitoring-family.json', '--date', '2023-09-01', '--out', join(dir, 'batch.pdf'));
    expect(batch.code).toBe(0);
    const batchText = execFileSync('pdftotext', [join(dir, 'batch.pdf'), '-'], { encoding: 'utf8' });
    expect(batchText).toContain('YB-2023-0001');
    expect(batchText).toContain('YB-2023-0002');
    // Each household's pages are numbered on their own: two households, two first pages.
    expect(batchText.match(/第\s*1\s*页/g)?.length).toBe(2);
  });
});

describe('mingbai screen without a file', () => {
  it('asks for a household file or --all', async () => {
    expect(await cli('screen', '--date', '2023-06-01')).toMatchObject({ code: 2, out: '错误：请给出户数据文件，或用 --all 批量测算数据库中的全部户' });
  });
});
