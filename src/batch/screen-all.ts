/**
 * @module Screening the whole registry (or one area) from the database: households are streamed in keyset pages along
 * the `households_area` index (county, town, village, id), screened with the batch screener (FastScreener.screenCompact,
 * the same decisions as screenHousehold) and written back in batches, one compact row per household, into tables of
 * its own (batch_runs, batch_run_areas, batch_results; created here, idempotently). Memory stays flat: at most one
 * page being screened, the next one being read and the previous one being written. Writes are upserts keyed by
 * (run, household), so an area screened twice (a retried queue job, a crashed worker) leaves the same rows.
 *
 * A stored row holds, for a household: its version, its persons, one status character per decision in
 * screenHousehold's order ('1' eligible, '0' ineligible, '2' undetermined), and the eligible and undetermined
 * decisions as `policy/member/fen` and `policy/member` lists: policy is the position in the run's `policies` list (every
 * policy of the packs it used, kept once per run), member '-' for a household-level policy, fen empty when the amount is
 * a percentage. The full explanation of any of them is made on demand with screenHousehold().
 */
import { DomainError } from '../core/errors.ts';
import { CompactScreening, ELIGIBLE, FastScreener, UNDETERMINED } from '../core/evaluator/fast-screen.ts';
import type { LocalFacts } from '../core/model/facts.ts';
import type { Household } from '../core/model/household.ts';
import type { CompiledPack } from '../core/pack/compile.ts';
import type { SqlDatabase, SqlRunner } from '../storage/sql.ts';

/** An area: a county, optionally a town in it, optionally a village in that (null/absent = all). */
export interface AreaFilter {
  county?: string | null | undefined;
  town?: string | null | undefined;
  village?: string | null | undefined;
}

export interface ScreenAllProgress {
  runId: number;
  households: number;
  persons: number;
  /** Persons of the live households in the area when the run started. */
  totalPersons: number;
  /** Households the engine could not screen (no pack for the area or date, …). */
  failed: number;
  elapsedMs: number;
}

export interface ScreenAllOptions {
  /** Screening date (default today). */
  date?: string | undefined;
  area?: AreaFilter | undefined;
  local?: LocalFacts | undefined;
  /** Households per page read and per batch written (default 2,000). */
  batchSize?: number | undefined;
  onProgress?: ((progress: ScreenAllProgress) => void) | undefined;
}

export interface ScreenAllOutcome extends ScreenAllProgress {
  date: string;
  eligibleDecisions: number;
  undeterminedDecisions: number;
}

export const BATCH_TABLES_SQL = `
CREATE TABLE IF NOT EXISTS batch_runs (
  id bigserial PRIMARY KEY,
  date date NOT NULL,
  county text, town text, village text,
  packs jsonb NOT NULL,
  policies jsonb NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  households int,
  persons int,
  failed int
);
CREATE TABLE IF NOT EXISTS batch_run_areas (
  run_id bigint NOT NULL REFERENCES batch_runs(id),
  county text NOT NULL, town text NOT NULL DEFAULT '', village text NOT NULL DEFAULT '',
  households int NOT NULL, persons int NOT NULL, failed int NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, county, town, village)
);
CREATE TABLE IF NOT EXISTS batch_results (
  run_id bigint NOT NULL REFERENCES batch_runs(id),
  household_id text NOT NULL,
  household_version int NOT NULL,
  persons int NOT NULL,
  statuses text,
  eligible text,
  undetermined text,
  eligible_count int NOT NULL DEFAULT 0,
  error text,
  PRIMARY KEY (run_id, household_id)
);`;

/** Creates the batch tables if missing (safe to call from several processes at once). */
export async function ensureBatchTables(db: SqlDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7294002)');
    await tx.exec(BATCH_TABLES_SQL);
  });
}

function areaWhere(area: AreaFilter, params: unknown[]): string {
  const parts = ['h.deleted_at IS NULL'];
  for (const key of ['county', 'town', 'village'] as const) {
    const v = area[key];
    // '' is a value (households registered without a town or village); null / absent means any.
    if (v !== undefined && v !== null) parts.push(`h.${key} = $${params.push(v)}`);
  }
  return parts.join(' AND ');
}

/** Every policy of the packs, in pack order: what the policy numbers of stored results refer to. */
export function runPolicies(packs: readonly CompiledPack[]): string[] {
  return packs.flatMap((p) => p.policies.map((x) => x.id));
}

