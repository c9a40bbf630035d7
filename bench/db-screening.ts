/**
 * Screening the registry end to end on PostgreSQL (issue 6, items 4–5).
 *
 * Loads a deterministic synthetic registry (bench/population.ts, whole households until --n persons) into a schema of
 * its own with COPY (kept between runs: loaded once per --n and --seed), then times `screen --all` from the database:
 * read in keyset pages, screen with the batch screener, write compact results in batches. Each measurement runs in
 * fresh processes, so the peak RSS printed is the screening's own.
 *
 *   npx tsx bench/db-screening.ts [--n 1000000] [--seed 1] [--date 2023-06-30] [--workers 0,1,2] [--batch 2000] [--url postgres://…]
 *
 * --workers 0: one process, screenAll(). --workers k: k worker processes taking one job per town from a pg-boss queue;
 * the time runs from putting the jobs on the queue until every area is done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { enqueueRun, openQueue, startScreenWorker, waitForRun } from '../src/batch/queue.ts';
import { formatProgress, screenAll } from '../src/batch/screen-all.ts';
import { loadPacks } from '../src/packs/load.ts';
import { dropSchema } from '../src/storage/postgres.ts';
import { openDatabase, type SqlDatabase } from '../src/storage/store.ts';
import { households } from './population.ts';

interface Args { n: number; seed: number; date: string; workers: number[]; batch: number; url: string; child: string | null }

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (v: string) => {
    const n = Number(v.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, got ${v}`);
    return n;
  };
  return {
    n: num(get('n') ?? '1000000'), seed: num(get('seed') ?? '1'), date: get('date') ?? '2023-06-30',
    workers: (get('workers') ?? '0').split(',').map(num), batch: num(get('batch') ?? '2000'),
    url: get('url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', child: get('child') ?? null,
  };
}

const schemaOf = (a: Args) => `bench_registry_${a.n}_${a.seed}`;
const mb = (bytes: number) => Math.round(bytes / 1048576);
const peakRss = () => process.resourceUsage().maxRSS * 1024;
/** CPU seconds of this process (all threads). */
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

// ---- loading -----------------------------------------------------------------------------------------------------

/** COPY text format: backslash, tab, newline and carriage return escaped. */
const copyText = (s: string) => s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));

