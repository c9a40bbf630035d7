/** @module `mingbai screen --all`: screens every household of the registry (or an area) as a system job, with progress. */
import { formatProgress, screenAll } from '../batch/screen-all.ts';
import type { LocalFacts } from '../core/model/facts.ts';
import { loadPacks } from '../packs/load.ts';
import { openDatabase, storeConfigFromEnv } from '../storage/store.ts';

export async function screenRegistry(print: (text: string) => void, options: { date: string; local: LocalFacts; area?: string }): Promise<void> {
  const [county, town, village] = (options.area ?? '').split('/').map((s) => s.trim() || null);
  const config = storeConfigFromEnv();
  const db = await openDatabase(config);
  try {
    print(`批量测算：${config.databaseUrl ? 'PostgreSQL（DATABASE_URL）' : `内嵌数据库 ${config.dataDir}`}，区域 ${options.area ?? '全部'}，测算日期 ${options.date}`);
    let last = 0;
    const outcome = await screenAll(db, loadPacks(), {
      date: options.date,
      local: options.local,
      area: { county: county ?? null, town: town ?? null, village: village ?? null },
      onProgress: (p) => {
        if (p.elapsedMs - last < 1000) return;
        last = p.elapsedMs;
        print(formatProgress(p));
      },
    });
    print(formatProgress(outcome));
    print(`完成：第 ${outcome.runId} 次批量测算，${outcome.households} 户；可享受 ${outcome.eligibleDecisions} 项，待补充信息 ${outcome.undeterminedDecisions} 项${outcome.failed ? `；${outcome.failed} 户无法测算（区域或日期无适用政策包）` : ''}`);
  } finally {
    await db.close();
  }
}
