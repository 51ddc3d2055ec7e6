/**
 * The HTTP server on a loopback port, hit over real HTTP: the routes, the verdict object, the
 * batch stream, limits under load (503 + Retry-After, timeouts), logs and graceful shutdown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseArticleJson } from '../src/core/article.js';
import { LABELS } from '../src/core/labels.js';
import { loadChecker } from '../src/adapters/fs/load-checker.js';
import { jsonLineLogger } from '../src/adapters/http/logger.js';
import { VerdictSchema } from '../src/adapters/http/schemas.js';
import type { RunningServer } from '../src/adapters/http/server.js';
import {
  LONG_BODY,
  SWAPPED_HEADLINE,
  TYPICAL_BODY,
  TYPICAL_HEADLINE,
  TYPICAL_HTML,
  TYPICAL_SUBTITLE,
} from './http-articles.js';
import { errorOf, postJson, SKIP_NO_MODEL, startTestServer, testModelPath } from './http-helpers.js';

describe('HTTP server', { skip: SKIP_NO_MODEL }, () => {
  let server: RunningServer;
  const logLines: string[] = [];

  before(async () => {
    server = await startTestServer({ logger: jsonLineLogger((l) => logLines.push(l), 'debug') });
  });
  after(async () => {
    await server?.close();
  });

  describe('POST /v1/check', () => {
    it('returns the same verdict object as the library (and `check --json`) for a headline and body', async () => {
      const r = await postJson(`${server.url}/v1/check`, { headline: TYPICAL_HEADLINE, body: TYPICAL_BODY });
      assert.equal(r.status, 200, r.text);
      const verdict = VerdictSchema.parse(r.json);
      assert.ok(LABELS.includes(verdict.label));
      const sum = LABELS.reduce((s, l) => s + verdict.probabilities[l], 0);
      assert.ok(Math.abs(sum - 1) < 1e-6, `probabilities sum to 1 (got ${sum})`);
      const checker = await loadChecker(testModelPath());
      const expected = checker.check(parseArticleJson({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY }));
      assert.deepEqual(r.json, JSON.parse(JSON.stringify(expected)));
    });

    it('adds the subtitle verdict when a subtitle is given', async () => {
      const r = await postJson(`${server.url}/v1/check`, {
        headline: TYPICAL_HEADLINE,
        subtitle: TYPICAL_SUBTITLE,
        body: TYPICAL_BODY,
      });
      const verdict = VerdictSchema.parse(r.json);
      assert.equal(verdict.subtitle?.claim, TYPICAL_SUBTITLE);
      assert.ok(verdict.subtitle && LABELS.includes(verdict.subtitle.label));
    });

    it('gives a reason for every verdict, including a swapped headline', async () => {
      const r = await postJson(`${server.url}/v1/check`, { headline: SWAPPED_HEADLINE, body: TYPICAL_BODY });
      const verdict = VerdictSchema.parse(r.json);
      assert.ok(verdict.reason.length > 10);
    });

    it('extracts headline, subtitle and text from {"html"} and checks them', async () => {
      const r = await postJson(`${server.url}/v1/check`, { html: TYPICAL_HTML });
      assert.equal(r.status, 200, r.text);
      const verdict = VerdictSchema.parse(r.json);
      assert.equal(verdict.claim, TYPICAL_HEADLINE);
      assert.equal(verdict.subtitle?.claim, TYPICAL_SUBTITLE);
      const direct = VerdictSchema.parse(
        (await postJson(`${server.url}/v1/check`, { headline: TYPICAL_HEADLINE, body: TYPICAL_BODY })).json,
      );
      assert.equal(
        verdict.sentenceCount,
        direct.sentenceCount,
        'navigation, asides and scripts are not part of the text',
      );
    });

    it('adds the body sentences and their paragraphs with ?sentences=true', async () => {
      const r = await postJson(`${server.url}/v1/check?sentences=true`, {
        headline: TYPICAL_HEADLINE,
        body: TYPICAL_BODY,
      });
      const verdict = VerdictSchema.parse(r.json);
      assert.equal(verdict.sentences?.length, verdict.sentenceCount);
      assert.equal(verdict.paragraphs?.length, verdict.sentenceCount);
      assert.equal(Math.max(...(verdict.paragraphs ?? [])), TYPICAL_BODY.split('\n\n').length - 1);
      for (const ev of verdict.evidence) assert.equal(verdict.sentences?.[ev.index], ev.text);
    });
  });

  describe('CORS', () => {
    it('is off unless --cors names an origin: no Access-Control-Allow-Origin for another origin', async () => {
      const res = await fetch(`${server.url}/v1/check`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://newsroom.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      await res.arrayBuffer();
      const post = await postJson(
        `${server.url}/v1/check`,
        { headline: TYPICAL_HEADLINE, body: TYPICAL_BODY },
        { 'content-type': 'application/json', origin: 'https://newsroom.example' },
      );
      assert.equal(post.status, 200);
      assert.equal(post.headers.get('access-control-allow-origin'), null);
    });
  });

  describe('POST /v1/batch', () => {
    it('streams one result per line, in input order, echoing ids', async () => {
      const lines = Array.from({ length: 12 }, (_, i) =>
        JSON.stringify(
          i % 3 === 2
            ? { id: `p${i}`, html: TYPICAL_HTML }
            : { id: `p${i}`, headline: i % 2 ? SWAPPED_HEADLINE : TYPICAL_HEADLINE, body: TYPICAL_BODY },
        ),
      );
      const res = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        body: `${lines.join('\n')}\n`,
        headers: { 'content-type': 'application/x-ndjson' },
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/x-ndjson/);
      assert.equal(res.headers.get('transfer-encoding'), 'chunked', 'the response is streamed');
      const out = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { line: number; id: string; result: unknown });
      assert.deepEqual(
        out.map((o) => o.id),
        lines.map((_, i) => `p${i}`),
      );
      assert.deepEqual(
        out.map((o) => o.line),
        lines.map((_, i) => i + 1),
      );
      for (const o of out) VerdictSchema.parse(o.result);
    });

    it('accepts application/jsonl too', async () => {
      const r = await postJson(
        `${server.url}/v1/batch`,
        JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY }),
        { 'content-type': 'application/jsonl' },
      );
      assert.equal(r.status, 200);
      assert.ok((r.json as { result?: unknown }).result);
    });
  });

  describe('GET routes', () => {
    it('describes the model at /v1/model', async () => {
      const res = await fetch(`${server.url}/v1/model`);
      const body = (await res.json()) as { name: string; version: string; card: { name: string } };
      assert.equal(res.status, 200);
      assert.ok(body.name && body.version);
      assert.equal(body.card.name, body.name);
    });

    it('reports health with worker and queue figures at /healthz', async () => {
      const res = await fetch(`${server.url}/healthz`);
      const body = (await res.json()) as { status: string; workers: number };
      assert.equal(body.status, 'ok');
      assert.equal(body.workers, 2);
    });

    it('publishes Prometheus text at /metrics', async () => {
      const res = await fetch(`${server.url}/metrics`);
      const text = await res.text();
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(text, /# TYPE stancecheck_http_requests_total counter/);
      assert.match(
        text,
        /stancecheck_http_requests_total\{method="POST",route="\/v1\/check",status="200"\} \d+/,
      );
      assert.match(
        text,
        /stancecheck_http_request_duration_seconds_bucket\{method="POST",route="\/v1\/check",le="\+Inf"\} \d+/,
      );
      assert.match(text, /stancecheck_queue_depth \d+/);
    });

    it('documents every route and its schemas at /openapi.json', async () => {
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
        components: { schemas: Record<string, unknown> };
      };
      assert.equal(doc.openapi, '3.1.0');
      for (const [path, method] of [
        ['/v1/check', 'post'],
        ['/v1/batch', 'post'],
        ['/v1/model', 'get'],
        ['/healthz', 'get'],
        ['/metrics', 'get'],
        ['/openapi.json', 'get'],
        ['/', 'get'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
      }
      assert.ok(doc.paths['/v1/check']?.post?.requestBody);
      for (const id of [
        'CheckRequest',
        'Verdict',
        'ClaimVerdict',
        'Evidence',
        'ErrorResponse',
        'BatchLine',
        'BatchResultLine',
        'ModelInfo',
        'Health',
      ]) {
        assert.ok(doc.components.schemas[id], `schema ${id}`);
      }
    });

    it('serves the web page with a strict content security policy and its assets', async () => {
      const res = await fetch(`${server.url}/`);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.match(await res.text(), /<form id="check-form"/);
      for (const asset of ['/app.js', '/style.css']) {
        const a = await fetch(`${server.url}${asset}`);
        assert.equal(a.status, 200, asset);
        await a.arrayBuffer();
      }
    });
  });

  describe('logs', () => {
    it('writes one JSON object per line for each request', () => {
      assert.ok(logLines.length > 5);
      for (const line of logLines) {
        assert.ok(line.endsWith('\n'));
        const o = JSON.parse(line) as { time: string; level: string; msg: string };
        assert.ok(o.time && o.level && o.msg);
      }
      const req = logLines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((o) => o.msg === 'request' && o.path === '/v1/check');
      assert.ok(req && typeof req.ms === 'number' && req.status === 200 && typeof req.requestId === 'string');
    });
  });
});

describe('HTTP server under pressure', { skip: SKIP_NO_MODEL }, () => {
  it('answers 503 with Retry-After when the queue is full, and serves again afterwards', async () => {
    const server = await startTestServer({ workers: 1, queueSize: 1 });
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          postJson(`${server.url}/v1/check`, { headline: TYPICAL_HEADLINE, body: LONG_BODY }),
        ),
      );
      const overloaded = results.filter((r) => r.status === 503);
      assert.ok(overloaded.length > 0, 'some requests were refused');
      assert.ok(
        results.some((r) => r.status === 200),
        'some were checked',
      );
      for (const r of results)
        assert.ok(r.status === 200 || r.status === 503, `only 200 or 503 (got ${r.status})`);
      for (const r of overloaded) {
        assert.equal(r.headers.get('retry-after'), '1');
        assert.equal(errorOf(r.json).code, 'OVERLOADED');
      }
      const again = await postJson(`${server.url}/v1/check`, {
        headline: TYPICAL_HEADLINE,
        body: TYPICAL_BODY,
      });
      assert.equal(again.status, 200);
    } finally {
      await server.close();
    }
  });

  it('answers 504 TIMEOUT when a check takes longer than the timeout, then replaces the worker and carries on', async () => {
    const server = await startTestServer({ workers: 1, timeoutMs: 3 });
    try {
      const huge = Array.from({ length: 8 }, () => LONG_BODY).join('\n\n');
      const r = await postJson(`${server.url}/v1/check`, { headline: TYPICAL_HEADLINE, body: huge });
      assert.equal(r.status, 504);
      assert.equal(errorOf(r.json).code, 'TIMEOUT');
      const deadline = Date.now() + 15_000;
      while (server.stats().ready < 1 && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 50));
      assert.equal(server.stats().ready, 1, 'a new worker took over');
      assert.ok(server.stats().timeouts >= 1);
    } finally {
      await server.close();
    }
  });

  it('keeps answering short articles quickly while one huge article is being checked', async () => {
    const server = await startTestServer({ workers: 2 });
    try {
      const huge = Array.from({ length: 20 }, () => LONG_BODY).join('\n\n'); // ~86k words, under 1 MB
      const started = performance.now();
      const slow = postJson(`${server.url}/v1/check`, { headline: TYPICAL_HEADLINE, body: huge }).then(
        (r) => ({ r, ms: performance.now() - started }),
      );
      await new Promise((res) => setTimeout(res, 30));
      const quick: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        const r = await postJson(`${server.url}/v1/check`, {
          headline: TYPICAL_HEADLINE,
          body: TYPICAL_BODY,
        });
        assert.equal(r.status, 200);
        quick.push(performance.now() - t);
      }
      const { r, ms } = await slow;
      assert.equal(r.status, 200, r.text.slice(0, 200));
      const worstQuick = Math.max(...quick);
      assert.ok(
        worstQuick < ms,
        `short checks (worst ${worstQuick.toFixed(0)} ms) did not wait for the huge one (${ms.toFixed(0)} ms)`,
      );
    } finally {
      await server.close();
    }
  });

  it('drops a queued check when its client disconnects, so it delays nobody', async () => {
    const server = await startTestServer({ workers: 1 });
    try {
      const huge = Array.from({ length: 20 }, () => LONG_BODY).join('\n\n');
      const busy = postJson(`${server.url}/v1/check`, { headline: TYPICAL_HEADLINE, body: huge });
      while (server.stats().busy < 1) await new Promise((res) => setTimeout(res, 5));
      const abort = new AbortController();
      const gone = Array.from({ length: 5 }, () =>
        fetch(`${server.url}/v1/check`, {
          method: 'POST',
          body: JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY }),
          headers: { 'content-type': 'application/json' },
          signal: abort.signal,
        }).catch(() => 'aborted'),
      );
      while (server.stats().queued < 5) await new Promise((res) => setTimeout(res, 5));
      abort.abort();
      assert.deepEqual(
        await Promise.all(gone),
        Array.from({ length: 5 }, () => 'aborted'),
      );
      const deadline = Date.now() + 2000;
      while (server.stats().queued > 0 && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 5));
      assert.equal(server.stats().queued, 0, 'the abandoned checks left the queue');
      assert.equal(server.stats().busy, 1, 'while the huge article is still being checked');
      assert.equal((await busy).status, 200);
    } finally {
      await server.close();
    }
  });

  it('finishes requests in flight on shutdown and then stops listening', async () => {
    const server = await startTestServer({ workers: 1 });
    const url = server.url;
    // Bodies long enough that the one worker is still busy when the sixth request arrives.
    const body = Array.from({ length: 8 }, () => LONG_BODY).join('\n\n');
    const inflight = Array.from({ length: 6 }, () =>
      postJson(`${url}/v1/check`, { headline: TYPICAL_HEADLINE, body }),
    );
    // Wait until the server has received all six (requests still on the wire are not "in flight").
    const deadline = Date.now() + 5000;
    while (server.stats().inflight < 6 && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 2));
    assert.ok(server.stats().busy + server.stats().queued > 0, 'work is in progress when shutdown starts');
    const closing = server.close();
    const results = await Promise.all(inflight);
    await closing;
    for (const r of results) assert.equal(r.status, 200, r.text.slice(0, 200));
    await assert.rejects(fetch(`${url}/healthz`), 'no longer listening');
  });
});
