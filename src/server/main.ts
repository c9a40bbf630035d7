/** @module `npm start`: the API on the embedded database (or PostgreSQL with DATABASE_URL), demo data on the first start. */
import { buildApp } from '../http/app.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../demo/seed.ts';
import { loadPacks } from '../packs/load.ts';
import { checkPackVersions, openDatabase, storeConfigFromEnv } from '../storage/store.ts';

async function main(): Promise<void> {
  const config = storeConfigFromEnv();
  const db = await openDatabase(config);
  const where = config.databaseUrl ? 'PostgreSQL（DATABASE_URL）' : `内嵌数据库 ${config.dataDir}`;
  if (process.env.MINGBAI_DEMO !== '0') {
    const seeded = await seedDemo(db, Number(process.env.MINGBAI_DEMO_HOUSEHOLDS ?? 240));
    if (seeded > 0) console.log(`首次启动：已生成 ${seeded} 户演示数据（虚构人员，身份证号为随机生成）`);
  }
  let packCount: number | string;
  try {
    packCount = loadPacks().length;
  } catch (error) {
    // Serve the registry anyway; screening reports the broken pack until it is fixed.
    packCount = `加载失败：${(error as Error).message}`;
  }
  const app = await buildApp({ db, packs: () => loadPacks(), logger: process.env.MINGBAI_LOG === '1' });
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen({ port, host });
  const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  console.log(`mingbai 已启动：${url}（${where}，政策包 ${packCount}）`);
  console.log(`接口文档：${url}/docs`);
  if (process.env.MINGBAI_DEMO !== '0') {
    console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const u of DEMO_USERS) console.log(`  ${u.username.padEnd(14)} ${u.role.padEnd(6, '　')} ${[u.scope.county, u.scope.town, u.scope.village].filter(Boolean).join('')}`);
  }
  // After a pack version change, say how many stored screenings became stale; in the background, start-up does not wait.
  if (typeof packCount === 'number') {
    checkPackVersions(db, loadPacks()).then((message) => {
      if (message) console.log(message);
    }, (error: unknown) => console.error('检查政策包版本失败：', error instanceof Error ? error.message : error));
  }
  const stop = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('启动失败：', error instanceof Error ? error.message : error);
  process.exit(1);
});
