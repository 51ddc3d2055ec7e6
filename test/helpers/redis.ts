/**
 * Real Redis for the queue tests: the one at $STANCECHECK_REDIS (default redis://127.0.0.1:6379),
 * and private redis-server processes on free loopback ports for tests that restart Redis.
 * Unreachable Redis skips the tests with a visible message, or fails them when
 * STANCECHECK_REQUIRE_SERVICES=1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis the tests use. */
export const REDIS_URL = process.env.STANCECHECK_REDIS || 'redis://127.0.0.1:6379';

/** True when tests must fail rather than skip without their services. */
export const REQUIRE_SERVICES = process.env.STANCECHECK_REQUIRE_SERVICES === '1';

/** Resolves when something answers PING at `url` within `ms`, else rejects. */
export async function pingRedis(url: string, ms = 2000): Promise<void> {
  const r = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: ms,
    maxRetriesPerRequest: 0,
  });
  let cause: unknown;
  r.on('error', (e) => (cause ??= e));
  try {
    await r.connect();
    await r.ping();
  } catch (e) {
    throw cause ?? e;
  } finally {
    r.disconnect();
  }
}

/**
 * `false` when Redis answers at `url`; else the reason to skip (printed by node:test). Throws under
 * STANCECHECK_REQUIRE_SERVICES=1 so the suite fails instead.
 */
export async function redisSkipReason(url = REDIS_URL): Promise<string | false> {
  try {
    await pingRedis(url);
    return false;
  } catch (e) {
    const why = `no Redis reachable at ${url} (${e instanceof Error ? e.message : String(e)}): queue tests skipped; start redis-server or set STANCECHECK_REDIS`;
    if (REQUIRE_SERVICES) throw new Error(`STANCECHECK_REQUIRE_SERVICES=1 but ${why}`, { cause: e });
    process.stderr.write(`# SKIP ${why}\n`);
    return why;
  }
}

/** `false` when the redis-server binary exists; else the reason to skip (throws when required). */
export function redisServerSkipReason(): string | false {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return false;
  const why =
    'no redis-server binary on PATH: the Redis-restart test is skipped (apt-get install redis-server)';
  if (REQUIRE_SERVICES) throw new Error(`STANCECHECK_REQUIRE_SERVICES=1 but ${why}`);
  process.stderr.write(`# SKIP ${why}\n`);
  return why;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

/** A private redis-server on loopback with append-only persistence in `dir`. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the server and waits until it answers. */
  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await pingRedis(this.url, 500);
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Stops the server the way an orderly restart does (SIGTERM: it flushes the append-only file). */
  async stop(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = once(c, 'exit');
    c.kill('SIGTERM');
    await exited;
  }
}
