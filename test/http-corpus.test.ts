/**
 * The corpus over HTTP: a real server (corpus threads + worker pool, bundled model) on a real
 * SQLite file, and once on a real PostgreSQL on loopback (skipped with a visible message when it is
 * not reachable; failing instead under STANCECHECK_REQUIRE_SERVICES=1). Answers are compared with
 * the CLI's `--json` output on the same database, and with the schemas /openapi.json documents.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoopback, requireBearer } from '../src/adapters/http/auth.js';
import { ROUTES } from '../src/adapters/http/openapi.js';
import {
  AuditProgressSchema,
  AuditReportSchema,
  ClaimAnswerSchema,
  CorpusStatsSchema,
  ExportLine,
  IngestResponse,
  RemoveResponse,
} from '../src/adapters/http/schemas.js';
import { corpusDb } from '../src/adapters/http/serve-command.js';
import { startServer, type RunningServer } from '../src/adapters/http/server.js';
import { isStanceError } from '../src/core/errors.js';
import { BACKENDS, type TestDb } from './helpers/corpus-backends.js';
import { bulkJsonl, CORPUS_STORIES, SHARK_CLAIM, storiesJsonl } from './helpers/corpus-articles.js';
import { bundledModelPath, errorOf, getJson, postJson } from './http-helpers.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'adapters', 'cli', 'main.ts');
/** tsx's loader by path: the CLI also runs from folders without node_modules. */
const TSX = import.meta.resolve('tsx');
const TMP = mkdtempSync(join(tmpdir(), 'stancecheck-http-corpus-'));
const TOKEN = 'test-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const NDJSON = { 'content-type': 'application/x-ndjson' };
const JSONCT = { 'content-type': 'application/json' };
const MODEL = bundledModelPath();
const SKIP = MODEL ? false : 'no bundled model in models/: the corpus answers need the real model';

after(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source as a user would, in `cwd`. */
function cli(args: string[], cwd = ROOT, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', STANCECHECK_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const post = (url: string, body: unknown, headers: Record<string, string>) => postJson(url, body, headers);

/** One server on `db` with the bundled model, one worker, and the test token. */
function startCorpusServer(db: string, opts: { token?: string; host?: string } = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: opts.host ?? '127.0.0.1',
    workers: 1,
    model: MODEL,
    db,
    ...(opts.token === undefined ? {} : { token: opts.token }),
  });
}

