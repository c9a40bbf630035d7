/**
 * @module Batch screening across processes (and machines) through pg-boss, a job queue kept in PostgreSQL: a run is
 * split into one job per area (town by default); any number of workers, on any machine that reaches the database, take
 * jobs one at a time and screen their area with screenArea(). Result writes are upserts keyed by (run, household) and
 * the area is marked done in batch_run_areas, so a retried or duplicated job changes nothing.
 */
import PgBoss from 'pg-boss';
import { FastScreener } from '../core/evaluator/fast-screen.ts';
import type { LocalFacts } from '../core/model/facts.ts';
import type { CompiledPack } from '../core/pack/compile.ts';
import type { SqlDatabase } from '../storage/sql.ts';
import { areasOf, ensureBatchTables, finishRun, screenArea, startRun, type AreaFilter } from './screen-all.ts';

export const SCREEN_AREA_QUEUE = 'screen-area';

export interface ScreenAreaJob { runId: number; date: string; area: AreaFilter; batchSize?: number }

/** A pg-boss instance on the database, its tables in their own schema; started, with the queue created. */
export async function openQueue(connectionString: string, schema = 'pgboss'): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString, schema, max: 4 });
  boss.on('error', (error: unknown) => console.error('队列错误：', error instanceof Error ? error.message : error));
  await boss.start();
  await boss.createQueue(SCREEN_AREA_QUEUE);
  return boss;
}

/** Starts a run and puts one job per area on the queue; returns the run id and the areas. */
export async function enqueueRun(db: SqlDatabase, boss: PgBoss, packs: readonly CompiledPack[], date: string, area: AreaFilter = {},
  options: { by?: 'town' | 'village'; batchSize?: number } = {}): Promise<{ runId: number; areas: number; persons: number }> {
  const runId = await startRun(db, packs, date, area);
  const areas = await areasOf(db, area, options.by ?? 'town');
  // Biggest areas first, so the last job to finish is a small one.
  areas.sort((a, b) => b.persons - a.persons);
  for (const a of areas) {
    const job: ScreenAreaJob = { runId, date, area: a.area, ...(options.batchSize ? { batchSize: options.batchSize } : {}) };
    await boss.send(SCREEN_AREA_QUEUE, job, { retryLimit: 3, retryDelay: 5, expireInSeconds: 3600 });
  }
  return { runId, areas: areas.length, persons: areas.reduce((s, a) => s + a.persons, 0) };
}

/** Makes this process a worker: it screens the areas of queued jobs, one job at a time. */
export async function startScreenWorker(db: SqlDatabase, boss: PgBoss, packs: readonly CompiledPack[],
  options: { local?: LocalFacts; onJob?: (job: ScreenAreaJob, counts: { households: number; persons: number; ms: number }) => void } = {}): Promise<string> {
  await ensureBatchTables(db);
  const screener = new FastScreener(packs, { local: options.local });
  return boss.work<ScreenAreaJob>(SCREEN_AREA_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async (jobs) => {
    for (const job of jobs) {
      const t0 = performance.now();
      const counts = await screenArea(db, screener, job.data.runId, job.data.date, job.data.area, { batchSize: job.data.batchSize });
      options.onJob?.(job.data, { households: counts.households, persons: counts.persons, ms: performance.now() - t0 });
    }
  });
}

/** Waits until every area of the run is done (polling batch_run_areas), then closes the run. */
export async function waitForRun(db: SqlDatabase, runId: number, areas: number,
  onProgress?: (done: { areas: number; persons: number }) => void, pollMs = 200): Promise<void> {
  for (;;) {
    const [row] = await db.query<{ n: number; p: number }>('SELECT count(*) AS n, coalesce(sum(persons), 0) AS p FROM batch_run_areas WHERE run_id = $1', [runId]);
    const done = { areas: Number(row?.n ?? 0), persons: Number(row?.p ?? 0) };
    onProgress?.(done);
    if (done.areas >= areas) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  await finishRun(db, runId);
}
