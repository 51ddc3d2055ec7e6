/**
 * `queue submit|status|collect` and `worker` against a real Redis on loopback, with real worker
 * processes (the real CLI) and the tiny fixture model. Tests skip with a message when no Redis is
 * reachable, and fail instead under STANCECHECK_REQUIRE_SERVICES=1. Every test uses its own
 * namespace, so runs sharing one Redis never see each other's chunks.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openRedisQueue } from '../src/adapters/queue/redis-queue.js';
import { chunkScorer } from '../src/adapters/cli/commands/worker.js';
import { loadChecker } from '../src/adapters/fs/load-checker.js';
import type { ChunkWork } from '../src/adapters/cli/job-queue.js';
import { writeSyntheticFnc, type SyntheticFiles } from './helpers/synthetic-fnc.js';
import {
  PrivateRedis,
  REDIS_URL,
  freePort,
  redisServerSkipReason,
  redisSkipReason,
} from './helpers/redis.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'adapters', 'cli', 'main.ts');
const MODEL = join(ROOT, 'test', 'fixtures', 'tiny.model');
const FIX = join(ROOT, 'test', 'fixtures', 'fnc');

const SKIP = await redisSkipReason();
const SKIP_RESTART = SKIP || redisServerSkipReason();

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
async function cli(args: string[]): Promise<Done> {
  const p = startCli(args);
  const [code] = (await once(p.child, 'close')) as [number | null];
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr match of `re` (seen so far or later). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function startCli(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--model', MODEL, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of [...waiters]) {
      const m = err.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, ms = 60_000) {
      const m = err.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${err}`)), ms);
        waiters.push({
          re,
          resolve: (x) => {
            clearTimeout(t);
            resolve(x);
          },
        });
      });
    },
  };
}

/** Namespaces the tests used, per Redis URL: their keys are deleted at the end. */
const used: { url: string; ns: string }[] = [];

function ns(url = REDIS_URL): string {
  const n = `sc-test-${randomBytes(4).toString('hex')}`;
  used.push({ url, ns: n });
  return n;
}

/** Deletes every key of the namespaces used on `url` (BullMQ's `bull:NS:*` and the jobs' `NS:*`). */
async function cleanUp(url: string): Promise<void> {
  const r = new Redis(url);
  try {
    for (const u of used.filter((x) => x.url === url)) {
      for (const pattern of [`${u.ns}:*`, `bull:${u.ns}:*`]) {
        const keys: string[] = [];
        for await (const batch of r.scanStream({ match: pattern, count: 500 }))
          keys.push(...(batch as string[]));
        for (let i = 0; i < keys.length; i += 500) await r.del(...keys.slice(i, i + 500));
      }
    }
  } finally {
    r.disconnect();
  }
}

/** Fast stalled-chunk recovery for tests (production defaults are 30 s). */
const FAST_STALL = ['--lock-duration-ms', '1500', '--stalled-interval-ms', '500'];

function worker(url: string, namespace: string, ...extra: string[]): Running {
  return startCli(['worker', '--redis', url, '--namespace', namespace, ...FAST_STALL, ...extra]);
}

async function stopAll(ws: Running[]): Promise<void> {
  for (const w of ws) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(ws.map((w) => w.exited));
}

/** Submits and returns the job id (the last line of stdout). */
async function submit(url: string, namespace: string, ...args: string[]): Promise<string> {
  const r = await cli(['queue', 'submit', '--redis', url, '--namespace', namespace, ...args]);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim().split('\n').at(-1) ?? '';
  assert.match(id, /^[a-z0-9]+-[0-9a-f]{8}$/);
  return id;
}