describe('corpus over HTTP on SQLite', { skip: SKIP }, () => {
  const db = join(TMP, 'news.db');
  let server: RunningServer;
  let base = '';

  before(async () => {
    // Listening on every interface with a token: the server starts (without one it refuses; below).
    server = await startCorpusServer(db, { token: TOKEN, host: '0.0.0.0' });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server?.close();
  });

  it('starts beyond loopback when it has a token, and says where its corpus is', () => {
    assert.equal(server.host, '0.0.0.0');
    assert.deepEqual(server.corpus, { backend: 'sqlite', location: db, writable: true });
  });

  it('ingests JSONL with the bearer token, reporting each article and each line that is not one', async () => {
    const body = `${storiesJsonl()}{"id": "no-body", "headline": "Nothing here"}\n{not json\n\n`;
    const r = await post(`${base}/v1/corpus/ingest`, body, { ...NDJSON, ...AUTH });
    assert.equal(r.status, 200, r.text);
    const out = IngestResponse.parse(r.json);
    assert.equal(out.summary.added, CORPUS_STORIES.length);
    assert.deepEqual(
      out.results.map((x) => [x.id, x.status]),
      CORPUS_STORIES.map((s) => [s.id, 'added']),
    );
    assert.deepEqual(
      out.summary.rejected.map((x) => x.where),
      [`line ${CORPUS_STORIES.length + 1}`, `line ${CORPUS_STORIES.length + 2}`],
    );
    assert.match(out.summary.rejected[0]?.reason ?? '', /non-empty "body"/);
    assert.match(out.summary.rejected[1]?.reason ?? '', /invalid JSON/);
  });

  it('stores each text once: the same JSONL again adds nothing, a JSON array with a new id makes an alias', async () => {
    const again = await post(`${base}/v1/corpus/ingest`, storiesJsonl(), { ...NDJSON, ...AUTH });
    assert.equal(again.status, 200, again.text);
    assert.equal(IngestResponse.parse(again.json).summary.duplicates, CORPUS_STORIES.length);
    const first = CORPUS_STORIES[0];
    assert.ok(first);
    const arr = await post(
      `${base}/v1/corpus/ingest`,
      [{ ...first, id: 'shark-1-syndicated' }, { body: ['not', 'text'] }],
      {
        ...JSONCT,
        ...AUTH,
      },
    );
    assert.equal(arr.status, 200, arr.text);
    const out = IngestResponse.parse(arr.json);
    assert.deepEqual(out.results, [{ id: 'shark-1-syndicated', status: 'alias' }]);
    assert.equal(out.summary.rejected[0]?.where, 'item 2');
    const stats = CorpusStatsSchema.parse((await getJson(`${base}/v1/corpus/stats`)).json);
    assert.equal(stats.articles, CORPUS_STORIES.length);
    assert.equal(stats.ids, CORPUS_STORIES.length + 1);
  });

  it('refuses every write route without the right bearer token with 401 and the usual error JSON, changing nothing', async () => {
    const before = (await getJson(`${base}/v1/corpus/stats`)).json;
    const attempts: [string, string, Record<string, string>][] = [
      ['/v1/corpus/ingest', bulkJsonl(0, 2), NDJSON],
      ['/v1/corpus/remove', JSON.stringify({ id: 'shark-2' }), JSONCT],
      ['/v1/corpus/audit', '', {}],
      ['/v1/corpus/reindex', '', {}],
    ];
    const wrong: Record<string, string>[] = [
      {},
      { authorization: TOKEN },
      { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: 'Bearer ' },
    ];
    for (const [path, body, headers] of attempts) {
      for (const auth of wrong) {
        const r = await post(`${base}${path}`, body, { ...headers, ...auth });
        assert.equal(r.status, 401, `${path} with ${JSON.stringify(auth)}: ${r.text}`);
        assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
        const e = errorOf(r.json);
        assert.equal(e.code, 'UNAUTHORIZED');
        assert.match(e.message, /Bearer|token/);
      }
    }
    assert.deepEqual((await getJson(`${base}/v1/corpus/stats`)).json, before, 'nothing changed');
  });

  it('answers a claim with counts and the articles grouped by stance with evidence: the same JSON as `corpus claim --json`', async () => {
    const r = await post(`${base}/v1/corpus/claim`, { claim: SHARK_CLAIM }, JSONCT);
    assert.equal(r.status, 200, r.text);
    const a = ClaimAnswerSchema.parse(r.json);
    const stance = new Map(a.articles.map((x) => [x.id, x.stance]));
    assert.equal(stance.get('shark-1'), 'agree');
    assert.equal(stance.get('shark-2'), 'disagree');
    assert.equal(stance.get('shark-3'), 'discuss');
    assert.deepEqual(a.groups.agree, ['shark-1']);
    assert.equal(a.summary, 'Of 3 related articles, 1 agree, 1 disagree, 1 discuss.');
    const refuting = a.articles.find((x) => x.id === 'shark-2');
    assert.ok(refuting && refuting.evidence.length > 0, 'the refuting article has evidence');
    assert.ok(
      refuting.evidence.some((e) => e.spans.length > 0),
      'the evidence marks the words that carry the stance',
    );
    assert.deepEqual(a.articles.find((x) => x.id === 'shark-1')?.ids, ['shark-1', 'shark-1-syndicated']);

    const viaGet = await getJson(`${base}/v1/corpus/claim?claim=${encodeURIComponent(SHARK_CLAIM)}`);
    assert.equal(viaGet.status, 200, viaGet.text);
    assert.deepEqual(viaGet.json, r.json, 'GET answers as POST does');

    const c = await cli(['corpus', 'claim', '--db', db, SHARK_CLAIM, '--json']);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout), r.json, 'the CLI gives the same JSON');

    const top = await post(`${base}/v1/corpus/claim`, { claim: SHARK_CLAIM, top: 2 }, JSONCT);
    assert.equal(ClaimAnswerSchema.parse(top.json).articles.length, 2);
  });

  it('runs the audit with the token, flags the headline put over another story with its reason, GET shows the same findings without scoring, and redo=true scores all again', async () => {
    const run = await post(`${base}/v1/corpus/audit`, '', AUTH);
    assert.equal(run.status, 200, run.text);
    const rep = AuditReportSchema.parse(run.json);
    assert.equal(rep.checked, CORPUS_STORIES.length);
    assert.equal(rep.scored, CORPUS_STORIES.length);
    assert.deepEqual(
      rep.flagged.map((f) => [f.id, f.finding]),
      [['swapped', 'wrong-story']],
    );
    assert.match(rep.flagged[0]?.reason ?? '', /never mentions|does not talk about/);

    const view = await getJson(`${base}/v1/corpus/audit`);
    assert.equal(view.status, 200, view.text);
    const seen = AuditReportSchema.parse(view.json);
    assert.equal(seen.scored, 0);
    assert.deepEqual(seen.flagged, rep.flagged);

    const c = await cli(['corpus', 'audit', '--db', db, '--json']);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(
      JSON.parse(c.stdout),
      view.json,
      'the CLI reports the same findings, scoring nothing new',
    );

    const again = await post(`${base}/v1/corpus/audit`, '', AUTH);
    assert.equal(AuditReportSchema.parse(again.json).scored, 0, 'audited articles are not scored twice');

    const redo = await post(`${base}/v1/corpus/audit?redo=true`, '', AUTH);
    assert.equal(redo.status, 200, redo.text);
    const redone = AuditReportSchema.parse(redo.json);
    assert.equal(redone.scored, CORPUS_STORIES.length, 'redo=true scores every article again');
    assert.deepEqual(redone.flagged, rep.flagged);
    const bad = await post(`${base}/v1/corpus/audit?redo=yes`, '', AUTH);
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.text, /\\"redo\\" must be true or false; got yes/);
  });

  it('exports every article as streamed JSONL: the ingest format plus every id', async () => {
    const res = await fetch(`${base}/v1/corpus/export`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    const lines = (await res.text()).trim().split('\n');
    const records = lines.map((l) => ExportLine.parse(JSON.parse(l)));
    assert.deepEqual(
      records.map((x) => x.id),
      CORPUS_STORIES.map((s) => s.id),
    );
    assert.deepEqual(records[0]?.ids, ['shark-1', 'shark-1-syndicated']);
    assert.equal(records[0]?.url, 'https://news.example/shark-1');
    assert.equal(records[0]?.body, CORPUS_STORIES[0]?.body);
  });

  it('removes an id with the token (the article goes with its last id); an id no article has is 404 NOT_FOUND', async () => {
    const alias = await post(
      `${base}/v1/corpus/remove`,
      { id: 'shark-1-syndicated' },
      { ...JSONCT, ...AUTH },
    );
    assert.equal(alias.status, 200, alias.text);
    assert.deepEqual(RemoveResponse.parse(alias.json).removed, [
      { id: 'shark-1-syndicated', removed: true, articleRemoved: false },
    ]);
    const gone = await post(`${base}/v1/corpus/remove`, { ids: ['library', 'nope'] }, { ...JSONCT, ...AUTH });
    assert.equal(gone.status, 200, gone.text);
    assert.deepEqual(RemoveResponse.parse(gone.json).removed, [
      { id: 'library', removed: true, articleRemoved: true },
      { id: 'nope', removed: false, articleRemoved: false },
    ]);
    const missing = await post(`${base}/v1/corpus/remove`, { id: 'library' }, { ...JSONCT, ...AUTH });
    assert.equal(missing.status, 404);
    assert.equal(errorOf(missing.json).code, 'NOT_FOUND');
    const stats = CorpusStatsSchema.parse((await getJson(`${base}/v1/corpus/stats`)).json);
    assert.equal(stats.articles, CORPUS_STORIES.length - 1);
    assert.equal(stats.ids, CORPUS_STORIES.length - 1);
  });

  it('gives bad requests a clear error with a stable code and the status from the one table', async () => {
    const cases: [string, Promise<{ status: number; json: unknown }>, number, string][] = [
      ['empty claim', post(`${base}/v1/corpus/claim`, { claim: '  ' }, JSONCT), 400, 'INPUT_EMPTY'],
      ['claim not a string', post(`${base}/v1/corpus/claim`, { claim: 7 }, JSONCT), 400, 'INPUT_FORMAT'],
      ['no claim field', post(`${base}/v1/corpus/claim`, { text: 'x' }, JSONCT), 400, 'INPUT_FORMAT'],
      ['top 0', post(`${base}/v1/corpus/claim`, { claim: 'x', top: 0 }, JSONCT), 400, 'USAGE'],
      ['top 1.5', post(`${base}/v1/corpus/claim`, { claim: 'x', top: 1.5 }, JSONCT), 400, 'USAGE'],
      ['invalid JSON', post(`${base}/v1/corpus/claim`, '{"claim":', JSONCT), 400, 'INPUT_FORMAT'],
      ['text/plain', post(`${base}/v1/corpus/claim`, 'x', { 'content-type': 'text/plain' }), 400, 'USAGE'],
      ['GET without claim', getJson(`${base}/v1/corpus/claim`), 400, 'USAGE'],
      ['GET top=abc', getJson(`${base}/v1/corpus/claim?claim=x&top=abc`), 400, 'USAGE'],
      [
        'a claim too long',
        post(`${base}/v1/corpus/claim`, { claim: 'shark '.repeat(1000) }, JSONCT),
        413,
        'INPUT_TOO_LARGE',
      ],
      [
        'invalid UTF-8',
        post(`${base}/v1/corpus/claim`, new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), JSONCT),
        400,
        'INPUT_ENCODING',
      ],
      ['empty ingest', post(`${base}/v1/corpus/ingest`, '\n \n', { ...NDJSON, ...AUTH }), 400, 'INPUT_EMPTY'],
      [
        'ingest as text/csv',
        post(`${base}/v1/corpus/ingest`, 'a,b', { 'content-type': 'text/csv', ...AUTH }),
        400,
        'USAGE',
      ],
      [
        'remove without ids',
        post(`${base}/v1/corpus/remove`, {}, { ...JSONCT, ...AUTH }),
        400,
        'INPUT_EMPTY',
      ],
      [
        'remove with a number',
        post(`${base}/v1/corpus/remove`, { ids: [3] }, { ...JSONCT, ...AUTH }),
        400,
        'INPUT_FORMAT',
      ],
      [
        'DELETE on a POST route',
        fetch(`${base}/v1/corpus/remove`, { method: 'DELETE' }).then(async (r) => ({
          status: r.status,
          json: (await r.json()) as unknown,
        })),
        405,
        'METHOD_NOT_ALLOWED',
      ],
    ];
    for (const [what, p, status, code] of cases) {
      const r = await p;
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.json)}`);
      assert.equal(errorOf(r.json).code, code, what);
    }
  });

  it('treats hostile claims and article texts as text', async () => {
    const hostile = `Robert'); DROP TABLE corpus_articles; -- "NEAR(" OR * ^ : ' ; \\ %_ shark`;
    const ing = await post(
      `${base}/v1/corpus/ingest`,
      [{ id: `x'); DROP TABLE corpus_articles; --`, headline: hostile, body: `${hostile} motorway flood.` }],
      { ...JSONCT, ...AUTH },
    );
    assert.equal(ing.status, 200, ing.text);
    const r = await post(`${base}/v1/corpus/claim`, { claim: hostile }, JSONCT);
    assert.equal(r.status, 200, r.text);
    assert.ok(ClaimAnswerSchema.parse(r.json).articles.some((a) => a.id.startsWith("x');")));
  });

  it('refuses an ingest body over the size limit with 413 INPUT_TOO_LARGE', async () => {
    const body = `${JSON.stringify({ id: 'huge', body: 'word '.repeat(2_300_000) })}\n`; // 11.5 MB > 10 MB
    const r = await post(`${base}/v1/corpus/ingest`, body, { ...NDJSON, ...AUTH });
    assert.equal(r.status, 413);
    assert.equal(errorOf(r.json).code, 'INPUT_TOO_LARGE');
  });

  it('keeps answering reads while a large ingest runs on the writer thread', async () => {
    const stored = async (): Promise<number> => {
      const s = await getJson(`${base}/v1/corpus/stats`);
      assert.equal(s.status, 200);
      return CorpusStatsSchema.parse(s.json).articles;
    };
    const before = await stored();
    let ingestDone = false;
    const ingest = post(`${base}/v1/corpus/ingest`, bulkJsonl(0, 1000), { ...NDJSON, ...AUTH }).then((r) => {
      ingestDone = true;
      return r;
    });
    // The ingest commits in batches of 200: a read that sees some of them but not all answered
    // while it ran (whatever the machine's speed, unlike a fixed wait).
    const seen: number[] = [];
    while (!ingestDone) {
      seen.push(await stored());
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(
      seen.some((n) => n > before && n < before + 1000),
      `a stats read answered part-way through the ingest (saw ${seen.join(', ')})`,
    );
    const health = await getJson(`${base}/healthz`);
    assert.equal(health.status, 200);
    const r = await ingest;
    assert.equal(r.status, 200, r.text);
    assert.equal(IngestResponse.parse(r.json).summary.added, 1000);
  });

  it('shows how far a running audit is at GET /v1/corpus/audit/progress, and the figures of the last audit after it', async () => {
    const progress = async () => {
      const r = await getJson(`${base}/v1/corpus/audit/progress`);
      assert.equal(r.status, 200, r.text);
      return AuditProgressSchema.parse(r.json);
    };
    const before = await progress();
    assert.equal(before.running, false);
    assert.ok(before.finishedAt !== null, 'the audits of the tests before');
    let done = false;
    // The thousand articles of the ingest above are not audited yet: scored in pages of 200.
    const run = post(`${base}/v1/corpus/audit`, '', AUTH).then((r) => {
      done = true;
      return r;
    });
    const seen: { running: boolean; scored: number }[] = [];
    while (!done) {
      const p = await progress();
      seen.push({ running: p.running, scored: p.scored });
      await new Promise((r) => setTimeout(r, 5));
    }
    const r = await run;
    assert.equal(r.status, 200, r.text);
    const report = AuditReportSchema.parse(r.json);
    assert.ok(report.scored >= 1000, `${report.scored}`);
    assert.ok(
      seen.some((x) => x.running && x.scored > 0 && x.scored < report.scored),
      `a poll saw the audit part-way (saw ${JSON.stringify(seen.filter((x) => x.running).map((x) => x.scored))})`,
    );
    const after = await progress();
    assert.deepEqual(
      [after.running, after.scored, after.refreshed, after.failed],
      [false, report.scored, report.refreshed, undefined],
    );
    assert.ok(after.startedAt !== null && after.finishedAt !== null && after.finishedAt >= after.startedAt);
  });

  it('starts an audit in the background with background=true (202 and its progress at once), whose findings GET shows once it has ended', async () => {
    const added = await post(`${base}/v1/corpus/ingest`, bulkJsonl(1000, 300), { ...NDJSON, ...AUTH });
    assert.equal(added.status, 200, added.text);
    const started = await post(`${base}/v1/corpus/audit?background=true`, '', AUTH);
    assert.equal(started.status, 202, started.text);
    const first = AuditProgressSchema.parse(started.json);
    assert.equal(first.running, true);
    let p = first;
    while (p.running) {
      await new Promise((r) => setTimeout(r, 20));
      p = AuditProgressSchema.parse((await getJson(`${base}/v1/corpus/audit/progress`)).json);
    }
    assert.deepEqual([p.scored, p.failed], [300, undefined], 'the 300 new articles were scored');
    const view = AuditReportSchema.parse((await getJson(`${base}/v1/corpus/audit`)).json);
    assert.equal(view.storedAfterFullAudit, 0, 'the background audit left every article audited');
    const again = await post(`${base}/v1/corpus/audit`, '', AUTH);
    assert.equal(AuditReportSchema.parse(again.json).scored, 0);
    const bad = await post(`${base}/v1/corpus/audit?background=maybe`, '', AUTH);
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.text, /\\"background\\" must be true or false; got maybe/);
  });

  it('lists every corpus route in the OpenAPI document, with the bearer token on the write routes', async () => {
    const doc = (await getJson(`${base}/openapi.json`)).json as {
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    const expected = [
      ['post', '/v1/corpus/claim', false],
      ['get', '/v1/corpus/claim', false],
      ['get', '/v1/corpus/audit', false],
      ['post', '/v1/corpus/audit', true],
      ['get', '/v1/corpus/audit/progress', false],
      ['get', '/v1/corpus/stats', false],
      ['get', '/v1/corpus/export', false],
      ['post', '/v1/corpus/ingest', true],
      ['post', '/v1/corpus/remove', true],
      ['post', '/v1/corpus/reindex', true],
    ] as const;
    for (const [method, path, auth] of expected) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
      assert.equal(op.security !== undefined, auth, `${method} ${path} security`);
      assert.equal(
        '401' in op.responses,
        auth,
        `${method} ${path} documents 401 exactly when it needs the token`,
      );
    }
    const documented = ROUTES.filter((r) => r.path.startsWith('/v1/corpus/')).map((r) => [r.method, r.path]);
    assert.deepEqual(
      documented.sort(),
      expected.map(([m, p]) => [m, p]).sort(),
      'no corpus route is missing from this list',
    );
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: (doc.components.securitySchemes.bearerAuth as { description?: string }).description,
    });
  });
});

