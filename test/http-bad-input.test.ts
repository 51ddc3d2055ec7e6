/**
 * Every kind of bad request gets a 4xx with a stable code and a message, and the server keeps
 * serving. Requests go over real HTTP on a loopback port (node:http, so bodies can be raw bytes,
 * chunked, or missing headers).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../src/adapters/http/server.js';
import { TYPICAL_BODY, TYPICAL_HEADLINE } from './http-articles.js';
import { SKIP_NO_MODEL, startTestServer } from './http-helpers.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One request; `chunks` are written one by one (chunked encoding unless a content-length is set). */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  chunks: (string | Buffer)[] = [],
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const NDJSON_HEADERS = { 'content-type': 'application/x-ndjson' };

function errorOf(r: Raw): { code: string; message: string; field?: string } {
  const e = (r.json as { error?: { code: string; message: string; field?: string } } | undefined)?.error;
  assert.ok(e, `expected {"error": ...}; got ${r.text.slice(0, 200)}`);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 5, 'the message says what is wrong');
  return e;
}

describe('bad requests', { skip: SKIP_NO_MODEL }, () => {
  let server: RunningServer;
  const limit = 64 * 1024;

  before(async () => {
    server = await startTestServer({ workers: 1, maxBodyBytes: limit, maxBatchLines: 5 });
  });
  after(async () => {
    await server?.close();
  });

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = JSON_HEADERS) =>
    raw(server.url, 'POST', path, headers, [body]);

  const cases: {
    name: string;
    send: () => Promise<Raw>;
    status: number;
    code: string;
    message?: RegExp;
    field?: string;
  }[] = [
    {
      name: 'invalid JSON',
      send: () => post('/v1/check', '{"headline": "x", '),
      status: 400,
      code: 'INPUT_FORMAT',
      message: /not valid JSON/,
    },
    {
      name: 'a JSON array instead of an object',
      send: () => post('/v1/check', '[1,2]'),
      status: 400,
      code: 'INPUT_FORMAT',
      message: /got an array/,
    },
    {
      name: 'a JSON string instead of an object',
      send: () => post('/v1/check', '"hello"'),
      status: 400,
      code: 'INPUT_FORMAT',
    },
    {
      name: 'a headline that is a number',
      send: () => post('/v1/check', JSON.stringify({ headline: 42, body: 'text' })),
      status: 400,
      code: 'INPUT_FORMAT',
      field: 'headline',
      message: /must be a string; got a number/,
    },
    {
      name: 'a body that is an object',
      send: () => post('/v1/check', JSON.stringify({ headline: 'h', body: { text: 'x' } })),
      status: 400,
      code: 'INPUT_FORMAT',
      field: 'body',
    },
    {
      name: 'html that is null',
      send: () => post('/v1/check', JSON.stringify({ html: null })),
      status: 400,
      code: 'INPUT_FORMAT',
      field: 'html',
    },
    {
      name: 'a deeply nested headline',
      send: () => post('/v1/check', `{"headline": ${'['.repeat(20000)}${']'.repeat(20000)}, "body": "b"}`),
      status: 400,
      code: 'INPUT_FORMAT',
      field: 'headline',
    },
    {
      name: 'a missing headline',
      send: () => post('/v1/check', JSON.stringify({ body: 'text' })),
      status: 400,
      code: 'INPUT_FORMAT',
      field: 'headline',
      message: /missing field "headline"/,
    },
    {
      name: 'a missing body',
      send: () => post('/v1/check', JSON.stringify({ headline: 'h' })),
      status: 400,
      code: 'INPUT_FORMAT',
      field: 'body',
    },
    {
      name: 'an object with neither headline nor html',
      send: () => post('/v1/check', JSON.stringify({ title: 'h', text: 'b' })),
      status: 400,
      code: 'INPUT_FORMAT',
      message: /missing field "headline".*found fields title, text/,
    },
    {
      name: 'both html and headline/body',
      send: () => post('/v1/check', JSON.stringify({ html: '<p>x</p>', headline: 'h', body: 'b' })),
      status: 400,
      code: 'INPUT_FORMAT',
      message: /not both/,
    },
    {
      name: 'an empty request body',
      send: () => post('/v1/check', ''),
      status: 400,
      code: 'INPUT_EMPTY',
      message: /empty/,
    },
    {
      name: 'an empty headline',
      send: () => post('/v1/check', JSON.stringify({ headline: '   ', body: 'text' })),
      status: 400,
      code: 'INPUT_EMPTY',
      field: 'headline',
    },
    {
      name: 'an empty body',
      send: () => post('/v1/check', JSON.stringify({ headline: 'h', body: '' })),
      status: 400,
      code: 'INPUT_EMPTY',
      field: 'body',
    },
    {
      name: 'a body of invisible characters only',
      send: () => post('/v1/check', JSON.stringify({ headline: 'h', body: '\u200b\u200b' })),
      status: 400,
      code: 'INPUT_EMPTY',
    },
    {
      name: 'empty html',
      send: () => post('/v1/check', JSON.stringify({ html: ' ' })),
      status: 400,
      code: 'INPUT_EMPTY',
      field: 'html',
    },
    {
      name: 'html without any article text',
      send: () =>
        post(
          '/v1/check',
          JSON.stringify({ html: '<html><head><title>Only a title</title></head><body></body></html>' }),
        ),
      status: 400,
      code: 'INPUT_EMPTY',
      field: 'html',
    },
    {
      name: 'invalid UTF-8',
      send: () =>
        post(
          '/v1/check',
          Buffer.concat([
            Buffer.from('{"headline": "caf'),
            Buffer.from([0xc3, 0x28]),
            Buffer.from('", "body": "x"}'),
          ]),
        ),
      status: 400,
      code: 'INPUT_ENCODING',
      message: /UTF-8/,
    },
    {
      name: 'a charset other than UTF-8',
      send: () => post('/v1/check', '{}', { 'content-type': 'application/json; charset=iso-8859-1' }),
      status: 400,
      code: 'INPUT_ENCODING',
    },
    {
      name: 'an oversized payload with a Content-Length',
      send: () => post('/v1/check', JSON.stringify({ headline: 'h', body: 'word '.repeat(limit / 4) })),
      status: 413,
      code: 'INPUT_TOO_LARGE',
      message: /^request body is too large; expected at most 64\.0 KB, found more than 64\.0 KB$/,
    },
    {
      name: 'an oversized payload sent chunked without a length',
      send: () =>
        raw(server.url, 'POST', '/v1/check', JSON_HEADERS, [
          '{"headline": "h", "body": "',
          ...Array.from({ length: 20 }, () => 'x'.repeat(8192)),
          '"}',
        ]),
      status: 413,
      code: 'INPUT_TOO_LARGE',
    },
    {
      name: 'a form-encoded body (wrong content type)',
      send: () =>
        post('/v1/check', 'headline=h&body=b', { 'content-type': 'application/x-www-form-urlencoded' }),
      status: 400,
      code: 'USAGE',
      message: /expected Content-Type application\/json/,
    },
    {
      name: 'no content type at all',
      send: () => raw(server.url, 'POST', '/v1/check', {}, ['{}']),
      status: 400,
      code: 'USAGE',
      message: /got none/,
    },
    {
      name: 'JSON sent to the batch route',
      send: () => post('/v1/batch', '{}', JSON_HEADERS),
      status: 400,
      code: 'USAGE',
      message: /x-ndjson/,
    },
    {
      name: 'an unknown route',
      send: () => raw(server.url, 'GET', '/v2/everything', {}),
      status: 404,
      code: 'NOT_FOUND',
      message: /openapi\.json/,
    },
    {
      name: 'a POST to an unknown route',
      send: () => post('/v1/chek', '{}'),
      status: 404,
      code: 'NOT_FOUND',
    },
    {
      name: 'the wrong method on a known route',
      send: () => raw(server.url, 'GET', '/v1/check', {}),
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: /use POST/,
    },
    {
      name: 'a bad query parameter',
      send: () => post('/v1/check?sentences=maybe', '{}'),
      status: 400,
      code: 'USAGE',
      field: 'sentences',
    },
    {
      name: 'an empty batch',
      send: () => post('/v1/batch', '\n\n  \n', NDJSON_HEADERS),
      status: 400,
      code: 'INPUT_EMPTY',
    },
    {
      name: 'a batch with more lines than the limit',
      send: () =>
        post(
          '/v1/batch',
          Array.from({ length: 6 }, () => JSON.stringify({ headline: 'h', body: 'b' })).join('\n'),
          NDJSON_HEADERS,
        ),
      status: 413,
      code: 'INPUT_TOO_LARGE',
      message: /6 lines; the limit is 5/,
    },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} ${c.code}`, async () => {
      const r = await c.send();
      assert.equal(r.status, c.status, r.text.slice(0, 300));
      assert.match(String(r.headers['content-type']), /application\/json/);
      const e = errorOf(r);
      assert.equal(e.code, c.code);
      if (c.message) assert.match(e.message, c.message);
      if (c.field) assert.equal(e.field, c.field);
    });
  }

  it('refuses an oversized upload announced with Expect: 100-continue before the client sends it', async () => {
    const status = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = request(`${server.url}/v1/check`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(limit * 2),
          expect: '100-continue',
        },
      });
      req.on('continue', () => {
        continued = true;
        req.end('x'.repeat(limit * 2));
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.deepEqual(status, { status: 413, continued: false });

    const small = JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY });
    const ok = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/check`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(small)),
          expect: '100-continue',
        },
      });
      req.on('continue', () => req.end(small));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.equal(ok, 200, 'an upload under the limit gets "100 Continue" and is checked');
  });

  it('answers each bad batch line with its own error line and still checks the good lines', async () => {
    const body = Buffer.concat([
      Buffer.from(`${JSON.stringify({ id: 'good-1', headline: TYPICAL_HEADLINE, body: TYPICAL_BODY })}\n`),
      Buffer.from('{not json\n'),
      Buffer.from(`${JSON.stringify({ id: 7, headline: 5, body: 'x' })}\n`),
      Buffer.concat([
        Buffer.from('{"headline": "'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('", "body": "x"}\n'),
      ]),
      Buffer.from(`${JSON.stringify({ id: 'good-2', headline: TYPICAL_HEADLINE, body: TYPICAL_BODY })}\n`),
    ]);
    const r = await post('/v1/batch', body, NDJSON_HEADERS);
    assert.equal(r.status, 200);
    const lines = r.text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            line: number;
            id?: unknown;
            result?: { label: string };
            error?: { code: string };
          },
      );
    assert.deepEqual(
      lines.map((l) => l.line),
      [1, 2, 3, 4, 5],
    );
    assert.equal(lines[0]?.id, 'good-1');
    assert.ok(lines[0]?.result?.label);
    assert.equal(lines[1]?.error?.code, 'INPUT_FORMAT');
    assert.equal(lines[2]?.error?.code, 'INPUT_FORMAT');
    assert.equal(lines[2]?.id, 7, 'the id is echoed even on error');
    assert.equal(lines[3]?.error?.code, 'INPUT_ENCODING');
    assert.ok(lines[4]?.result?.label);
  });

  it('rejects a batch line larger than the request size limit on that line only', async () => {
    const big = JSON.stringify({ headline: 'h', body: 'word '.repeat(limit / 4) });
    const r = await raw(server.url, 'POST', '/v1/batch', NDJSON_HEADERS, [
      `${big}\n${JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY })}\n`,
    ]);
    assert.equal(r.status, 200);
    const lines = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error?: { code: string }; result?: unknown });
    assert.equal(lines[0]?.error?.code, 'INPUT_TOO_LARGE');
    assert.ok(lines[1]?.result);
  });

  it('keeps serving good requests after all of the above', async () => {
    const health = await raw(server.url, 'GET', '/healthz', {});
    assert.equal(health.status, 200);
    const r = await post('/v1/check', JSON.stringify({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY }));
    assert.equal(r.status, 200);
    assert.ok((r.json as { label?: string }).label);
  });

  it('counts the errors by code in /metrics', async () => {
    const r = await raw(server.url, 'GET', '/metrics', {});
    assert.match(r.text, /stancecheck_errors_total\{code="INPUT_FORMAT",where="request"\} \d+/);
    assert.match(r.text, /stancecheck_errors_total\{code="INPUT_TOO_LARGE",where="request"\} \d+/);
    assert.match(r.text, /stancecheck_errors_total\{code="NOT_FOUND",where="request"\} \d+/);
    assert.match(r.text, /stancecheck_errors_total\{code="INPUT_ENCODING",where="batch_line"\} 1/);
  });
});