describe('queue and worker', { skip: SKIP, timeout: 240_000 }, () => {
  let dir: string;
  let big: SyntheticFiles;
  let batchCsv: string;
  let batchJsonl: string;
  let redis: Redis;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-queue-'));
    big = await writeSyntheticFnc(dir, 6000);
    const a = cli([
      'batch',
      '--bodies',
      big.bodies,
      '--stances',
      big.stances,
      '--out',
      join(dir, 'batch.csv'),
    ]);
    const b = cli([
      'batch',
      '--input',
      big.pairsJsonl,
      '--out',
      join(dir, 'batch.jsonl'),
      '--format',
      'jsonl',
    ]);
    for (const r of await Promise.all([a, b])) assert.equal(r.code, 0, r.stderr);
    batchCsv = await readFile(join(dir, 'batch.csv'), 'utf8');
    batchJsonl = await readFile(join(dir, 'batch.jsonl'), 'utf8');
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    redis?.disconnect();
    await cleanUp(REDIS_URL);
    await rm(dir, { recursive: true, force: true });
  });

  it('collects to stdout without the control characters of the input, exactly as batch prints them', async () => {
    const pairsFile = join(dir, 'controls.jsonl');
    const lines = [
      {
        headline: 'Bridge \u001b[31mopens\u001b[0m to cyclists\u0007',
        body: 'The bridge opened on Saturday, officials confirmed.',
      },
      {
        headline: 'Mayor \u009b2Jresigns',
        body: 'The mayor denied \u001b]0;title\u0007 that she had resigned.',
      },
    ];
    await writeFile(pairsFile, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const n = ns();
    const ws = [worker(REDIS_URL, n)];
    try {
      const job = await submit(REDIS_URL, n, '--input', pairsFile);
      const st = await cli(['queue', 'status', job, '--wait', '--redis', REDIS_URL, '--namespace', n]);
      assert.equal(st.code, 0, st.stderr);
      for (const format of ['csv', 'jsonl']) {
        const collected = await cli([
          'queue',
          'collect',
          job,
          '--out',
          '-',
          '--format',
          format,
          '--redis',
          REDIS_URL,
          '--namespace',
          n,
        ]);
        assert.equal(collected.code, 0, collected.stderr);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(collected.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, format);
        const printed = await cli([
          'batch',
          '--input',
          pairsFile,
          '--out',
          '-',
          '--format',
          format,
          '--no-progress',
        ]);
        assert.equal(printed.code, 0, printed.stderr);
        assert.equal(collected.stdout, printed.stdout, format);
      }
    } finally {
      await stopAll(ws);
    }
  });

  it('scores a submitted job with two workers and collects exactly what batch writes (CSV and JSONL)', async () => {
    const n = ns();
    const ws = [worker(REDIS_URL, n), worker(REDIS_URL, n)];
    try {
      const csvJob = await submit(
        REDIS_URL,
        n,
        '--bodies',
        big.bodies,
        '--stances',
        big.stances,
        '--chunk-size',
        '400',
      );
      const jsonlJob = await submit(REDIS_URL, n, '--input', big.pairsJsonl, '--chunk-size', '700');
      const st = await cli(['queue', 'status', csvJob, '--wait', '--redis', REDIS_URL, '--namespace', n]);
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, new RegExp(`job ${csvJob}: done; 6000/6000 pairs scored \\(15/15 chunks`));
      assert.equal(
        (await cli(['queue', 'status', jsonlJob, '--wait', '--redis', REDIS_URL, '--namespace', n])).code,
        0,
      );
      const c1 = await cli([
        'queue',
        'collect',
        csvJob,
        '--out',
        join(dir, 'q.csv'),
        '--redis',
        REDIS_URL,
        '--namespace',
        n,
      ]);
      assert.equal(c1.code, 0, c1.stderr);
      const c2 = await cli([
        'queue',
        'collect',
        jsonlJob,
        '--out',
        join(dir, 'q.jsonl'),
        '--format',
        'jsonl',
        '--redis',
        REDIS_URL,
        '--namespace',
        n,
      ]);
      assert.equal(c2.code, 0, c2.stderr);
      assert.equal(await readFile(join(dir, 'q.csv'), 'utf8'), batchCsv);
      assert.equal(await readFile(join(dir, 'q.jsonl'), 'utf8'), batchJsonl);
      // Both workers took chunks.
      for (const w of ws) assert.match(w.stderr(), /completed/);
    } finally {
      await stopAll(ws);
    }
  });

  it('stores each body once per job and keeps body text out of the chunks', async () => {
    const n = ns();
    const id = await submit(REDIS_URL, n, '--input', big.pairsJsonl, '--chunk-size', '1000');
    const bodies = await redis.hgetall(`${n}:job:${id}:bodies`);
    const distinct = new Set(
      (await readFile(big.pairsJsonl, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { body: string }).body),
    );
    assert.equal(Object.keys(bodies).length, distinct.size);
    const chunks = Object.values(await redis.hgetall(`${n}:job:${id}:chunks`));
    assert.equal(chunks.length, 6);
    const longest = [...distinct].reduce((a, b) => (b.length > a.length ? b : a));
    for (const c of chunks) assert.ok(!c.includes(longest.slice(0, 60)));
  });

  it('hands the chunk of a worker killed with SIGKILL to another worker; every pair is written once and equals batch', async () => {
    const n = ns();
    const id = await submit(
      REDIS_URL,
      n,
      '--bodies',
      big.bodies,
      '--stances',
      big.stances,
      '--chunk-size',
      '3000',
    );
    const a = worker(REDIS_URL, n);
    const m = await a.waitFor(/chunk (\d+) of job \S+ started/);
    a.child.kill('SIGKILL');
    await a.exited;
    const chunk = m[1];
    assert.doesNotMatch(
      a.stderr(),
      new RegExp(`chunk ${chunk} of job \\S+ completed`),
      'the killed worker had finished its chunk already',
    );
    const b = worker(REDIS_URL, n);
    try {
      const st = await cli(['queue', 'status', id, '--wait', '--redis', REDIS_URL, '--namespace', n]);
      assert.equal(st.code, 0, st.stdout + st.stderr);
      assert.match(b.stderr(), new RegExp(`chunk ${chunk} of job ${id} completed`));
      assert.equal(await redis.hget(`${n}:job:${id}:meta`, 'scored'), '6000');
      const c = await cli([
        'queue',
        'collect',
        id,
        '--out',
        join(dir, 'killed.csv'),
        '--redis',
        REDIS_URL,
        '--namespace',
        n,
      ]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(await readFile(join(dir, 'killed.csv'), 'utf8'), batchCsv);
    } finally {
      await stopAll([b]);
    }
  });

  it('lets a worker finish its chunk on SIGTERM, then stop; the other chunks wait for the next worker', async () => {
    const n = ns();
    const id = await submit(
      REDIS_URL,
      n,
      '--bodies',
      big.bodies,
      '--stances',
      big.stances,
      '--chunk-size',
      '3000',
    );
    const a = worker(REDIS_URL, n);
    const m = await a.waitFor(/chunk (\d+) of job \S+ started/);
    a.child.kill('SIGTERM');
    assert.equal(await a.exited, 0, a.stderr());
    assert.match(
      a.stderr(),
      new RegExp(`stopping[\\s\\S]*chunk ${m[1]} of job ${id} completed[\\s\\S]*stopped`),
    );
    assert.equal((a.stderr().match(/started/g) ?? []).length, 1, 'took no new chunk after SIGTERM');
    const s1 = await cli(['queue', 'status', id, '--redis', REDIS_URL, '--namespace', n]);
    assert.match(s1.stdout, /running; 3000\/6000 pairs scored/);
    const b = worker(REDIS_URL, n);
    try {
      assert.equal(
        (await cli(['queue', 'status', id, '--wait', '--redis', REDIS_URL, '--namespace', n])).code,
        0,
      );
      const c = await cli([
        'queue',
        'collect',
        id,
        '--out',
        join(dir, 'term.csv'),
        '--redis',
        REDIS_URL,
        '--namespace',
        n,
      ]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(await readFile(join(dir, 'term.csv'), 'utf8'), batchCsv);
    } finally {
      await stopAll([b]);
    }
  });

  it('fails a chunk with bad rows at once with its error recorded, without blocking the other chunks', async () => {
    const n = ns();
    const q = await openRedisQueue({ url: REDIS_URL, namespace: n });
    let id: string;
    try {
      const bodies = new Map([['10', 'The council voted to build a library.']]);
      id = await q.submit({
        chunkSize: 2,
        bodies,
        pairs: [
          { headline: 'Council votes for library', bodyId: '10', bodyKey: '10' },
          { headline: 'Library plan approved', bodyId: '10', bodyKey: '10' },
          { headline: '   ', bodyId: '10', bodyKey: '10' }, // chunk 1: an empty headline
          { headline: 'Council rejects library', bodyId: '10', bodyKey: '10' },
          { headline: 'Library opens', bodyId: '10', bodyKey: '10' },
        ],
      });
    } finally {
      await q.close();
    }
    const w = worker(REDIS_URL, n);
    try {
      const st = await cli(['queue', 'status', id, '--wait', '--redis', REDIS_URL, '--namespace', n]);
      assert.equal(st.code, 1, st.stdout + st.stderr);
      assert.match(st.stdout, /failed; 3\/5 pairs scored \(2\/3 chunks of 2\), 1 chunks failed/);
      assert.match(
        st.stdout,
        /chunk 1 \(pairs 3–4\) failed after 1 attempt: INPUT_FORMAT: pair 1 of chunk 1 .*non-empty headline/,
      );
      assert.match(st.stderr, /1 of 3 chunks failed for good/);
      const refused = await cli([
        'queue',
        'collect',
        id,
        '--out',
        join(dir, 'bad.csv'),
        '--redis',
        REDIS_URL,
        '--namespace',
        n,
      ]);
      assert.equal(refused.code, 1, refused.stderr);
      const partial = await cli([
        'queue',
        'collect',
        id,
        '--partial',
        '--out',
        join(dir, 'bad.csv'),
        '--redis',
        REDIS_URL,
        '--namespace',
        n,
      ]);
      assert.equal(partial.code, 0, partial.stderr);
      assert.match(partial.stderr, /wrote 3 pairs .*2 not scored/);
      const rows = (await readFile(join(dir, 'bad.csv'), 'utf8')).trim().split('\n');
      assert.deepEqual(
        rows.map((r) => r.split(',')[0]),
        ['Headline', 'Council votes for library', 'Library plan approved', 'Library opens'],
      );
    } finally {
      await stopAll([w]);
    }
  });

  it('retries a failing chunk a bounded number of times with growing delays, and records the last error', async () => {
    const n = ns();
    const q = await openRedisQueue({ url: REDIS_URL, namespace: n, attempts: 3, backoffMs: 300 });
    const checker = await loadChecker(MODEL);
    const real = chunkScorer(checker);
    const calls: { chunk: number; at: number }[] = [];
    const flaky = async (work: ChunkWork) => {
      calls.push({ chunk: work.chunk, at: performance.now() });
      if (work.chunk === 0) throw new Error('disk on fire');
      // Chunk 1 fails once, then succeeds.
      if (calls.filter((c) => c.chunk === 1).length === 1) throw new Error('transient');
      return real(work);
    };
    const running = await q.work(flaky, { concurrency: 1 });
    try {
      const id = await q.submit({
        chunkSize: 1,
        bodies: new Map([['b', 'The museum in Kesh reopened on Monday.']]),
        pairs: [
          { headline: 'Kesh museum reopens', bodyId: 'b', bodyKey: 'b' },
          { headline: 'Kesh museum closes', bodyId: 'b', bodyKey: 'b' },
        ],
      });
      let st = await q.status(id);
      for (let i = 0; i < 200 && st.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        st = await q.status(id);
      }
      assert.equal(st.state, 'failed');
      assert.equal(st.doneChunks, 1);
      assert.equal(st.failed.length, 1);
      assert.deepEqual(
        { chunk: st.failed[0]?.chunk, attempts: st.failed[0]?.attempts, message: st.failed[0]?.message },
        { chunk: 0, attempts: 3, message: 'internal error: disk on fire' },
      );
      const zero = calls.filter((c) => c.chunk === 0).map((c) => c.at);
      assert.equal(zero.length, 3, 'three tries, no more');
      const [t0, t1, t2] = zero as [number, number, number];
      assert.ok(
        t2 - t1 > 1.2 * (t1 - t0),
        `the second delay (${t2 - t1} ms) should be about twice the first (${t1 - t0} ms)`,
      );
      assert.equal(calls.filter((c) => c.chunk === 1).length, 2);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(calls.filter((c) => c.chunk === 0).length, 3, 'no try after the last');
    } finally {
      await running.close();
      await q.close();
    }
  });

  it('refuses to collect an unfinished job unless --partial, and names unknown jobs and unreachable Redis', async () => {
    const n = ns();
    const id = await submit(
      REDIS_URL,
      n,
      '--bodies',
      join(FIX, 'bodies.csv'),
      '--stances',
      join(FIX, 'stances.csv'),
    );
    const r = await cli([
      'queue',
      'collect',
      id,
      '--out',
      join(dir, 'u.csv'),
      '--redis',
      REDIS_URL,
      '--namespace',
      n,
    ]);
    assert.equal(r.code, 75, r.stderr);
    assert.match(r.stderr, new RegExp(`job ${id} is not finished: 0/3 pairs scored`));
    const p = await cli([
      'queue',
      'collect',
      id,
      '--partial',
      '--out',
      join(dir, 'u.csv'),
      '--redis',
      REDIS_URL,
      '--namespace',
      n,
    ]);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(await readFile(join(dir, 'u.csv'), 'utf8'), 'Headline,Body ID,Stance\n');
    const s = await cli(['queue', 'status', 'nosuchjob', '--redis', REDIS_URL, '--namespace', n]);
    assert.equal(s.code, 66);
    assert.match(s.stderr, /no job nosuchjob in the queue/);
    const port = await freePort();
    const down = await cli(['queue', 'status', id, '--redis', `redis://127.0.0.1:${port}`]);
    assert.equal(down.code, 69);
    assert.match(
      down.stderr,
      /^stancecheck: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+; expected a running Redis/,
    );
  });
});

