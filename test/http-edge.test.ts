/**
 * The edge of the HTTP server: 405 with Allow for wrong methods (driven by the ROUTES table),
 * client aborts logged as aborts, a time budget for a whole batch, CORS off unless asked for,
 * UTF-8 errors with the byte offset, and one validate-and-normalise step shared with the CLI and
 * the library. Real server on a loopback port.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { toArticle } from '../src/core/article.js';
import { StanceError } from '../src/core/errors.js';
import { checkJobFromOptions, type CheckOptions } from '../src/adapters/cli/commands/check.js';

/** The article the CLI's `check --headline … --body …` would check. */
async function articleFromOptions(file: undefined, o: CheckOptions): Promise<unknown> {
  const job = await checkJobFromOptions(file, o);
  return job.kind === 'article' ? job.article : job;
}
import { loadChecker } from '../src/adapters/fs/load-checker.js';
import { jsonLineLogger } from '../src/adapters/http/logger.js';
import { ROUTES } from '../src/adapters/http/openapi.js';
import type { RunningServer } from '../src/adapters/http/server.js';
import { LONG_BODY, TYPICAL_BODY, TYPICAL_HEADLINE } from './http-articles.js';
import { errorOf, postJson, SKIP_NO_MODEL, startTestServer, testModelPath } from './http-helpers.js';

const NDJSON = { 'content-type': 'application/x-ndjson' };
const BATCH_BUDGET_MS = 1500;
const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

