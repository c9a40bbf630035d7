/**
 * Writes docs/screenshot-household-desktop.png (1280 px) and docs/screenshot-household-phone.png (375 px):
 * the demo household with the most counted entitlements, one "为什么" opened. Run: npx tsx test/ui/screenshots.ts
 */
import type { Decision } from '../../src/core/evaluator/decision.ts';
import { launchBrowser, login, startServer } from './harness.ts';

const USER = 'demo-village';
const server = await startServer(64);
const browser = await launchBrowser();
try {
  const list = await server.call<{ items: { id: string }[] }>(USER, 'GET', '/households?pageSize=200');
  let best = { id: '', score: -1, policy: '' };
  for (const h of list.body.items) {
    const res = await server.call<{ result: { decisions: Decision[] } }>(USER, 'POST', `/households/${h.id}/preview`, {});
    const counted = res.body.result.decisions.filter((d) => d.status === 'eligible' && d.measure === null && d.amount?.fen != null);
    const categories = new Set(counted.map((d) => d.category)).size;
    const score = categories * 10 + counted.length;
    if (score > best.score && counted[0]) best = { id: h.id, score, policy: counted[0].policy };
  }
  for (const [name, width] of [['desktop', 1280], ['phone', 375]] as const) {
    const context = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 812 }, deviceScaleFactor: width > 500 ? 1 : 2, locale: 'zh-CN' });
    const page = await context.newPage();
    await login(page, server.base, USER);
    await page.goto(`${server.base}/households/${best.id}`);
    await page.waitForSelector('.screening .cat-group');
    const item = page.locator(`.cat-group .decision-item[data-policy="${best.policy}"]`).first();
    await item.locator('.el-collapse-item__header').click();
    await item.locator('.policy-source .el-button').click();
    await item.locator('.source-box').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(800);
    const height = await page.evaluate(() => Math.min(document.body.scrollHeight, 2400));
    await page.screenshot({ path: `docs/screenshot-household-${name}.png`, clip: { x: 0, y: 0, width, height }, fullPage: true });
    console.log(`docs/screenshot-household-${name}.png (${best.id})`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