describe('corpus over HTTP without a token or without a corpus', { skip: SKIP }, () => {
  it('without a token the corpus is read-only: reads answer, every write is 401 saying how to allow writes', async () => {
    const db = join(TMP, 'readonly.db');
    const s = await startCorpusServer(db);
    try {
      assert.equal(s.corpus?.writable, false);
      const stats = await getJson(`${s.url}/v1/corpus/stats`);
      assert.equal(stats.status, 200, stats.text);
      for (const path of [
        '/v1/corpus/ingest',
        '/v1/corpus/audit',
        '/v1/corpus/remove',
        '/v1/corpus/reindex',
      ]) {
        const r = await post(`${s.url}${path}`, storiesJsonl(), {
          ...NDJSON,
          authorization: `Bearer ${TOKEN}`,
        });
        assert.equal(r.status, 401, `${path}: ${r.text}`);
        assert.match(errorOf(r.json).message, /read-only.*--token or STANCECHECK_TOKEN/);
      }
    } finally {
      await s.close();
    }
  });

  it('with no corpus, the corpus routes answer 404 saying how to turn it on', async () => {
    const s = await startServer({ port: 0, workers: 1, model: MODEL });
    try {
      assert.equal(s.corpus, undefined);
      const r = await getJson(`${s.url}/v1/corpus/stats`);
      assert.equal(r.status, 404);
      assert.equal(errorOf(r.json).code, 'NOT_FOUND');
      assert.match(errorOf(r.json).message, /serve --db/);
    } finally {
      await s.close();
    }
  });
});

