/**
 * `stancecheck corpus` as a user runs it (real child processes), on both backends: durability
 * under kill -9, concurrent ingests, readers during an ingest, feeds and pages from a local server,
 * the claim and audit outputs, and clear errors for a bad --db.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/adapters/store/open-store.js';
import { BACKENDS, type TestDb } from './helpers/corpus-backends.js';
import {
  CEASEFIRE_BODY,
  OTHER_WAR_HEADLINE,
  SHARK_CLAIM,
  SHARK_DISCUSSES,
  SHARK_REFUTES,
  SHARK_SUPPORTS,
} from './helpers/articles.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'adapters', 'cli', 'main.ts');
const TMP = mkdtempSync(join(tmpdir(), 'stancecheck-corpus-cli-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const SENTENCES = [CEASEFIRE_BODY, SHARK_SUPPORTS, SHARK_REFUTES, SHARK_DISCUSSES].flatMap((b) =>
  b.split(/(?<=\.)\s+/),
);

/** A project-made JSONL of `n` distinct articles (ids from `from`), recombining fixture sentences. */
function articlesJsonl(path: string, from: number, n: number): void {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    const body: string[] = [`Report number ${i} was filed from desk ${i % 17} on day ${i}.`];
    for (let k = 0; k < 12; k++) body.push(SENTENCES[(i * 7 + k * 3) % SENTENCES.length] as string);
    lines.push(JSON.stringify({ id: `a${i}`, headline: `Report ${i} on events`, body: body.join(' ') }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

after(() => rmSync(TMP, { recursive: true, force: true }));

for (const backend of BACKENDS) {
  const skip = await backend.skip();
  describe(`corpus CLI on ${backend.name}`, { skip: skip ?? false }, () => {
    const dbs: TestDb[] = [];
    const fresh = async (): Promise<string> => {
      const t = await backend.fresh();
      dbs.push(t);
      return t.db;
    };
    after(async () => {
      for (const t of dbs) await t.cleanup();
    });

    it('after kill -9 mid-ingest the database opens, passes its integrity check and holds every reported batch, nothing half-stored', async () => {
      const db = await fresh();
      const file = join(TMP, `kill-${backend.name}.jsonl`);
      articlesJsonl(file, 0, 4000);
      const child = start(['corpus', 'ingest', '--db', db, '--json', '--batch', '50', file]);
      const committed: string[] = [];
      let buf = '';
      let batches = 0;
      await new Promise<void>((resolve) => {
        child.stdout?.on('data', (d: Buffer) => {
          buf += d.toString();
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const o = JSON.parse(line) as { committed?: { id: string }[] };
            if (o.committed) {
              committed.push(...o.committed.map((x) => x.id));
              if (++batches === 5) child.kill('SIGKILL');
            }
          }
        });
        child.on('close', () => resolve());
      });
      assert.ok(committed.length >= 250, `${committed.length} reported committed`);
      const store = await openStore(db);
      try {
        await store.checkIntegrity();
        const stats = await store.stats('', '');
        assert.ok(stats.articles >= committed.length && stats.articles < 4000, `${stats.articles} stored`);
        assert.equal(stats.ids, stats.articles, 'every stored article has its id, no id without article');
        const source = new Map(
          readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { id: string; body: string })
            .map((o) => [o.id, o.body]),
        );
        for (const id of committed) {
          const a = await store.byId(id);
          assert.ok(a, `${id} was reported committed`);
          assert.equal(a.body, source.get(id));
          assert.ok(a.analysis.length > 0);
        }
      } finally {
        await store.close();
      }
      // The store still takes the rest of the ingest afterwards.
      const r = await run(['corpus', 'ingest', '--db', db, '--json', file]);
      assert.equal(r.code, 0, r.stderr);
      const summary = (
        JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
          summary: { added: number; duplicates: number };
        }
      ).summary;
      assert.equal(summary.added + summary.duplicates, 4000);
    });

    it('two ingests at once lose and duplicate nothing, and readers keep working meanwhile', async () => {
      const db = await fresh();
      const a = join(TMP, `a-${backend.name}.jsonl`);
      const b = join(TMP, `b-${backend.name}.jsonl`);
      articlesJsonl(a, 0, 600);
      articlesJsonl(b, 300, 600);
      // Create the schema first so both writers and the reader start on an initialised store.
      await (await openStore(db)).close();
      const p1 = run(['corpus', 'ingest', '--db', db, '--json', '--batch', '40', a]);
      const p2 = run(['corpus', 'ingest', '--db', db, '--json', '--batch', '40', b]);
      let reads = 0;
      let done = false;
      const both = Promise.all([p1, p2]).finally(() => (done = true));
      const reader = await openStore(db);
      while (!done) {
        const hits = await reader.search(['report', 'desk'], 5);
        const s = await reader.stats('', '');
        assert.ok(s.articles >= 0 && hits.length <= 5);
        reads++;
        await new Promise((r) => setTimeout(r, 50));
      }
      await reader.close();
      const [r1, r2] = await both;
      assert.equal(r1.code, 0, r1.stderr);
      assert.equal(r2.code, 0, r2.stderr);
      const s1 = (
        JSON.parse(r1.stdout.trim().split('\n').pop() as string) as {
          summary: { added: number; duplicates: number };
        }
      ).summary;
      const s2 = (
        JSON.parse(r2.stdout.trim().split('\n').pop() as string) as {
          summary: { added: number; duplicates: number };
        }
      ).summary;
      assert.equal(s1.added + s2.added, 900);
      assert.equal(s1.duplicates + s2.duplicates, 300);
      assert.ok(reads > 0);
      const store = await openStore(db);
      const stats = await store.stats('', '');
      await store.checkIntegrity();
      await store.close();
      assert.equal(stats.articles, 900);
      assert.equal(stats.ids, 900);
    });
  });
}