/** Starts a run: records its date, area and pack versions; returns its id. */
export async function startRun(db: SqlDatabase, packs: readonly CompiledPack[], date: string, area: AreaFilter = {}): Promise<number> {
  await ensureBatchTables(db);
  const [row] = await db.query<{ id: number }>('INSERT INTO batch_runs (date, county, town, village, packs, policies) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [date, area.county ?? null, area.town ?? null, area.village ?? null, JSON.stringify(packs.map((p) => ({ id: p.manifest.id, version: p.manifest.version }))),
      JSON.stringify(runPolicies(packs))]);
  return Number((row as { id: number }).id);
}

/** The towns (or villages, `by: 'village'`) of an area with their live households and persons: the units of work for workers. */
export async function areasOf(db: SqlRunner, area: AreaFilter = {}, by: 'town' | 'village' = 'town'): Promise<{ area: Required<AreaFilter>; households: number; persons: number }[]> {
  const params: unknown[] = [];
  const cols = by === 'town' ? 'h.county, h.town' : 'h.county, h.town, h.village';
  const rows = await db.query<{ county: string; town: string; village?: string; households: number; persons: number }>(
    `SELECT ${cols}, count(*) AS households, coalesce(sum(h.size), 0) AS persons FROM households h WHERE ${areaWhere(area, params)} GROUP BY ${cols} ORDER BY ${cols}`, params);
  return rows.map((r) => ({ area: { county: r.county, town: r.town, village: r.village ?? null }, households: Number(r.households), persons: Number(r.persons) }));
}

type Row = { id: string; version: number; county: string; town: string; village: string; data: Household };

async function writeBatch(db: SqlRunner, runId: number, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  // One JSON parameter, not nine arrays: node-postgres escapes array elements one by one in JS, JSON.stringify is native.
  await db.query(`INSERT INTO batch_results (run_id, household_id, household_version, persons, statuses, eligible, undetermined, eligible_count, error)
    SELECT $1, e->>0, (e->>1)::int, (e->>2)::int, e->>3, e->>4, e->>5, (e->>6)::int, e->>7 FROM json_array_elements($2::json) AS e
    ON CONFLICT (run_id, household_id) DO UPDATE SET household_version = EXCLUDED.household_version, persons = EXCLUDED.persons,
      statuses = EXCLUDED.statuses, eligible = EXCLUDED.eligible, undetermined = EXCLUDED.undetermined,
      eligible_count = EXCLUDED.eligible_count, error = EXCLUDED.error`,
  [runId, JSON.stringify(rows)]);
}

/**
 * Screens every live household of `area` for run `runId` and stores the results (upserts). Used by screenAll() and by
 * queue workers (one area per job). Returns the counts; onProgress is called after every page.
 */