describe('queue across a Redis restart', { skip: SKIP_RESTART, timeout: 180_000 }, () => {
  it('does not lose a job when Redis restarts mid-job (append-only persistence)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stancecheck-restart-'));
    const server = new PrivateRedis(await freePort(), dir);
    await server.start();
    const files = await writeSyntheticFnc(dir, 3000, 30, 11);
    const n = ns(server.url);
    let w: Running | undefined;
    try {
      const ref = await cli([
        'batch',
        '--bodies',
        files.bodies,
        '--stances',
        files.stances,
        '--out',
        join(dir, 'batch.csv'),
      ]);
      assert.equal(ref.code, 0, ref.stderr);
      const id = await submit(
        server.url,
        n,
        '--bodies',
        files.bodies,
        '--stances',
        files.stances,
        '--chunk-size',
        '250',
      );
      w = worker(server.url, n);
      await w.waitFor(/completed/);
      await server.stop();
      await new Promise((r) => setTimeout(r, 1000));
      await server.start();
      const st = await cli(['queue', 'status', id, '--wait', '--redis', server.url, '--namespace', n]);
      assert.equal(st.code, 0, st.stdout + st.stderr + w.stderr());
      const c = await cli([
        'queue',
        'collect',
        id,
        '--out',
        join(dir, 'q.csv'),
        '--redis',
        server.url,
        '--namespace',
        n,
      ]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(
        await readFile(join(dir, 'q.csv'), 'utf8'),
        await readFile(join(dir, 'batch.csv'), 'utf8'),
      );
    } finally {
      if (w) await stopAll([w]);
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
