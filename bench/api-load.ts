/**
 * The API under load (issue 6, item 6): ad-hoc screening of one household (POST /api/screen) at a fixed rate.
 *
 * Starts the server (buildApp, in-memory PGlite with the demo data, the real packs) in a child process on 127.0.0.1,
 * logs in as demo-admin, and runs autocannon against it from this process for --duration seconds at --rate
 * requests/s overall. Traffic goes to loopback only.
 *
 *   npx tsx bench/api-load.ts [--rate 500] [--duration 10] [--connections 20] [--household 3] [--route api|fast] [--profile]
 *
 * --route fast times a bench-only route giving the same answer with the batch screener (FastScreener.screen with
 * explanations) and plain JSON.stringify, to show what the API route could reach.
 *
 * --profile writes a CPU profile of the server to /tmp/mingbai-api-prof.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import { buildApp } from '../src/http/app.ts';
import { loadPacks } from '../src/packs/load.ts';
import { openDatabase } from '../src/storage/store.ts';
import { FastScreener } from '../src/core/evaluator/fast-screen.ts';
import { totalEntitlements } from '../src/core/evaluator/totals.ts';
import { validateHousehold } from '../src/core/model/validate.ts';
import { localFactsFromYuan } from '../src/packs/local.ts';
import { householdAt } from './population.ts';

const argv = process.argv.slice(2);
const get = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] as string) : dflt;
};

async function server(): Promise<void> {
  const db = await openDatabase({});
  await seedDemo(db, 20);
  const packs = loadPacks();
  const app = await buildApp({ db, packs: () => packs, ui: false });
  // For comparison only (--route fast): the same answer as POST /api/screen, made by the batch screener with full
  // explanations and sent with JSON.stringify instead of the zod-checked serializer. Not part of the API.
  const fast = new FastScreener(packs, { local: localFactsFromYuan({}) });
  app.post('/api/bench/screen-fast', async (request, reply) => {
    if (!request.actor) throw new Error('unauthenticated');
    const body = request.body as { household: unknown; date: string };
    const validated = validateHousehold(body.household);
    if (!validated.ok) return reply.code(422).send({ problems: validated.problems });
    const result = fast.screen(validated.value, body.date, { explain: true });
    return reply.type('application/json').send(JSON.stringify({ result, totals: totalEntitlements(result.decisions) }));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ port }));
  process.once('SIGTERM', () => {
    void app.close().then(() => db.close()).then(() => {
      console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS * 1024 }));
      process.exit(0);
    });
  });
}

async function main(): Promise<void> {
  if (get('child', '') === 'server') return server();
  const rate = Number(get('rate', '500'));
  const duration = Number(get('duration', '10'));
  const connections = Number(get('connections', '20'));
  const household = householdAt(1, Number(get('household', '3')));
  const path = get('route', 'api') === 'fast' ? '/api/bench/screen-fast' : '/api/screen';
  const child = spawn(process.execPath, [...process.execArgv, ...(argv.includes('--profile') ? ['--cpu-prof', '--cpu-prof-dir=/tmp/mingbai-api-prof'] : []), fileURLToPath(import.meta.url), '--child', 'server'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const { port } = JSON.parse((await lines.next()).value as string) as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-admin', password: DEMO_PASSWORD }) });
  const { token } = await login.json() as { token: string };
  const body = JSON.stringify({ household, date: '2023-06-30' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const check = await fetch(`${base}${path}`, { method: 'POST', headers, body });
  const answer = await check.text();
  if (check.status !== 200) throw new Error(`POST ${path} → ${check.status}: ${answer.slice(0, 300)}`);
  const decisions = (JSON.parse(answer) as { result: { decisions: unknown[] } }).result.decisions.length;
  if (path !== '/api/screen') {
    // The comparison route must answer exactly as the API does.
    const api = await (await fetch(`${base}/api/screen`, { method: 'POST', headers, body })).json();
    if (!isDeepStrictEqual(api, JSON.parse(answer))) throw new Error(`${path} answers differently from /api/screen`);
  }
  console.log(`POST ${path}：一户 ${household.members.length} 人，${decisions} 项决定，响应 ${Math.round(answer.length / 1024)} KB；预热 3 秒，然后 ${duration} 秒，固定每秒 ${rate} 个请求，${connections} 个连接`);
  const run = (seconds: number) => autocannon({ url: `${base}${path}`, method: 'POST', headers, body, connections, overallRate: rate, duration: seconds });
  await run(3);
  const r = await run(duration);
  child.kill('SIGTERM');
  let rss = 0;
  for await (const line of lines) if (line.startsWith('{')) rss = (JSON.parse(line) as { rss: number }).rss;
  const l = r.latency;
  console.log(`\n| offered req/s | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | timeouts | server peak RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  console.log(`| ${rate} | ${Math.round(r.requests.average)} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.max} | ${r.non2xx} | ${r.errors} | ${r.timeouts} | ${Math.round(rss / 1048576)} |`);
  console.log(`负载 ${loadavg().map((x) => x.toFixed(1)).join(' ')}；目标：每秒 500 个请求时 p99 < 20 ms。`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
