/**
 * Browser-test harness: the real server (all packs, demo users and households) on a free port with an in-memory database,
 * and headless Chromium through playwright-core. Chromium is never downloaded: it must be installed (Debian: apt-get install
 * chromium); a missing browser makes the tests fail, not skip. CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed.ts';
import { buildApp } from '../../src/http/app.ts';
import { loadPacks } from '../../src/packs/load.ts';
import { openDatabase, type SqlDatabase } from '../../src/storage/store.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
  '--disable-component-update', '--disable-sync',
];

export interface UiServer {
  base: string;
  app: FastifyInstance;
  db: SqlDatabase;
  /** A bearer token for a demo user, for arranging data through the API. */
  token: (username: string) => Promise<string>;
  /** JSON API call as a demo user. */
  call: <T = unknown>(username: string, method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  close: () => Promise<void>;
}

export async function startServer(households = 64): Promise<UiServer> {
  const db = await openDatabase({});
  await seedDemo(db, households);
  const app = await buildApp({ db, packs: () => loadPacks() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    if (!tokens.has(username)) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      tokens.set(username, (res.json() as { token: string }).token);
    }
    return tokens.get(username) as string;
  };
  const call = async <T>(username: string, method: string, path: string, body?: unknown) => {
    const res = await app.inject({
      method: method as 'GET', url: `/api${path}`, headers: { authorization: `Bearer ${await token(username)}` }, ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as T };
  };
  return {
    base, app, db, token, call,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Logs in through the login page; resolves when the household list shows. */
export async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('.login-submit');
  await page.waitForSelector('.total-count');
}

/** Picks an option of the Element Plus select that is open now. */
export async function pickOption(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

/** Fails the test on any page error or failed same-origin request. */
export function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return problems;
}
