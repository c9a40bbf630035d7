/**
 * The API under load (issue 6, item 6): ad-hoc screening of one household (POST /api/screen) at a fixed rate.
 *
 * Starts the server (buildApp, in-memory PGlite with the demo data, the real packs) in a child process on 127.0.0.1
 * with the Node flags `npm start` uses, logs in as demo-admin, and runs autocannon against it from this process for
 * --duration seconds at --rate requests/s overall. Each request screens another household of the synthetic registry
 * (a pool of --pool households, sent in turn), so nothing is answered from a cache. Traffic goes to loopback only.
 *
 *   npx tsx bench/api-load.ts [--rate 500] [--duration 10] [--connections 20] [--pool 1000] [--detail brief|summary|full]
 *                             [--load uniform,autocannon] [--target url] [--profile] [--json]
 *
 * Two load generators, one after the other against the same server: uniform (open loop, one request every 1/rate s,
 * latency from the moment it was due; see uniformLoad) and autocannon with overallRate (bursts at each second).
 *
 * --target http://host:port load-tests a server already running (`npm start`, e.g. with MINGBAI_WORKERS) instead.
 * --detail full asks for every decision with every reason (the large answer); summary is the API's default.
 * --profile writes a CPU profile of the server to /tmp/mingbai-api-prof. --json prints one line of figures for
 * bench/screening.ts.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import { buildApp } from '../src/http/app.ts';
import { readFileSync } from 'node:fs';
import { loadPacks } from '../src/packs/load.ts';
import { openDatabase } from '../src/storage/store.ts';
import { householdAt } from './population.ts';

const argv = process.argv.slice(2);

/** The Node flags of `npm start` (the tokens between `node` and `--import`), so the server runs as it does in use. */
function serverNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  return start[0] === 'node' ? start.slice(1, start.indexOf('--import')) : [];
}
const get = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] as string) : dflt;
};

export type LoadKind = 'uniform' | 'autocannon';
export interface LoadResult { achieved: number; p50: number; p90: number; p99: number; max: number; non2xx: number; errors: number }
/** Measured inside the server (null with --target): request received → answer written, CPU share, event-loop delay. */
export interface ServerSide {
  serverP50: number | null; serverP99: number | null; serverCpuPercent: number | null; serverLoopDelayP99: number | null;
  clientCpuPercent: number; clientLoopDelayP99: number;
}
export interface ApiLoadFigures extends Partial<Record<LoadKind, LoadResult & ServerSide>> {
  detail: string; rate: number; meanAnswerKB: number; meanDecisions: number; serverPeakRssMB: number; load: number[];
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(1));
}

interface ServerReport { p50: number; p99: number; cpuPercent: number; loopDelayP99: number }