export async function screenArea(db: SqlDatabase, screener: FastScreener, runId: number, date: string, area: AreaFilter,
  options: { batchSize?: number | undefined; onPage?: ((households: number, persons: number, failed: number) => void) | undefined } = {}):
  Promise<{ households: number; persons: number; failed: number; eligible: number; undetermined: number }> {
  const size = Math.max(1, options.batchSize ?? 2000);
  const params: unknown[] = [];
  const where = areaWhere(area, params);
  const k = params.length;
  const sql = `SELECT h.id, h.version, h.county, h.town, h.village, h.data FROM households h
    WHERE ${where} AND (h.county, h.town, h.village, h.id) > ($${k + 1}, $${k + 2}, $${k + 3}, $${k + 4})
    ORDER BY h.county, h.town, h.village, h.id LIMIT ${size}`;
  const read = (after: [string, string, string, string]) => db.query<Row>(sql, [...params, ...after]);
  const out = new CompactScreening();
  const numbers = new Map<unknown, number>();
  for (const p of screener.packs) for (const x of p.policies) numbers.set(x, numbers.size);
  const counts = { households: 0, persons: 0, failed: 0, eligible: 0, undetermined: 0 };
  let next: Promise<Row[]> | null = read(['', '', '', '']);
  let writing: Promise<void> = Promise.resolve();
  const elig: string[] = [];
  const und: string[] = [];
  while (next) {
    const page: Row[] = await next;
    if (page.length === 0) break;
    const last = page[page.length - 1] as Row;
    // Read the next page while this one is screened (PostgreSQL answers on another connection).
    next = page.length < size ? null : read([last.county, last.town, last.village, last.id]);
    const b: unknown[][] = [];
    for (const row of page) {
      const h = row.data;
      const n = h.members.length;
      counts.households += 1;
      counts.persons += n;
      let c: CompactScreening;
      try {
        c = screener.screenCompact(h, date, out);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        counts.failed += 1;
        b.push([row.id, row.version, n, null, null, null, 0, error.message]);
        continue;
      }
      let statuses = '';
      elig.length = 0;
      und.length = 0;
      for (let i = 0; i < c.count; i++) {
        const s = c.status[i] as number;
        statuses += s === ELIGIBLE ? '1' : s === UNDETERMINED ? '2' : '0';
        if (s === ELIGIBLE || s === UNDETERMINED) {
          const m = c.member[i] as number;
          const who = `${numbers.get(c.policyAt(i))}/${m < 0 ? '-' : m}`;
          if (s === ELIGIBLE) {
            const fen = c.fen[i] as number;
            elig.push(`${who}/${Number.isNaN(fen) ? '' : fen}`);
          } else und.push(who);
        }
      }
      counts.eligible += elig.length;
      counts.undetermined += und.length;
      b.push([row.id, row.version, n, statuses, elig.join(','), und.join(','), elig.length, null]);
    }
    // One write in flight at a time: wait for the previous one, then hand this batch over.
    await writing;
    writing = writeBatch(db, runId, b);
    options.onPage?.(counts.households, counts.persons, counts.failed);
  }
  await writing;
  await db.query(`INSERT INTO batch_run_areas (run_id, county, town, village, households, persons, failed) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (run_id, county, town, village) DO UPDATE SET households = EXCLUDED.households, persons = EXCLUDED.persons, failed = EXCLUDED.failed, finished_at = now()`,
  [runId, area.county ?? '', area.town ?? '', area.village ?? '', counts.households, counts.persons, counts.failed]);
  return counts;
}

/** Closes a run with the totals of its areas. */
export async function finishRun(db: SqlRunner, runId: number): Promise<void> {
  await db.query(`UPDATE batch_runs r SET finished_at = now(), households = t.h, persons = t.p, failed = t.f
    FROM (SELECT coalesce(sum(households), 0) AS h, coalesce(sum(persons), 0) AS p, coalesce(sum(failed), 0) AS f FROM batch_run_areas WHERE run_id = $1) t
    WHERE r.id = $1`, [runId]);
}

/**
 * `mingbai screen --all [--area 渝北区] [--date 2023-06-30]`: screens every live household of the area (everything when
 * absent) in one process, streaming from the database, and stores compact results under a new run id.
 */
export async function screenAll(db: SqlDatabase, packs: readonly CompiledPack[], options: ScreenAllOptions = {}): Promise<ScreenAllOutcome> {
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const area = options.area ?? {};
  const runId = await startRun(db, packs, date, area);
  const params: unknown[] = [];
  const [total] = await db.query<{ p: number }>(`SELECT coalesce(sum(h.size), 0) AS p FROM households h WHERE ${areaWhere(area, params)}`, params);
  const totalPersons = Number(total?.p ?? 0);
  const screener = new FastScreener(packs, { local: options.local });
  const started = performance.now();
  const progress = (households: number, persons: number, failed: number): ScreenAllProgress => ({
    runId, households, persons, totalPersons, failed, elapsedMs: performance.now() - started,
  });
  const counts = await screenArea(db, screener, runId, date, area, {
    batchSize: options.batchSize,
    onPage: (h, p, f) => options.onProgress?.(progress(h, p, f)),
  });
  await finishRun(db, runId);
  return { ...progress(counts.households, counts.persons, counts.failed), date, eligibleDecisions: counts.eligible, undeterminedDecisions: counts.undetermined };
}

/** "已测算 120000/1000000 人，每秒 85000 人" (with failures when there are any). */
export function formatProgress(p: ScreenAllProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round(p.persons / (p.elapsedMs / 1000)) : 0;
  const failed = p.failed > 0 ? `，${p.failed} 户无法测算` : '';
  return `已测算 ${p.persons}/${p.totalPersons} 人（${p.households} 户），每秒 ${rate} 人${failed}`;
}