async function load(args: Args): Promise<{ households: number; persons: number; seconds: number | null }> {
  const schema = schemaOf(args);
  let db = await openDatabase({ databaseUrl: args.url, schema });
  try {
    const [done] = await db.query<{ h: number; p: number }>('SELECT count(*) AS h, coalesce(sum(size), 0) AS p FROM households');
    if (Number(done?.p) >= args.n) return { households: Number(done?.h), persons: Number(done?.p), seconds: null };
  } finally {
    await db.close();
  }
  // A partial load from an interrupted run: start again.
  await dropSchema(args.url, schema);
  db = await openDatabase({ databaseUrl: args.url, schema });
  const t0 = performance.now();
  const psql = spawn('psql', [args.url, '-v', 'ON_ERROR_STOP=1', '-q', '-c',
    'COPY households (id, county, town, village, head_name, size, data, version) FROM STDIN'],
  { stdio: ['pipe', 'inherit', 'inherit'], env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` } });
  const exited = new Promise<number>((resolve) => psql.on('exit', (code) => resolve(code ?? 1)));
  let count = 0, persons = 0, buf = '';
  for (const h of households(args.seed, args.n)) {
    count += 1;
    persons += h.members.length;
    buf += `${h.id}\t${h.area.county}\t${h.area.town ?? ''}\t${h.area.village ?? ''}\t${copyText(h.members[0]?.name ?? '')}\t${h.members.length}\t${copyText(JSON.stringify(h))}\t1\n`;
    if (buf.length > 1 << 20) {
      if (!psql.stdin.write(buf)) await new Promise((r) => psql.stdin.once('drain', r));
      buf = '';
    }
    if (count % 50_000 === 0) process.stdout.write(`\r  已载入 ${persons} 人`);
  }
  psql.stdin.end(buf);
  if ((await exited) !== 0) throw new Error('COPY failed');
  await db.exec(`INSERT INTO areas (level, county, town, village) SELECT DISTINCT '村社', county, town, village FROM households ON CONFLICT DO NOTHING;
    ANALYZE households`);
  await db.close();
  process.stdout.write('\r');
  return { households: count, persons, seconds: (performance.now() - t0) / 1000 };
}

// ---- children ----------------------------------------------------------------------------------------------------

async function openBench(args: Args): Promise<SqlDatabase> {
  return openDatabase({ databaseUrl: args.url, schema: schemaOf(args) });
}

/** --child screen: screenAll in this process; prints one JSON line. */
async function childScreen(args: Args): Promise<void> {
  const db = await openBench(args);
  const packs = loadPacks();
  let lastPrint = 0;
  const t0 = performance.now();
  const cpu0 = cpuSeconds();
  const outcome = await screenAll(db, packs, {
    date: args.date, batchSize: args.batch,
    onProgress: (p) => {
      if (p.elapsedMs - lastPrint >= 2000) {
        lastPrint = p.elapsedMs;
        process.stderr.write(`  ${formatProgress(p)}\n`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  await db.close();
  console.log(JSON.stringify({ persons: outcome.persons, households: outcome.households, failed: outcome.failed, seconds, cpu: cpuSeconds() - cpu0, rss: peakRss(), eligible: outcome.eligibleDecisions }));
}

/** --child worker: a pg-boss worker until SIGTERM; prints READY, then one JSON line with its totals on exit. */
async function childWorker(args: Args): Promise<void> {
  const db = await openBench(args);
  const boss = await openQueue(args.url, `${schemaOf(args)}_boss`);
  const totals = { jobs: 0, persons: 0, busyMs: 0, cpu: 0 };
  const cpu0 = cpuSeconds();
  await startScreenWorker(db, boss, loadPacks(), { onJob: (_job, c) => { totals.jobs += 1; totals.persons += c.persons; totals.busyMs += c.ms; } });
  console.log('READY');
  process.once('SIGTERM', () => {
    void (async () => {
      await boss.stop({ graceful: false, wait: true, timeout: 2000 }).catch(() => undefined);
      await db.close();
      console.log(JSON.stringify({ ...totals, cpu: cpuSeconds() - cpu0, rss: peakRss() }));
      process.exit(0);
    })();
  });
}

function spawnChild(args: Args, role: string): ChildProcess {
  const argv = [...process.execArgv, fileURLToPath(import.meta.url), '--child', role, '--n', String(args.n), '--seed', String(args.seed),
    '--date', args.date, '--batch', String(args.batch), '--url', args.url];
  return spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
}

function lines(child: ChildProcess): AsyncIterableIterator<string> {
  return createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
}

interface Figure { workers: number; persons: number; seconds: number; cpu: number; rss: number[]; note: string }

async function runOne(args: Args): Promise<Figure> {
  const child = spawnChild(args, 'screen');
  let result: { persons: number; seconds: number; cpu: number; rss: number; failed: number } | null = null;
  for await (const line of lines(child)) if (line.startsWith('{')) result = JSON.parse(line);
  if (!result) throw new Error('screening child failed');
  return { workers: 0, persons: result.persons, seconds: result.seconds, cpu: result.cpu, rss: [result.rss], note: `screenAll，一个进程；${result.failed} 户无法测算` };
}

async function runWorkers(args: Args, k: number): Promise<Figure> {
  const children = Array.from({ length: k }, () => spawnChild(args, 'worker'));
  const iters = children.map(lines);
  for (const it of iters) {
    const first = await it.next();
    if (first.value !== 'READY') throw new Error(`worker did not start: ${first.value}`);
  }
  const db = await openBench(args);
  const boss = await openQueue(args.url, `${schemaOf(args)}_boss`);
  const t0 = performance.now();
  const run = await enqueueRun(db, boss, loadPacks(), args.date, {}, { batchSize: args.batch });
  let lastPrint = 0;
  await waitForRun(db, run.runId, run.areas, (d) => {
    const ms = performance.now() - t0;
    if (ms - lastPrint >= 2000) {
      lastPrint = ms;
      process.stderr.write(`  已完成 ${d.areas}/${run.areas} 个镇街，${d.persons}/${run.persons} 人\n`);
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  await boss.stop({ graceful: false, wait: true, timeout: 2000 }).catch(() => undefined);
  await db.close();
  const rss: number[] = [];
  const shares: number[] = [];
  let cpu = 0;
  for (const [i, child] of children.entries()) {
    child.kill('SIGTERM');
    for await (const line of iters[i] as AsyncIterableIterator<string>) {
      if (!line.startsWith('{')) continue;
      const t = JSON.parse(line) as { persons: number; jobs: number; rss: number; cpu: number };
      rss.push(t.rss);
      cpu += t.cpu;
      shares.push(t.jobs);
    }
  }
  return { workers: k, persons: run.persons, seconds, cpu, rss, note: `pg-boss，${run.areas} 个镇街作业，各进程作业数 ${shares.join('/')}` };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child === 'screen') return childScreen(args);
  if (args.child === 'worker') return childWorker(args);
  console.log(`PostgreSQL 端到端测算：${args.n} 人，种子 ${args.seed}，测算日 ${args.date}，每批 ${args.batch} 户；${cpus().length} × ${cpus()[0]?.model.trim()}，负载 ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const loaded = await load(args);
  console.log(loaded.seconds === null
    ? `登记库已在 schema ${schemaOf(args)}：${loaded.households} 户 ${loaded.persons} 人（沿用）`
    : `已载入 ${loaded.households} 户 ${loaded.persons} 人到 schema ${schemaOf(args)}（COPY，${loaded.seconds.toFixed(1)} 秒）`);
  const figures: Figure[] = [];
  for (const k of args.workers) {
    const f = k === 0 ? await runOne(args) : await runWorkers(args, k);
    figures.push(f);
    console.log(`  → ${k === 0 ? '单进程' : `${k} 个工作进程`}：${f.persons} 人，${f.seconds.toFixed(1)} 秒，每秒 ${Math.round(f.persons / f.seconds)} 人，Node 进程 CPU ${f.cpu.toFixed(1)} 秒，峰值 RSS ${f.rss.map(mb).join('/')} MB（${f.note}）`);
  }
  console.log('\n| workers | persons | seconds (wall) | persons / s (wall) | Node CPU s (all processes) | peak RSS per process (MB) | note |\n|---:|---:|---:|---:|---:|---:|---|');
  for (const f of figures) console.log(`| ${f.workers === 0 ? 'in-process' : f.workers} | ${f.persons} | ${f.seconds.toFixed(1)} | ${Math.round(f.persons / f.seconds)} | ${f.cpu.toFixed(1)} | ${f.rss.map(mb).join(' / ')} | ${f.note} |`);
  console.log(`负载 ${loadavg().map((x) => x.toFixed(1)).join(' ')}；目标：100 万人 60 秒内、RSS 1 GiB 以内（PostgreSQL 服务端内存不计）。`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
