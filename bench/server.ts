/**
 * `npm run bench:server`: requests per second and p50/p99 latency of POST /v1/check for a typical
 * (~600-word) and a long (~4,000-word) article at several concurrency levels, measured with
 * autocannon against `serveCommand` running in its own process. Writes its section of
 * docs/BENCHMARKS.md (or BENCH_OUT).
 *
 * Options (environment): BENCH_SECONDS (default 8) per run, BENCH_CONCURRENCY (default
 * "1,8,32,64"), STANCECHECK_MODEL (default: the bundled model), BENCH_OUT (default
 * docs/BENCHMARKS.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeBenchSection } from './lib/benchmarks-doc.js';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LONG_BODY, TYPICAL_BODY, TYPICAL_HEADLINE, wordCount } from '../test/http-articles.js';

interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,8,32,64').split(',').map(Number);
const OUT = process.env.BENCH_OUT ?? `${ROOT}docs/BENCHMARKS.md`;

async function startServer(): Promise<{ child: ChildProcess; url: string; workers: number }> {
  const serve = new URL('../src/adapters/http/serve-command.ts', import.meta.url).href;
  // Default options and logger (JSON lines on stdout, one per request), as `stancecheck serve` runs.
  const code = `import { serveCommand } from ${JSON.stringify(serve)};\nawait serveCommand({ port: 0 });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (!line.includes('"listening"')) continue;
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining request logs
        resolve(JSON.parse(line) as Record<string, unknown>);
        return;
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (c) => reject(new Error(`server exited with code ${c}`)));
  });
  return { child, url: String(listening.url), workers: Number(listening.workers) };
}

/** Waits until the server has no queued or running work left over from the previous run. */
async function idle(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const h = (await (await fetch(`${url}/healthz`)).json()) as { busy: number; queued: number };
    if (h.busy === 0 && h.queued === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main(): Promise<void> {
  const spec = 'autocannon';
  const autocannon = ((await import(spec)) as { default: Autocannon }).default;
  const { child, url, workers } = await startServer();
  const articles = [
    {
      name: 'typical',
      words: wordCount(TYPICAL_BODY),
      body: JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY }),
    },
    {
      name: 'long',
      words: wordCount(LONG_BODY),
      body: JSON.stringify({ headline: TYPICAL_HEADLINE, body: LONG_BODY }),
    },
  ];
  const rows: string[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  try {
    // Warm-up: load, JIT, heap growth.
    await autocannon({
      url: `${url}/v1/check`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: articles[0]?.body,
      connections: 8,
      duration: 3,
    });
    for (const a of articles) {
      for (const c of LEVELS) {
        await idle(url);
        const r = await autocannon({
          url: `${url}/v1/check`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: a.body,
          connections: c,
          duration: SECONDS,
          timeout: 30,
        });
        const s503 = r.statusCodeStats['503']?.count ?? 0;
        const other = r.non2xx - s503;
        const row = `| ${a.name} (${a.words} words) | ${c} | ${r.requests.average.toFixed(0)} | ${r.latency.p50.toFixed(1)} | ${r.latency.p99.toFixed(1)} | ${r.latency.max.toFixed(0)} | ${r.requests.total} | ${s503} | ${other + r.errors + r.timeouts} |`;
        rows.push(row);
        console.log(row);
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const doc = `## HTTP server (\`npm run bench:server\`)

POST /v1/check with \`{"headline", "body"}\`, measured with autocannon ${SECONDS} s per row against
\`serveCommand({ port: 0 })\` in its own process: defaults (one worker thread per core = ${workers}
workers, queue of 64, 1 MB limit), the model at ${process.env.STANCECHECK_MODEL ?? 'models/ (bundled)'}.
The load generator runs on the same machine and shares its ${cpus().length} cores.
Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)};
1-minute load average before the run: ${loadBefore.toFixed(1)} (above ~0.5 means other work shared the CPU and the figures are pessimistic).

| article | concurrency | req/s | p50 ms | p99 ms | max ms | requests | 503 | other errors |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Articles are in test/http-articles.ts (written for these tests). 503 is the deliberate refusal
when more than 64 requests wait for a worker; "other errors" counts any other non-2xx answer,
socket error or timeout and should be 0.
Reproduce: \`npm run bench:server\` (BENCH_SECONDS, BENCH_CONCURRENCY and STANCECHECK_MODEL
change the run).
`;
  writeBenchSection('## HTTP server', doc, OUT);
  console.log(`wrote ${OUT}`);
}

await main();