async function server(): Promise<void> {
  const db = await openDatabase({});
  await seedDemo(db, 20);
  const packs = loadPacks();
  const app = await buildApp({ db, packs: () => packs, ui: false });
  // Server-side latency (request received → answer written), to tell the server's share from the client's and the OS's.
  const started = new WeakMap<object, bigint>();
  let served: number[] = [];
  app.addHook('onRequest', (request, _reply, done) => { started.set(request, process.hrtime.bigint()); done(); });
  app.addHook('onResponse', (request, _reply, done) => {
    const t0 = started.get(request);
    if (t0 !== undefined && request.url === '/api/screen') served.push(Number(process.hrtime.bigint() - t0) / 1e6);
    done();
  });
  let since = { cpu: process.cpuUsage(), at: performance.now() };
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.on('message', (message) => {
    if (message === 'reset') {
      served = [];
      loop.reset();
      since = { cpu: process.cpuUsage(), at: performance.now() };
    }
    if (message === 'report') {
      const cpu = process.cpuUsage(since.cpu);
      process.send?.({ p50: percentile(served, 0.5), p99: percentile(served, 0.99), cpuPercent: Math.round((cpu.user + cpu.system) / 10 / (performance.now() - since.at)), loopDelayP99: Number((loop.percentile(99) / 1e6).toFixed(1)) });
    }
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
  const detail = get('detail', 'summary');
  const json = argv.includes('--json');
  const say = (line: string) => { if (!json) console.log(line); };
  const profile = argv.includes('--profile') ? ['--cpu-prof', '--cpu-prof-dir=/tmp/mingbai-api-prof'] : [];
  const target = get('target', '');
  const child = target ? null : spawn(process.execPath, [...(argv.includes('--no-flags') ? [] : serverNodeFlags()), ...process.execArgv, ...profile, fileURLToPath(import.meta.url), '--child', 'server'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const lines = child?.stdout ? createInterface({ input: child.stdout })[Symbol.asyncIterator]() : null;
  const base = target || `http://127.0.0.1:${(JSON.parse((await lines?.next())?.value as string) as { port: number }).port}`;
  const url = `${base}/api/screen`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-admin', password: DEMO_PASSWORD }) });
  const { token } = await login.json() as { token: string };
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

  // Every body is checked once before the run: a 200 with decisions, and the answer sizes for the report.
  const bodies = Array.from({ length: Number(get('pool', '1000')) }, (_, i) => JSON.stringify({ household: householdAt(1, i), date: '2023-06-30', detail }));
  let bytes = 0;
  let decisions = 0;
  for (const body of bodies) {
    const res = await fetch(url, { method: 'POST', headers, body });
    const answer = await res.text();
    if (res.status !== 200) throw new Error(`POST /api/screen → ${res.status}: ${answer.slice(0, 300)}`);
    bytes += Buffer.byteLength(answer);
    decisions += (JSON.parse(answer) as { result: { decisions: unknown[] }; notEntitled: unknown[] }).result.decisions.length;
  }
  const meanAnswerKB = bytes / bodies.length / 1024;
  say(`POST /api/screen（detail = ${detail}）：${bodies.length} 户轮流发送，平均响应 ${meanAnswerKB.toFixed(1)} KB、详列 ${(decisions / bodies.length).toFixed(1)} 项决定；预热 3 秒，然后 ${duration} 秒，每秒 ${rate} 个请求，最多 ${connections} 个连接`);

  const payloads = bodies.map((b) => Buffer.from(b));
  let next = 0;
  const nextBody = () => payloads[next++ % payloads.length] as Buffer;
  const loads: Record<LoadKind, (seconds: number) => Promise<LoadResult>> = {
    uniform: (seconds) => uniformLoad(url, headers, nextBody, rate, seconds, connections),
    autocannon: async (seconds) => {
      const r = await autocannon({
        url, method: 'POST', headers, connections, overallRate: rate, duration: seconds,
        requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
      });
      const l = r.latency;
      return { achieved: Math.round(r.requests.average), p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, non2xx: r.non2xx, errors: r.errors + r.timeouts };
    },
  };
  const kinds = (get('load', 'uniform,autocannon').split(',') as LoadKind[]).filter((k) => k in loads);
  const results: Partial<Record<LoadKind, LoadResult & ServerSide>> = {};
  for (const kind of kinds) {
    await loads[kind](3);
    child?.send('reset');
    const cpuBefore = process.cpuUsage();
    const clientLoop = monitorEventLoopDelay({ resolution: 1 });
    clientLoop.enable();
    const r = await loads[kind](duration);
    clientLoop.disable();
    const clientCpu = process.cpuUsage(cpuBefore);
    const report = child ? await new Promise<ServerReport>((resolve) => {
      child.once('message', (m) => resolve(m as ServerReport));
      child.send('report');
    }) : null;
    results[kind] = {
      ...r, serverP50: report?.p50 ?? null, serverP99: report?.p99 ?? null, serverCpuPercent: report?.cpuPercent ?? null,
      serverLoopDelayP99: report?.loopDelayP99 ?? null, clientCpuPercent: Math.round((clientCpu.user + clientCpu.system) / 1e4 / duration),
      clientLoopDelayP99: Number((clientLoop.percentile(99) / 1e6).toFixed(1)),
    };
  }
  child?.kill('SIGTERM');
  let rss = 0;
  if (lines) for await (const line of lines) if (line.startsWith('{')) rss = (JSON.parse(line) as { rss: number }).rss;
  const figures: ApiLoadFigures = {
    detail, rate, meanAnswerKB: Number(meanAnswerKB.toFixed(1)), meanDecisions: Number((decisions / bodies.length).toFixed(1)),
    serverPeakRssMB: Math.round(rss / 1048576), load: loadavg().map((x) => Number(x.toFixed(1))), ...results,
  };
  if (json) {
    console.log(JSON.stringify(figures));
    return;
  }
  say(`\n| load | detail | offered req/s | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | in server p50 / p99 ms | server loop delay p99 ms | CPU server / client | non-2xx | errors |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const kind of kinds) {
    const f = results[kind] as LoadResult & ServerSide;
    say(`| ${kind} | ${detail} | ${rate} | ${f.achieved} | ${f.p50} | ${f.p90} | ${f.p99} | ${f.max} | ${f.serverP50 ?? '—'} / ${f.serverP99 ?? '—'} | ${f.serverLoopDelayP99 ?? '—'} | ${f.serverCpuPercent ?? '—'}% / ${f.clientCpuPercent}% | ${f.non2xx} | ${f.errors} |`);
  }
  say(`服务端峰值 RSS ${figures.serverPeakRssMB} MB；负载 ${figures.load.join(' ')}；目标：每秒 500 个请求时 p99 < 20 ms。`);
  say('uniform：请求按固定间隔（每秒 rate 个，均匀）发出，延迟从应发出的时刻算起。autocannon：overallRate 让每个连接在每秒开始时连发其配额，实为每秒一次的突发。');
}

/**
 * Open-loop load at a constant rate: request i is due at t0 + i / rate, whatever the answers before it, and its latency
 * counts from that moment, so a stalled server is not hidden by requests never sent (no coordinated omission).
 * autocannon's overallRate is not this: each connection sends its share for the second back to back at the start of
 * every second (autocannon/lib/httpClient.js, rateInterval), so the server sees one burst per second.
 */
function uniformLoad(url: string, headers: Record<string, string>, nextBody: () => Buffer, rate: number, seconds: number, connections: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let lastEnd = 0;
  const t0 = performance.now() + 5;
  return new Promise((resolve) => {
    const finish = () => {
      lastEnd = performance.now();
      if (latencies.length + errors < total) return;
      agent.destroy();
      const at = (q: number) => Math.round(percentile(latencies, q));
      resolve({ achieved: Math.round(latencies.length / ((lastEnd - t0) / 1000)), p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), non2xx, errors });
    };
    const tick = () => {
      const now = performance.now();
      for (; sent < total && t0 + (sent * 1000) / rate <= now; sent++) {
        const due = t0 + (sent * 1000) / rate;
        const body = nextBody();
        const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
          if (res.statusCode !== 200) non2xx++;
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            finish();
          });
        });
        req.on('error', () => {
          errors++;
          finish();
        });
        req.end(body);
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