describe('corpus reads under a time limit', { skip: SKIP }, () => {
  it('answers a claim that runs past --timeout-ms with 504 TIMEOUT and replaces the reader thread, which then answers again', async () => {
    const db = join(TMP, 'slow.db');
    // How long a claim over 1,000 candidates takes on this machine, with the default limit.
    const probe = await startServer({ port: 0, workers: 1, model: MODEL, db, token: TOKEN });
    let took: number;
    try {
      const ing = await post(`${probe.url}/v1/corpus/ingest`, bulkJsonl(0, 1000), { ...NDJSON, ...AUTH });
      assert.equal(IngestResponse.parse(ing.json).summary.added, 1000, 'writes are not cut short');
      const started = performance.now();
      const full = await post(`${probe.url}/v1/corpus/claim`, { claim: SHARK_CLAIM, top: 1000 }, JSONCT);
      took = performance.now() - started;
      assert.equal(full.status, 200, full.text);
    } finally {
      await probe.close();
    }
    // A limit of a quarter of that: another claim of the same size (not cached) overruns it.
    const s = await startServer({
      port: 0,
      workers: 1,
      model: MODEL,
      db,
      token: TOKEN,
      timeoutMs: Math.max(20, Math.floor(took / 4)),
    });
    try {
      const slow = await post(
        `${s.url}/v1/corpus/claim`,
        { claim: `${SHARK_CLAIM} again`, top: 1000 },
        JSONCT,
      );
      assert.equal(slow.status, 504, slow.text);
      assert.equal(errorOf(slow.json).code, 'TIMEOUT');
      const stats = await getJson(`${s.url}/v1/corpus/stats`);
      assert.equal(stats.status, 200, `a fresh reader answers: ${stats.text}`);
      assert.equal(CorpusStatsSchema.parse(stats.json).articles, 1000);
    } finally {
      await s.close();
    }
  });
});

