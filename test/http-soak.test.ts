/**
 * Soak: `serveCommand` in its own process, a few thousand mixed good and bad requests from
 * concurrent clients. Every answer must be the right one, the process must stay up, its memory
 * must end near where it started, and SIGTERM must finish the requests in flight.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  LONG_BODY,
  SWAPPED_HEADLINE,
  TYPICAL_BODY,
  TYPICAL_HEADLINE,
  TYPICAL_HTML,
} from './http-articles.js';
import { SKIP_NO_MODEL, testModelPath } from './http-helpers.js';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 3000);
const CLIENTS = 16;
const LIMIT = 64 * 1024;
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SERVE = new URL('../src/adapters/http/serve-command.ts', import.meta.url).href;

interface Server {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

async function startChild(): Promise<Server> {
  const code = `import { serveCommand } from ${JSON.stringify(SERVE)};
await serveCommand({ port: 0, host: '127.0.0.1', workers: 2, maxBodyBytes: ${LIMIT} });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', code], {
    cwd: ROOT,
    env: { ...process.env, STANCECHECK_MODEL: testModelPath() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 30 s; stderr: ${stderr}`)),
      30_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const o = JSON.parse(line) as Record<string, unknown>; // every log line must be JSON
        logs.push(o);
        if (o.msg === 'listening') {
          clearTimeout(timer);
          resolve(String(o.url));
        }
      }
    });
    void exited.then((c) => reject(new Error(`server exited with ${c}; stderr: ${stderr}`)));
  });
  return { child, url, logs, exited };
}

async function rss(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^process_resident_memory_bytes (\d+)/m.exec(text);
  assert.ok(m, 'rss gauge present');
  return Number(m[1]);
}

type Expect = { status: number; code?: string; check?: (body: string) => void };
type Case = { name: string; weight: number; send: (url: string) => Promise<Response>; expect: Expect };

const post = (url: string, body: BodyInit, type = 'application/json') =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': type } });
const label = (body: string) =>
  assert.match((JSON.parse(body) as { label: string }).label, /^(agree|disagree|discuss|unrelated)$/);

const CASES: Case[] = [
  {
    name: 'typical article',
    weight: 30,
    send: (u) => post(`${u}/v1/check`, JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY })),
    expect: { status: 200, check: label },
  },
  {
    name: 'swapped headline',
    weight: 10,
    send: (u) => post(`${u}/v1/check`, JSON.stringify({ headline: SWAPPED_HEADLINE, body: TYPICAL_BODY })),
    expect: { status: 200, check: label },
  },
  {
    name: 'long article',
    weight: 5,
    send: (u) => post(`${u}/v1/check`, JSON.stringify({ headline: TYPICAL_HEADLINE, body: LONG_BODY })),
    expect: { status: 200, check: label },
  },
  {
    name: 'article html',
    weight: 8,
    send: (u) => post(`${u}/v1/check`, JSON.stringify({ html: TYPICAL_HTML })),
    expect: { status: 200, check: label },
  },
  {
    name: 'batch of three with one bad line',
    weight: 5,
    send: (u) =>
      post(
        `${u}/v1/batch`,
        [
          JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY }),
          '{oops',
          JSON.stringify({ html: TYPICAL_HTML }),
        ].join('\n'),
        'application/x-ndjson',
      ),
    expect: {
      status: 200,
      check: (b) => {
        const lines = b
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { line: number; result?: unknown; error?: { code: string } });
        assert.deepEqual(
          lines.map((l) => l.line),
          [1, 2, 3],
        );
        assert.ok(lines[0]?.result && lines[2]?.result);
        assert.equal(lines[1]?.error?.code, 'INPUT_FORMAT');
      },
    },
  },
  {
    name: 'invalid JSON',
    weight: 8,
    send: (u) => post(`${u}/v1/check`, '{"headline":'),
    expect: { status: 400, code: 'INPUT_FORMAT' },
  },
  {
    name: 'wrong type',
    weight: 5,
    send: (u) => post(`${u}/v1/check`, JSON.stringify({ headline: ['x'], body: 'y' })),
    expect: { status: 400, code: 'INPUT_FORMAT' },
  },
  {
    name: 'missing field',
    weight: 5,
    send: (u) => post(`${u}/v1/check`, JSON.stringify({ headline: 'x' })),
    expect: { status: 400, code: 'INPUT_FORMAT' },
  },
  {
    name: 'empty body',
    weight: 4,
    send: (u) => post(`${u}/v1/check`, ''),
    expect: { status: 400, code: 'INPUT_EMPTY' },
  },
  {
    name: 'invalid UTF-8',
    weight: 4,
    send: (u) => post(`${u}/v1/check`, new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    expect: { status: 400, code: 'INPUT_ENCODING' },
  },
  {
    name: 'oversized',
    weight: 3,
    send: (u) => post(`${u}/v1/check`, JSON.stringify({ headline: 'h', body: 'x'.repeat(LIMIT + 10) })),
    expect: { status: 413, code: 'INPUT_TOO_LARGE' },
  },
  {
    name: 'wrong content type',
    weight: 4,
    send: (u) => post(`${u}/v1/check`, 'headline=x', 'text/plain'),
    expect: { status: 400, code: 'USAGE' },
  },
  {
    name: 'unknown route',
    weight: 4,
    send: (u) => fetch(`${u}/v1/nothing-here`),
    expect: { status: 404, code: 'NOT_FOUND' },
  },
  { name: 'health', weight: 5, send: (u) => fetch(`${u}/healthz`), expect: { status: 200 } },
];

function pick(i: number): Case {
  const total = CASES.reduce((s, c) => s + c.weight, 0);
  let r = (i * 7919) % total; // deterministic mix
  for (const c of CASES) {
    if (r < c.weight) return c;
    r -= c.weight;
  }
  return CASES[0] as Case;
}

describe('soak', { skip: SKIP_NO_MODEL, timeout: 120_000 }, () => {
  let server: Server;

  before(async () => {
    server = await startChild();
  });
  after(() => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it(`answers ${TOTAL} mixed requests from ${CLIENTS} clients correctly and ends with memory near where it started`, async () => {
    const { url } = server;
    // Warm up with concurrent traffic so that the baseline includes loaded models, JIT-compiled
    // code and heaps grown to their working size (RSS rises for ~1,000 requests, then levels off).
    let w = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (w < 1000) await (await pick(w++).send(url)).arrayBuffer();
      }),
    );
    const before = await rss(url);

    let next = 0;
    const tally = new Map<string, number>();
    const failures: string[] = [];
    const started = performance.now();
    const client = async () => {
      for (;;) {
        const i = next++;
        if (i >= TOTAL) return;
        const c = pick(i);
        try {
          const res = await c.send(url);
          const body = await res.text();
          if (res.status === 503) {
            assert.equal(res.headers.get('retry-after'), '1'); // a deliberate refusal is allowed
          } else {
            assert.equal(res.status, c.expect.status, `${c.name}: ${body.slice(0, 200)}`);
            if (c.expect.code)
              assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, c.expect.code);
            c.expect.check?.(body);
          }
          tally.set(`${c.name} ${res.status}`, (tally.get(`${c.name} ${res.status}`) ?? 0) + 1);
        } catch (e) {
          failures.push(
            `#${i} ${c.name}: ${e instanceof Error ? `${e.message} ${JSON.stringify((e as { cause?: unknown }).cause ?? '')}` : String(e)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = (performance.now() - started) / 1000;
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} wrong answers`);
    assert.equal(server.child.exitCode, null, 'the server is still running');
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();

    await new Promise((res) => setTimeout(res, 500));
    const afterRss = await rss(url);
    const growthMb = (afterRss - before) / 1024 / 1024;
    console.log(
      `# soak: ${TOTAL} requests in ${seconds.toFixed(1)} s (${(TOTAL / seconds).toFixed(0)} req/s); rss ${(before / 1048576).toFixed(0)} → ${(afterRss / 1048576).toFixed(0)} MB`,
    );
    console.log(`# soak: ${[...tally].map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    // Heaps settle a little above the warm-up size; a leak of more than ~20 KB per request fails this.
    const allowedMb = Math.max(64, (0.25 * before) / 1024 / 1024);
    assert.ok(
      growthMb < allowedMb,
      `memory grew by ${growthMb.toFixed(1)} MB (allowed ${allowedMb.toFixed(0)} MB)`,
    );
  });

  it('finishes requests in flight on SIGTERM, logs the shutdown and exits with code 0', async () => {
    const { url, child } = server;
    const inflight = Array.from({ length: 8 }, () =>
      post(`${url}/v1/check`, JSON.stringify({ headline: TYPICAL_HEADLINE, body: LONG_BODY })).then(
        async (r) => ({ status: r.status, body: await r.text() }),
      ),
    );
    // Wait until the server has all eight in hand (the /metrics request counts itself too).
    for (let i = 0; i < 500; i++) {
      const m = /^stancecheck_http_inflight_requests (\d+)/m.exec(
        await (await fetch(`${url}/metrics`)).text(),
      );
      if (Number(m?.[1] ?? 0) >= 9) break;
    }
    child.kill('SIGTERM');
    const results = await Promise.all(inflight);
    for (const r of results) assert.equal(r.status, 200, r.body.slice(0, 200));
    assert.equal(await server.exited, 0);
    const msgs = server.logs.map((l) => l.msg);
    assert.ok(
      msgs.includes('shutting down') && msgs.includes('stopped'),
      `logs: ${msgs.slice(-5).join(', ')}`,
    );
  });
});