describe('corpus CLI end to end (SQLite)', () => {
  let server: Server;
  let base = '';
  const folder = join(TMP, 'articles');
  const db = join(TMP, 'e2e.db');
  before(async () => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'shark-1.txt'),
      `Bull shark filmed on flooded Dunmore motorway\n\n${SHARK_SUPPORTS}\n`,
    );
    writeFileSync(join(folder, 'swapped.txt'), `=${OTHER_WAR_HEADLINE}\n\n${CEASEFIRE_BODY}\n`);
    const page = (h: string, body: string): string =>
      `<!doctype html><html><head><title>${h}</title></head><body><article><h1>${h}</h1>${body
        .split(/(?<=\.)\s+/)
        .map((s) => `<p>${s}</p>`)
        .join('')}</article></body></html>`;
    server = createServer((req, res) => {
      const u = req.url ?? '/';
      if (u === '/feed.xml') {
        res.setHeader('content-type', 'application/rss+xml');
        res.end(
          `<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>` +
            `<item><title>Refuted</title><link>${base}/refutes</link><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>` +
            `<item><title>Moved</title><link>${base}/old-discuss</link></item>` +
            `<item><title>Gone</title><link>${base}/missing</link></item>` +
            `<item><title>Slow</title><link>${base}/slow</link></item>` +
            `</channel></rss>`,
        );
      } else if (u === '/refutes')
        res.end(page('No, a shark was not swimming on the Dunmore motorway', SHARK_REFUTES));
      else if (u === '/old-discuss') {
        res.statusCode = 301;
        res.setHeader('location', '/discuss');
        res.end();
      } else if (u === '/discuss')
        res.end(page('Claims of shark on flooded motorway spread online', SHARK_DISCUSSES));
      else if (u === '/slow') setTimeout(() => res.end(page('Late', SHARK_DISCUSSES)), 5000);
      else {
        res.statusCode = 404;
        res.end('not here');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('ingests a folder and a local RSS feed, with a clear error for each URL that fails', async () => {
    const r = await run([
      'corpus',
      'ingest',
      '--db',
      db,
      '--json',
      '--timeout',
      '1500',
      folder,
      `${base}/feed.xml`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = (
      JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
        summary: { added: number; rejected: { where: string; reason: string }[] };
      }
    ).summary;
    assert.equal(s.added, 4);
    const reasons = s.rejected.map((x) => `${x.where} ${x.reason}`).join('\n');
    assert.match(reasons, /\/missing .*HTTP 404/);
    assert.match(reasons, /\/slow .*within 1500 ms/);
    const again = await run(['corpus', 'ingest', '--db', db, folder]);
    assert.match(again.stdout, /0 added, 0 new ids for texts already stored, 2 duplicates/);
  });

  it('check URL fetches and checks one article page; a failing URL gets FETCH_FAILED and exit 69', async () => {
    const r = await run(['check', `${base}/old-discuss`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout) as { claim: string; label: string };
    assert.equal(v.claim, 'Claims of shark on flooded motorway spread online');
    const bad = await run(['check', `${base}/missing`]);
    assert.equal(bad.code, 69);
    assert.match(bad.stderr, /^stancecheck: cannot fetch .*\/missing: the server answered HTTP 404/);
  });

  it('answers a claim in JSON with counts and every returned article, and in text with groups and a summary', async () => {
    const r = await run(['corpus', 'claim', '--db', db, SHARK_CLAIM, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const a = JSON.parse(r.stdout) as {
      claim: string;
      counts: Record<string, number>;
      articles: {
        id: string;
        stance: string;
        url?: string;
        headline: string;
        probabilities: Record<string, number>;
        evidence: unknown[];
      }[];
    };
    assert.equal(a.claim, SHARK_CLAIM);
    const st = new Map(a.articles.map((x) => [x.id, x.stance]));
    assert.equal(st.get('shark-1.txt'), 'agree');
    assert.equal(st.get(`${base}/refutes`), 'disagree');
    assert.equal(st.get(`${base}/old-discuss`), 'discuss', 'the id is the feed link; the url where it led');
    assert.equal(a.articles.find((x) => x.id === `${base}/old-discuss`)?.url, `${base}/discuss`);
    assert.equal(a.counts.agree, 1);
    const text = await run(['corpus', 'claim', '--db', db, SHARK_CLAIM]);
    assert.match(text.stdout, /^Of 3 related articles, 1 agree, 1 disagree, 1 discuss\./);
    assert.match(text.stdout, /DISAGREE \(1\)[\s\S]*It is a hoax|DISAGREE \(1\)[\s\S]*no shark was seen/);
  });

  it('audits: finds the headline put over another story, says why, and escapes spreadsheet formulas in CSV', async () => {
    const csv = join(TMP, 'audit.csv');
    const html = join(TMP, 'audit.html');
    const r = await run(['corpus', 'audit', '--db', db, '--json', '--out', csv]);
    assert.equal(r.code, 0, r.stderr);
    const rep = JSON.parse(r.stdout) as {
      checked: number;
      scored: number;
      flagged: { id: string; finding: string; reason: string }[];
    };
    assert.equal(rep.checked, 4);
    assert.deepEqual(
      rep.flagged.map((f) => [f.id, f.finding]),
      [['swapped.txt', 'wrong-story']],
    );
    assert.match(rep.flagged[0]?.reason ?? '', /never mentions|does not talk about/);
    const lines = readFileSync(csv, 'utf8').split('\r\n');
    assert.match(lines[1] ?? '', /,wrong-story,[0-9.]+,'=Navy ships shell/);
    const h = await run(['corpus', 'audit', '--db', db, '--out', html]);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /1 of 4 articles flagged: 1 wrong story, 0 contradicted \(0 newly scored/);
    assert.match(readFileSync(html, 'utf8'), /<td>swapped\.txt<\/td>/);
  });

  it('exports JSONL and removes an id', async () => {
    const e = await run(['corpus', 'export', '--db', db]);
    assert.equal(e.stdout.trim().split('\n').length, 4);
    const r = await run(['corpus', 'remove', '--db', db, '--id', 'swapped.txt']);
    assert.equal(r.code, 0, r.stderr);
    const s = await run(['corpus', 'stats', '--db', db, '--json']);
    assert.equal((JSON.parse(s.stdout) as { articles: number }).articles, 3);
    const missing = await run(['corpus', 'remove', '--db', db, '--id', 'swapped.txt']);
    assert.equal(missing.code, 69);
  });

  it('a corrupt or foreign --db file or an unreachable server gets a clear error and exit code', async () => {
    const bad = join(TMP, 'foreign.db');
    writeFileSync(bad, 'this is a text file, not a database\n'.repeat(10));
    const r = await run(['corpus', 'stats', '--db', bad]);
    assert.equal(r.code, 69);
    assert.match(r.stderr, /^stancecheck: .*not a SQLite database/);
    const corrupt = join(TMP, 'corrupt.db');
    const good = readFileSync(db);
    const broken = Buffer.from(good);
    broken.fill(0xa5, 100, Math.min(broken.length, 8192));
    writeFileSync(corrupt, broken);
    const c = await run(['corpus', 'stats', '--db', corrupt]);
    assert.ok(c.code === 65 || c.code === 69, `${c.code} ${c.stderr}`);
    assert.match(c.stderr, /^stancecheck: /);
    assert.doesNotMatch(c.stderr, /at .*\.ts:\d+/);
    const pg = await run(['corpus', 'stats', '--db', 'postgres://u:hunter2@127.0.0.1:1/x']);
    assert.equal(pg.code, 69);
    assert.match(
      pg.stderr,
      /^stancecheck: the corpus database at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x failed/,
    );
  });
});

describe('corpus audit --workers (SQLite)', () => {
  it('prints the same JSON report scoring on 2 worker threads as on the main thread (--workers 1), and again with --redo', async () => {
    const input = join(TMP, 'audit-workers.jsonl');
    articlesJsonl(input, 0, 40);
    writeFileSync(
      input,
      `${readFileSync(input, 'utf8')}${JSON.stringify({ id: 'swapped', headline: OTHER_WAR_HEADLINE, body: CEASEFIRE_BODY })}\n`,
    );
    const one = join(TMP, 'audit-w1.db');
    const two = join(TMP, 'audit-w2.db');
    for (const db of [one, two]) {
      const i = await run(['corpus', 'ingest', '--db', db, input]);
      assert.equal(i.code, 0, i.stderr);
    }
    const a = await run(['corpus', 'audit', '--db', one, '--workers', '1', '--json']);
    const b = await run(['corpus', 'audit', '--db', two, '--workers', '2', '--json']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const report = JSON.parse(a.stdout) as { scored: number; flagged: { id: string; finding: string }[] };
    assert.equal(report.scored, 41);
    assert.ok(report.flagged.some((f) => f.id === 'swapped' && f.finding === 'wrong-story'));
    assert.equal(b.stdout, a.stdout);
    // --redo scores every article again (on the pool too) and reports the same findings.
    for (const [db, w] of [
      [one, '1'],
      [two, '2'],
    ] as const) {
      const redo = await run(['corpus', 'audit', '--db', db, '--workers', w, '--redo', '--json']);
      assert.equal(redo.code, 0, redo.stderr);
      const rr = JSON.parse(redo.stdout) as typeof report;
      assert.equal(rr.scored, 41);
      assert.deepEqual(rr.flagged, report.flagged);
    }
    // An article stored after the full audit: stats says so until the next audit, which scores it
    // and looks the older doubted headlines up among it.
    const more = join(TMP, 'audit-more.jsonl');
    articlesJsonl(more, 40, 1);
    assert.equal((await run(['corpus', 'ingest', '--db', one, more])).code, 0);
    const stats = await run(['corpus', 'stats', '--db', one]);
    assert.match(stats.stdout, /\(1 stored after the last full audit: audit again\)/);
    const next = await run(['corpus', 'audit', '--db', one, '--workers', '1']);
    assert.equal(next.code, 0, next.stderr);
    assert.match(
      next.stdout,
      /\(1 newly scored with .*; \d+ older headlines? looked up among the articles stored since\)/,
    );
    assert.doesNotMatch(next.stdout, /stored after the last full audit/);
    assert.doesNotMatch(
      (await run(['corpus', 'stats', '--db', one])).stdout,
      /stored after the last full audit/,
    );
    const zero = await run(['corpus', 'audit', '--db', one, '--workers', '0']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--workers.*expected a whole number ≥ 1; found 0/);
  });
});