describe('HTTP edge', { skip: SKIP_NO_MODEL }, () => {
  let server: RunningServer;
  const logLines: string[] = [];
  before(async () => {
    server = await startTestServer({
      workers: 1,
      cors: ['https://newsroom.example'],
      batchTimeoutMs: BATCH_BUDGET_MS,
      logger: jsonLineLogger((l) => logLines.push(l), 'debug'),
    });
  });
  after(async () => {
    await server?.close();
  });

  describe('methods', () => {
    it('answers the wrong method on every documented route with 405 METHOD_NOT_ALLOWED and an Allow header', async () => {
      for (const r of ROUTES) {
        // A method the path does not answer (some paths answer both GET and POST).
        const methods = ROUTES.filter((x) => x.path === r.path).map((x) => x.method.toUpperCase());
        const wrong = ['POST', 'GET', 'PUT'].find((m) => !methods.includes(m)) ?? 'PUT';
        const res = await fetch(`${server.url}${r.path}`, { method: wrong });
        assert.equal(res.status, 405, `${wrong} ${r.path}`);
        const allow = res.headers.get('allow') ?? '';
        assert.ok(
          allow.split(', ').includes(r.method.toUpperCase()),
          `Allow lists ${r.method.toUpperCase()} for ${r.path}: "${allow}"`,
        );
        assert.equal(errorOf(await res.json()).code, 'METHOD_NOT_ALLOWED');
      }
    });

    it('answers HEAD on a GET route and still 404s an unknown path', async () => {
      const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      const unknown = await fetch(`${server.url}/v1/nothing`, { method: 'DELETE' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.headers.get('allow'), null);
      await unknown.arrayBuffer();
    });
  });

  describe('client aborts', () => {
    it('logs a client that hangs up mid-upload as an aborted request, not as a 500 with a stack trace', async () => {
      const before = logLines.length;
      for (const [path, type] of [
        ['/v1/check', 'application/json'],
        ['/v1/batch', 'application/x-ndjson'],
      ] as const) {
        const socket = connect(server.port, '127.0.0.1');
        await new Promise((r) => socket.once('connect', r));
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: 100000\r\n\r\n{"headline": "a", "body": "`,
        );
        await until(() => server.stats().inflight > 0);
        socket.destroy();
      }
      await until(() => logLines.slice(before).filter((l) => l.includes('aborted')).length >= 2);
      const entries = logLines
        .slice(before)
        .map(
          (l) =>
            JSON.parse(l) as { level: string; msg: string; status?: number; code?: string; error?: string },
        );
      assert.equal(
        entries.filter((e) => e.msg === 'request aborted by client').length,
        2,
        JSON.stringify(entries),
      );
      for (const e of entries) {
        assert.notEqual(e.level, 'error', `no error-level line: ${JSON.stringify(e)}`);
        assert.notEqual(e.code, 'INTERNAL');
        assert.equal(e.error, undefined, 'no stack trace');
      }
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    });
  });

  describe('CORS', () => {
    it('allows only the origins given with --cors (off by default: see http-server.test.ts)', async () => {
      const preflight = (origin: string) =>
        fetch(`${server.url}/v1/check`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        });
      const ok = await preflight('https://newsroom.example');
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://newsroom.example');
      await ok.arrayBuffer();
      const other = await preflight('https://evil.example');
      assert.notEqual(other.headers.get('access-control-allow-origin'), 'https://evil.example');
      await other.arrayBuffer();
    });

    it('refuses a --cors value that is not an origin', async () => {
      await assert.rejects(
        startTestServer({ workers: 1, cors: 'newsroom.example/path' }),
        (e: unknown) => e instanceof StanceError && e.code === 'USAGE' && /--cors/.test(e.message),
      );
    });
  });

  describe('UTF-8 errors', () => {
    it('give the byte offset of the first bad byte in the request body', async () => {
      const prefix = Buffer.from('{"headline": "caf');
      const r = await postJson(
        `${server.url}/v1/check`,
        new Uint8Array(Buffer.concat([prefix, Buffer.from([0xc3, 0x28]), Buffer.from('", "body": "x"}')])),
      );
      assert.equal(r.status, 400);
      const e = errorOf(r.json);
      assert.equal(e.code, 'INPUT_ENCODING');
      assert.match(
        e.message,
        new RegExp(
          `^request body is not valid UTF-8; expected UTF-8 text, found byte 0xc3 at byte ${prefix.length} \\(line 1\\)`,
        ),
      );
    });

    it('give the byte offset in the request for a bad batch line, on that line only', async () => {
      const good = `${JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY })}\n`;
      const bad = Buffer.concat([
        Buffer.from('{"headline": "x'),
        Buffer.from([0xff]),
        Buffer.from('", "body": "y"}\n'),
      ]);
      const body = Buffer.concat([Buffer.from(good), bad]);
      const r = await postJson(`${server.url}/v1/batch`, new Uint8Array(body), NDJSON);
      const out = r.text
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as { line: number; result?: unknown; error?: { code: string; message: string } },
        );
      assert.ok(out[0]?.result);
      assert.equal(out[1]?.error?.code, 'INPUT_ENCODING');
      assert.match(
        out[1]?.error?.message ?? '',
        new RegExp(`^line 2 .*at byte ${Buffer.byteLength(good) + 15} of the request body`),
      );
    });
  });

  describe('one validate-and-normalise step', () => {
    const bad: unknown[] = [
      { headline: 42, body: 'text' },
      { body: 'text' },
      { headline: 'h' },
      { title: 'h', text: 'b' },
      { headline: ' \u200b ', body: 'text' },
      { headline: 'h', body: '\r\n\r\n' },
      { headline: 'h', body: 'b', subtitle: 7 },
      [1, 2],
    ];

    it('gives HTTP, the CLI and the library the same error for the same bad article', async () => {
      for (const value of bad) {
        let lib: unknown;
        try {
          toArticle(value);
        } catch (e) {
          lib = (e as StanceError).toJSON();
        }
        assert.ok(lib, `toArticle refuses ${JSON.stringify(value)}`);
        const http = await postJson(`${server.url}/v1/check`, value);
        assert.deepEqual(errorOf(http.json), lib, `HTTP: ${JSON.stringify(value)}`);
        const o = value as { headline?: unknown; body?: unknown; subtitle?: unknown };
        if (typeof o.headline === 'string' && typeof o.body === 'string' && o.subtitle === undefined) {
          const cli = await articleFromOptions(undefined, { headline: o.headline, body: o.body }).then(
            () => undefined,
            (e: unknown) => (e as StanceError).toJSON(),
          );
          assert.deepEqual(cli, lib, `CLI: ${JSON.stringify(value)}`);
        }
      }
    });

    it('normalises once: the checker gives the same verdict for raw text and for toArticle output, and toArticle is idempotent', async () => {
      const raw = {
        headline: '\u201CRiverside council approves new tram line\u201D &amp; more',
        body: TYPICAL_BODY.replace(/\n/g, '\r\n').replace(/ - /g, ' \u2014 '),
      };
      const once = toArticle(raw);
      assert.deepEqual(toArticle(once), once);
      const checker = await loadChecker(testModelPath());
      assert.deepEqual(checker.check(raw), checker.check(once));
      const http = await postJson(`${server.url}/v1/check`, raw);
      assert.deepEqual(http.json, JSON.parse(JSON.stringify(checker.check(once))));
      const cli = await articleFromOptions(undefined, { headline: raw.headline, body: raw.body });
      assert.deepEqual(cli, once);
    });
  });

  describe('batch time budget', () => {
    it('ends the stream with a TIMEOUT error line when the whole batch runs past its budget, and starts no more lines', async () => {
      const before = logLines.length;
      const big = Array.from({ length: 4 }, () => LONG_BODY).join('\n\n');
      const lines = Array.from({ length: 80 }, (_, i) =>
        JSON.stringify({ id: i, headline: TYPICAL_HEADLINE, body: big }),
      );
      const r = await postJson(`${server.url}/v1/batch`, `${lines.join('\n')}\n`, NDJSON);
      assert.equal(r.status, 200);
      const out = r.text
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as { line?: number; result?: unknown; error?: { code: string; message: string } },
        );
      const last = out.at(-1);
      assert.equal(last?.line, undefined, 'the closing error line belongs to no input line');
      assert.equal(last?.error?.code, 'TIMEOUT');
      assert.match(last?.error?.message ?? '', new RegExp(`${BATCH_BUDGET_MS} ms budget`));
      assert.ok(
        out.length - 1 < lines.length,
        `stopped early (${out.length - 1} of ${lines.length} lines answered)`,
      );
      await until(() => server.stats().queued === 0 && server.stats().busy === 0);
      assert.equal(server.stats().queued, 0, 'the rest was dropped from the queue');
      assert.ok(logLines.slice(before).some((l) => l.includes('batch out of time')));
      const again = await postJson(`${server.url}/v1/check`, {
        headline: TYPICAL_HEADLINE,
        body: TYPICAL_BODY,
      });
      assert.equal(again.status, 200);
    });
  });
});
