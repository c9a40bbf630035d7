/**
 * The web UI in headless Chromium against the real server: login, search, a household's screening with its "为什么",
 * what-if, Excel import with row errors, the 明白纸 PDF, a stale edit, and that a 村社 user never sees another village.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/core/evaluator/decision.ts';
import { COUNTED_KINDS } from '../../src/core/evaluator/totals.ts';
import { SYSTEM_ACTOR } from '../../src/auth/roles.ts';
import { COLUMNS } from '../../src/excel/columns.ts';
import { createUser, ensureArea, insertHousehold } from '../../src/storage/store.ts';
import { CHROMIUM, launchBrowser, login, pickOption, startServer, watchErrors, type UiServer } from './harness.ts';

let server: UiServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[] = [];
/** A browser that cannot start fails every test (a missing Chromium must never look like a pass or a skip). */
let launchError: Error | null = null;
const tmp = mkdtempSync(join(tmpdir(), 'mingbai-ui-'));

/** expect.poll with room for a loaded CI machine (the default is one second). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

interface Summary { id: string; headName: string; area: { town: string | null; village: string | null } }
interface Preview { result: { decisions: Decision[] } }

beforeAll(async () => {
  server = await startServer(64);
  try {
    browser = await launchBrowser();
  } catch (error) {
    launchError = error as Error;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  if (launchError) throw new Error(`Chromium 无法启动（${CHROMIUM}）：请安装 Debian 的 chromium 包或设置 CHROMIUM_PATH。${launchError.message}`);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'zh-CN' });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  pageErrors = watchErrors(page);
});

afterEach(async () => {
  await context?.close();
  expect(pageErrors).toEqual([]);
});

async function villageHouseholds(username: string): Promise<Summary[]> {
  const res = await server.call<{ items: Summary[] }>(username, 'GET', '/households?pageSize=200');
  return res.body.items;
}

async function preview(username: string, id: string): Promise<Decision[]> {
  const res = await server.call<Preview>(username, 'POST', `/households/${id}/preview`, {});
  expect(res.status).toBe(200);
  return res.body.result.decisions;
}

describe('web UI', () => {
  it('logs in, searches by name and by the last digits of the 身份证号, and shows only masked numbers', async () => {
    await login(page, server.base, 'demo-village');
    const all = await villageHouseholds('demo-village');
    expect(await page.locator('.total-count').textContent()).toBe(String(all.length));
    const target = all[1] as Summary;
    await page.fill('.search-name input', target.headName);
    await page.click('.do-search');
    await page.waitForURL(/name=/);
    await poll(() => page.locator('.household-row').count()).toBeGreaterThan(0);
    const rows = await page.locator('.household-row').allTextContents();
    expect(rows.some((r) => r.includes(target.id))).toBe(true);
    const ids = await page.locator('.household-table .id-number').allTextContents();
    for (const id of ids) expect(id).toMatch(/^\d{6}\*{8}\d{3}[\dX]$|^—$/);

    const full = await server.call<{ household: { members: { idNumber: string }[] } }>('demo-village', 'GET', `/households/${target.id}`);
    const masked = full.body.household.members[0]?.idNumber as string;
    await page.click('text=重置');
    await page.fill('.search-id input', masked.slice(-4));
    await page.click('.do-search');
    await page.waitForURL(/idNumber=/);
    await poll(async () => (await page.locator('.household-row').allTextContents()).some((r) => r.includes(target.id))).toBe(true);
  }, 120_000);

  it('gives a subtotal to each policy area whose entitlements pay a counted amount for a period', async () => {
    const summedAreas = (decisions: Decision[]) => new Set(decisions
      .filter((d) => d.status === 'eligible' && d.measure === null && d.amount?.period && d.amount.fen !== null && COUNTED_KINDS.includes(d.amount.kind))
      .map((d) => d.category));
    let target: { id: string } | undefined;
    let areas = new Set<string>();
    for (const h of await villageHouseholds('demo-village')) {
      areas = summedAreas(await preview('demo-village', h.id));
      if (areas.size > 0) {
        target = h;
        break;
      }
    }
    expect(target, 'a demo household with a counted amount').toBeDefined();
    await login(page, server.base, 'demo-village');
    await page.locator('.household-row', { hasText: target?.id as string }).first().click();
    await page.waitForSelector('.screening .cat-group');
    const subtotals = page.locator('.cat-group .cat-total');
    expect(await subtotals.count()).toBe(areas.size);
    for (const text of await subtotals.allTextContents()) expect(text).toMatch(/小计 (每年|每学期|每月|一次性) [\d,.]+ 元/);
  });

  it('opens a household: entitlements grouped by area with totals, "为什么" with facts and the quote, "还缺什么信息"', async () => {
    const [target] = await villageHouseholds('demo-village');
    await login(page, server.base, 'demo-village');
    await page.locator('.household-row', { hasText: target?.id as string }).first().click();
    await page.waitForSelector('.screening .cat-group');
    const full = await server.call<Preview & { totals: { household: { fen: number }[] } }>('demo-village', 'POST', `/households/${target?.id}/preview`, {});
    const decisions = full.body.result.decisions;
    const eligible = decisions.filter((d) => d.status === 'eligible' && d.measure === null);
    expect(await page.locator('.cat-group .decision-item').count()).toBe(eligible.length);
    const categories = [...new Set(eligible.map((d) => d.category))];
    expect(await page.locator('.cat-group .cat-name').allTextContents()).toEqual(expect.arrayContaining(categories));
    expect(await page.locator('.total-card').count()).toBe(full.body.totals.household.length);
    const first = eligible[0] as Decision;
    const item = page.locator(`.cat-group .decision-item[data-policy="${first.policy}"]`).first();
    await item.locator('.el-collapse-item__header').click();
    const why = item.locator('.why');
    await poll(() => why.isVisible()).toBe(true);
    expect(await why.textContent()).toContain('为什么可以享受');
    expect(await why.textContent()).toContain(first.reasons[0]?.citation.quote);
    expect(await why.textContent()).toContain(first.reasons[0]?.facts[0]?.label ?? '');
    await why.locator('text=查看原文出处').click();
    await poll(() => why.locator('.source-box').textContent()).toContain('主管部门');

    const undetermined = decisions.find((d) => d.status === 'undetermined' && d.measure === null);
    if (undetermined) {
      const u = page.locator(`.undetermined-list .decision-item[data-policy="${undetermined.policy}"]`).first();
      await u.locator('.el-collapse-item__header').click();
      await poll(() => u.locator('.why').textContent()).toContain('还缺什么信息');
      expect(await u.locator('.missing').textContent()).toContain(undetermined.missing[0]?.label);
    }
    await page.click('.ineligible-toggle');
    const no = page.locator('.ineligible-wrap .decision-item').first();
    await no.locator('.el-collapse-item__header').click();
    await poll(() => no.locator('.why').textContent()).toContain('为什么不能享受');
    expect(await no.locator('.reasons .unmet').count()).toBeGreaterThan(0);
  }, 120_000);

  it('runs a what-if from a missing fact: nothing is saved and the policy turns eligible', async () => {
    let found: { id: string; decision: Decision } | null = null;
    for (const h of await villageHouseholds('demo-village')) {
      const d = (await preview('demo-village', h.id)).find((x) => x.status === 'undetermined' && x.measure === null && x.member
        && x.missing.length === 1 && x.missing[0]?.fact === 'member.listedMajorDisease');
      if (d) {
        found = { id: h.id, decision: d };
        break;
      }
    }
    expect(found, 'a demo household waiting for 是否患有纳入集中救治的大病病种').not.toBeNull();
    const { id, decision } = found as { id: string; decision: Decision };
    const before = await server.call<{ version: number }>('demo-village', 'GET', `/households/${id}`);

    await login(page, server.base, 'demo-village');
    await page.goto(`${server.base}/households/${id}`);
    await page.waitForSelector('.undetermined-list');
    const item = page.locator(`.undetermined-list .decision-item[data-policy="${decision.policy}"]`, { hasText: decision.member?.name as string }).first();
    await item.locator('.el-collapse-item__header').click();
    await item.locator('text=在“假如测算”中填写试算').click();
    await page.waitForSelector('.whatif-value');
    await page.locator('.whatif-value .el-select').click();
    await pickOption(page, /^是$/);
    await poll(() => page.locator('.changes').textContent()).toContain('是');
    await page.click('.run-whatif');
    const row = page.locator('.whatif-diff .el-table__row', { hasText: decision.name }).filter({ hasText: decision.member?.name as string });
    await poll(() => row.first().textContent()).toContain('可享受');

    const after = await server.call<{ version: number }>('demo-village', 'GET', `/households/${id}`);
    expect(after.body.version).toBe(before.body.version);
  }, 120_000);

  it('imports an Excel file with errors and lists every problem by row and column; nothing is written', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('户成员');
    sheet.addRow(COLUMNS.map((c) => c.header));
    const row = (values: Record<string, string | number>) => sheet.addRow(COLUMNS.map((c) => values[c.header] ?? null));
    row({ 户编号: 'UI-IMPORT-1', 区县: '渝北区', 镇街: '兴隆镇', 村社: '牌坊村', 姓名: '测试甲', 身份证号: '500112199001011234', 与户主关系: '户主', 参加医保: '可能' });
    row({ 户编号: 'UI-IMPORT-1', 姓名: '测试乙', 出生日期: '2010-05-06', 与户主关系: '表亲' });
    const file = join(tmp, '导入有误.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    await login(page, server.base, 'demo-village');
    await page.click('.nav-link:has-text("导入")');
    await page.setInputFiles('.upload input[type=file]', file);
    await page.click('.start-import');
    await page.waitForSelector('.problem-table');
    const problems = await page.locator('.problem-table').textContent();
    expect(problems).toContain('第2行');
    expect(problems).toContain('参加医保');
    expect(problems).toContain('第3行');
    expect(problems).toContain('与户主关系');
    expect(await page.locator('.import-errors .el-alert').textContent()).toContain('未写入任何数据');
    const check = await server.call('demo-village', 'GET', '/households/UI-IMPORT-1');
    expect(check.status).toBe(404);
  }, 120_000);

  it('downloads the 明白纸 PDF whose text names the household and its entitlements with amounts', async () => {
    const households = await villageHouseholds('demo-village');
    let target: { id: string; head: string; decision: Decision } | null = null;
    for (const h of households) {
      const d = (await preview('demo-village', h.id)).find((x) => x.status === 'eligible' && x.measure === null && x.amount?.yuan);
      if (d) {
        target = { id: h.id, head: h.headName, decision: d };
        break;
      }
    }
    expect(target).not.toBeNull();
    const { id, head, decision } = target as NonNullable<typeof target>;
    await login(page, server.base, 'demo-village');
    await page.goto(`${server.base}/households/${id}`);
    await page.waitForSelector('.screening');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('.print-pdf')]);
    expect(download.suggestedFilename()).toMatch(/^明白纸-.+\.pdf$/);
    const pdf = join(tmp, 'm.pdf');
    await download.saveAs(pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(head);
    expect(text).toContain(decision.name.replace(/\s+/g, ''));
    expect(text).toContain(`${decision.amount?.yuan}${decision.amount?.unit}`.replace(/\s+/g, ''));
  }, 120_000);

  it('the helper\'s view lists the ★ measures the household triggers and the ● suggestions', async () => {
    const county = '未注明县（占位：原文未写明）';
    const area = { county, town: '示例镇', village: '示例村' };
    const cases = parse(readFileSync('packs/mingbaizhi-monitoring/cases/00-checklist.cases.yaml', 'utf8')) as { households: { li: Record<string, unknown> } };
    const household = { ...cases.households.li, id: 'UI-HELPER-1', area };
    await server.db.transaction(async (tx) => {
      await ensureArea(tx, area);
      await insertHousehold(tx, SYSTEM_ACTOR, household);
    });
    await createUser(server.db, SYSTEM_ACTOR, { username: 'ui-helper', displayName: '示例村帮扶人', password: 'mingbai-demo', role: '帮扶干部', scope: area });
    const decisions = await preview('ui-helper', 'UI-HELPER-1');
    const required = decisions.filter((d) => d.status === 'eligible' && d.measure === 'required');
    const optional = decisions.filter((d) => d.status === 'eligible' && d.measure === 'optional');
    expect(required.length).toBeGreaterThan(0);

    await login(page, server.base, 'ui-helper');
    await page.goto(`${server.base}/households/UI-HELPER-1?tab=measures`);
    await page.waitForSelector('.measure-item');
    expect(await page.locator('.measure-item[data-measure="required"]').count()).toBe(required.length);
    expect(await page.locator('.measure-item[data-measure="optional"]').count()).toBe(optional.length);
    const first = page.locator('.measure-item[data-measure="required"]').first();
    expect(await first.textContent()).toContain('★');
    expect(await first.textContent()).toContain(required[0]?.name);
    await first.locator('.el-collapse-item__header').click();
    await poll(() => first.locator('.why').textContent()).toContain(required[0]?.reasons[0]?.citation.quote);
    // Measures are not counted as entitlements on the result tab.
    await page.click('#tab-result');
    for (const d of required) expect(await page.locator(`.cat-group .decision-item[data-policy="${d.policy}"]`).count()).toBe(0);
  }, 120_000);

  it('a stale edit shows who changed what and asks to reload; it never overwrites', async () => {
    const [target] = await villageHouseholds('demo-village');
    const id = target?.id as string;
    await login(page, server.base, 'demo-village');
    await page.goto(`${server.base}/households/${id}`);
    await page.click('.edit-household');
    await page.waitForSelector('.editor [data-field="centralWaterSupply"]');
    const current = await server.call<{ version: number; household: Record<string, unknown> }>('demo-helper', 'GET', `/households/${id}`);
    const other = await server.call<{ version: number }>('demo-helper', 'PUT', `/households/${id}`, {
      version: current.body.version, household: { ...current.body.household, seasonalWaterShortage: !current.body.household.seasonalWaterShortage },
    });
    expect(other.status).toBe(200);
    await page.locator('.editor [data-field="centralWaterSupply"] .el-select').click();
    await pickOption(page, current.body.household.centralWaterSupply === true ? /^否$/ : /^是$/);
    await page.click('.save-household');
    const dialog = page.locator('.conflict-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    const text = await dialog.textContent();
    expect(text).toContain('demo-helper');
    expect(text).toContain('季节性缺水');
    expect(text).toContain('您本次的修改');
    const stored = await server.call<{ version: number; household: Record<string, unknown> }>('demo-helper', 'GET', `/households/${id}`);
    expect(stored.body.version).toBe(other.body.version);
    expect(stored.body.household.centralWaterSupply).toBe(current.body.household.centralWaterSupply);
    await page.click('.conflict-reload');
    await poll(() => page.locator('.hh-info').textContent()).toContain(`第 ${other.body.version} 版`);
  }, 120_000);

  it('a 村社 user never sees another village: the list, a search, and a direct link', async () => {
    const mine = await villageHouseholds('demo-village');
    const town = await villageHouseholds('demo-town');
    const foreign = town.find((h) => h.area.village !== '牌坊村') as Summary;
    expect(foreign).toBeDefined();
    await login(page, server.base, 'demo-village');
    expect(await page.locator('.total-count').textContent()).toBe(String(mine.length));
    const areas = await page.locator('.household-table .household-row').allTextContents();
    expect(areas.length).toBeGreaterThan(0);
    for (const a of areas) expect(a).toContain('牌坊村');
    expect(areas.join('')).not.toContain(foreign.id);

    await page.fill('.search-name input', foreign.headName);
    await page.click('.do-search');
    await page.waitForURL(/name=/);
    await poll(async () => (await page.locator('.household-row').allTextContents()).join('')).not.toContain(foreign.id);
    for (const a of await page.locator('.household-row').allTextContents()) expect(a).toContain('牌坊村');

    await page.goto(`${server.base}/households/${foreign.id}`);
    await poll(() => page.locator('.household-page').textContent()).toContain('找不到这户');
    expect(await page.locator('.household-page').textContent()).not.toContain(foreign.headName);
  }, 120_000);
});