describe('serve refuses to expose the corpus without a token', () => {
  it('startServer rejects listening beyond loopback with a corpus and no token, before opening anything', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      await assert.rejects(
        startServer({ port: 0, host, db: join(TMP, 'never.db') }),
        (e: unknown) =>
          isStanceError(e) &&
          e.code === 'USAGE' &&
          /refusing to listen on .* without a token/.test(e.message),
      );
    }
  });

  it('`stancecheck serve --host 0.0.0.0` exits 2 with the reason when ./stancecheck.db exists and no token is set', async () => {
    const dir = mkdtempSync(join(TMP, 'cwd-'));
    writeFileSync(join(dir, 'stancecheck.db'), '');
    const r = await cli(['serve', '--host', '0.0.0.0', '--port', '0'], dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^stancecheck: refusing to listen on 0\.0\.0\.0 without a token/);
    assert.match(r.stderr, /--token|STANCECHECK_TOKEN/);
  });

  it("fails to start with the store's own error when --db names a file that is not a corpus", async () => {
    const foreign = join(TMP, 'foreign.db');
    writeFileSync(foreign, 'a text file, not a database\n');
    await assert.rejects(
      startServer({ port: 0, workers: 1, model: MODEL, db: foreign }),
      (e: unknown) => isStanceError(e) && e.code === 'DB_OPEN' && /not a SQLite database/.test(e.message),
    );
  });

  it('refuses a token shorter than 16 characters', async () => {
    await assert.rejects(
      startServer({ port: 0, db: join(TMP, 'never.db'), token: 'short' }),
      (e: unknown) => isStanceError(e) && e.code === 'USAGE' && /at least 16/.test(e.message),
    );
  });

  it('picks the corpus as the CLI does: --db, else STANCECHECK_DB, else ./stancecheck.db if it exists; --no-corpus turns it off', () => {
    assert.equal(corpusDb({ db: 'a.db' }, { STANCECHECK_DB: 'b.db' }), 'a.db');
    assert.equal(corpusDb({}, { STANCECHECK_DB: 'postgres://h/db' }), 'postgres://h/db');
    assert.equal(corpusDb({ corpus: false }, { STANCECHECK_DB: 'b.db' }), undefined);
    assert.throws(() => corpusDb({ corpus: false, db: 'a.db' }, {}), /either --db or --no-corpus/);
  });

  it('counts only localhost, 127.0.0.0/8 and ::1 as loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.org', '::ffff:10.0.0.1', '128.0.0.1'])
      assert.equal(isLoopback(h), false, h);
  });

  it('accepts exactly the right bearer token, case-insensitive scheme, and nothing else', () => {
    requireBearer(`Bearer ${TOKEN}`, TOKEN);
    requireBearer(`bearer  ${TOKEN} `, TOKEN);
    for (const h of [
      undefined,
      '',
      TOKEN,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Bearer ${TOKEN} extra`,
      `Token ${TOKEN}`,
    ])
      assert.throws(
        () => requireBearer(h, TOKEN),
        (e: unknown) => isStanceError(e) && e.code === 'UNAUTHORIZED',
        String(h),
      );
  });
});

for (const backend of BACKENDS.filter((b) => b.name === 'postgres')) {
  const skip = SKIP || (await backend.skip());
  describe('corpus over HTTP on PostgreSQL', { skip: skip || false }, () => {
    let tdb: TestDb;
    let server: RunningServer;
    before(async () => {
      tdb = await backend.fresh();
      server = await startCorpusServer(tdb.db, { token: TOKEN });
    });
    after(async () => {
      await server?.close();
      await tdb?.cleanup();
    });

    it('ingests, answers a claim by stance, audits, exports and removes, as on SQLite', async () => {
      const base = server.url;
      assert.equal(server.corpus?.backend, 'postgres');
      assert.doesNotMatch(server.corpus?.location ?? '', /:stancecheck@/, 'the location hides the password');
      const ing = await post(`${base}/v1/corpus/ingest`, storiesJsonl(), { ...NDJSON, ...AUTH });
      assert.equal(IngestResponse.parse(ing.json).summary.added, CORPUS_STORIES.length);
      const a = ClaimAnswerSchema.parse(
        (await post(`${base}/v1/corpus/claim`, { claim: SHARK_CLAIM }, JSONCT)).json,
      );
      assert.equal(a.summary, 'Of 3 related articles, 1 agree, 1 disagree, 1 discuss.');
      const rep = AuditReportSchema.parse((await post(`${base}/v1/corpus/audit`, '', AUTH)).json);
      assert.deepEqual(
        rep.flagged.map((f) => [f.id, f.finding]),
        [['swapped', 'wrong-story']],
      );
      const exported = (await (await fetch(`${base}/v1/corpus/export`)).text()).trim().split('\n');
      assert.equal(exported.length, CORPUS_STORIES.length);
      const rm = await post(`${base}/v1/corpus/remove`, { id: 'swapped' }, { ...JSONCT, ...AUTH });
      assert.equal(rm.status, 200, rm.text);
      const unauth = await post(`${base}/v1/corpus/remove`, { id: 'shark-1' }, JSONCT);
      assert.equal(unauth.status, 401);
      const stats = CorpusStatsSchema.parse((await getJson(`${base}/v1/corpus/stats`)).json);
      assert.equal(stats.articles, CORPUS_STORIES.length - 1);
    });
  });
}
