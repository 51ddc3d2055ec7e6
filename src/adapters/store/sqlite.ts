/**
 * The embedded corpus store: one SQLite file (better-sqlite3), WAL journal, FTS5 full-text index
 * ranked with bm25(). Versioned migrations run on open; a newer schema is refused.
 */
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StanceError } from '../../core/errors.js';
import {
  addDecision,
  type AddOutcome,
  type AuditRecord,
  type CorpusStats,
  type CorpusStore,
  type NewArticle,
  auditMarkKey,
  type SearchHit,
  type SearchOptions,
  type StoredArticle,
} from '../../core/corpus/store.js';
import { quorumSearch } from './quorum.js';

/** FTS5's query operators, for {@link quorumSearch}. */
const FTS5_OPS = { and: ' AND ', or: ' OR ' };

/** Schema migrations, in order; index + 1 is the version they bring the database to. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE corpus_articles (
     key INTEGER PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     headline TEXT NOT NULL,
     subtitle TEXT,
     body TEXT NOT NULL,
     url TEXT,
     published TEXT,
     source TEXT,
     analysis BLOB NOT NULL,
     analysis_version TEXT NOT NULL,
     added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
   );
   CREATE TABLE corpus_ids (
     id TEXT PRIMARY KEY,
     key INTEGER NOT NULL REFERENCES corpus_articles(key) ON DELETE CASCADE,
     n INTEGER NOT NULL
   );
   CREATE INDEX corpus_ids_key ON corpus_ids(key, n);
   CREATE INDEX corpus_articles_version ON corpus_articles(analysis_version);
   CREATE VIRTUAL TABLE corpus_fts USING fts5(
     headline, body, content='corpus_articles', content_rowid='key',
     tokenize='porter unicode61 remove_diacritics 2'
   );
   CREATE TRIGGER corpus_articles_ai AFTER INSERT ON corpus_articles BEGIN
     INSERT INTO corpus_fts(rowid, headline, body) VALUES (new.key, new.headline, new.body);
   END;
   CREATE TRIGGER corpus_articles_ad AFTER DELETE ON corpus_articles BEGIN
     INSERT INTO corpus_fts(corpus_fts, rowid, headline, body) VALUES ('delete', old.key, old.headline, old.body);
   END;
   CREATE TABLE corpus_verdicts (
     claim TEXT NOT NULL,
     model TEXT NOT NULL,
     key INTEGER NOT NULL REFERENCES corpus_articles(key) ON DELETE CASCADE,
     verdict TEXT NOT NULL,
     PRIMARY KEY (claim, model, key)
   ) WITHOUT ROWID;
   CREATE INDEX corpus_verdicts_key ON corpus_verdicts(key);
   CREATE TABLE corpus_audits (
     key INTEGER NOT NULL REFERENCES corpus_articles(key) ON DELETE CASCADE,
     model TEXT NOT NULL,
     finding TEXT,
     score REAL NOT NULL,
     result TEXT NOT NULL,
     PRIMARY KEY (model, key)
   ) WITHOUT ROWID;
   CREATE INDEX corpus_audits_key ON corpus_audits(key);`,
  // 2: how far each audit's cross-check has looked (the audit's refresh, docs/CORPUS.md).
  `ALTER TABLE corpus_audits ADD COLUMN checked_through INTEGER;
   CREATE INDEX corpus_audits_checked ON corpus_audits(model, checked_through);`,
];

/** The schema version this code writes. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

const SQLITE_MAGIC = 'SQLite format 3\0';

interface Row {
  key: number;
  hash: string;
  headline: string;
  subtitle: string | null;
  body: string;
  url: string | null;
  published: string | null;
  source: string | null;
  analysis: Buffer;
  analysis_version: string;
  ids: string;
}

const ROW_COLUMNS = `a.key, a.hash, a.headline, a.subtitle, a.body, a.url, a.published, a.source, a.analysis, a.analysis_version,
  (SELECT json_group_array(id) FROM (SELECT id FROM corpus_ids i WHERE i.key = a.key ORDER BY n)) AS ids`;

function toArticle(r: Row): StoredArticle {
  const ids = JSON.parse(r.ids) as string[];
  const a: StoredArticle = {
    key: r.key,
    hash: r.hash,
    id: ids[0] ?? r.hash,
    ids,
    headline: r.headline,
    body: r.body,
    analysis: new Uint8Array(r.analysis.buffer, r.analysis.byteOffset, r.analysis.byteLength),
    analysisVersion: r.analysis_version,
  };
  if (r.subtitle !== null) a.subtitle = r.subtitle;
  if (r.url !== null) a.url = r.url;
  if (r.published !== null) a.published = r.published;
  if (r.source !== null) a.source = r.source;
  return a;
}

function dbError(path: string, e: unknown): StanceError {
  if (e instanceof StanceError) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
    return new StanceError(
      'DB_CORRUPT',
      `${path} is not a usable SQLite database (${msg}); expected a stancecheck corpus file`,
      { file: path },
      { cause: e },
    );
  return new StanceError(
    'DB_OPEN',
    `cannot open the corpus database ${path}: ${msg}`,
    { file: path },
    { cause: e },
  );
}

/** Opens (creating when missing) a SQLite corpus file. */
export function openSqliteStore(path: string, options: { readonly?: boolean } = {}): CorpusStore {
  if (existsSync(path)) {
    const st = statSync(path);
    if (st.isDirectory())
      throw new StanceError('DB_OPEN', `${path} is a directory; expected a corpus database file`, {
        file: path,
      });
    if (st.size > 0) {
      const fd = openSync(path, 'r');
      const head = Buffer.alloc(16);
      readSync(fd, head, 0, 16, 0);
      closeSync(fd);
      if (head.toString('latin1') !== SQLITE_MAGIC)
        throw new StanceError(
          'DB_OPEN',
          `${path} is not a SQLite database (it does not start with the SQLite header); expected a stancecheck corpus file or a new path`,
          { file: path },
        );
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    db.pragma('busy_timeout = 30000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
  } catch (e) {
    throw dbError(path, e);
  }
  return new SqliteStore(db, path);
}

function migrate(db: Database.Database, path: string): void {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .all() as { name: string }[];
  const names = new Set(tables.map((t) => t.name));
  if (names.size > 0 && !names.has('corpus_meta'))
    throw new StanceError(
      'DB_OPEN',
      `${path} is a SQLite database but not a stancecheck corpus (it has other tables: ${[...names].slice(0, 5).join(', ')}); expected a corpus file or a new path`,
      { file: path },
    );
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    const row = db.prepare(`SELECT value FROM corpus_meta WHERE key = 'schema_version'`).get() as
      { value: string } | undefined;
    const current = row ? Number(row.value) : 0;
    if (current > MIGRATIONS.length)
      throw new StanceError(
        'DB_VERSION',
        `${path} has corpus schema version ${current}, newer than the ${MIGRATIONS.length} this stancecheck knows; upgrade stancecheck`,
        { file: path },
      );
    for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.prepare(
      `INSERT INTO corpus_meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    ).run(String(MIGRATIONS.length));
  });
  run.immediate();
}

class SqliteStore implements CorpusStore {
  readonly backend = 'sqlite' as const;
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {
    this.st = {
      articleByHash: db.prepare(`SELECT key FROM corpus_articles WHERE hash = ?`),
      idRow: db.prepare(`SELECT key FROM corpus_ids WHERE id = ?`),
      insertArticle: db.prepare(
        `INSERT INTO corpus_articles(hash, headline, subtitle, body, url, published, source, analysis, analysis_version)
         VALUES (@hash, @headline, @subtitle, @body, @url, @published, @source, @analysis, @analysisVersion)`,
      ),
      insertId: db.prepare(
        `INSERT INTO corpus_ids(id, key, n) VALUES (?, ?, (SELECT coalesce(max(n), 0) + 1 FROM corpus_ids WHERE key = ?))`,
      ),
      search: db.prepare(
        `SELECT rowid AS key, -bm25(corpus_fts, 2.0, 1.0) AS score FROM corpus_fts WHERE corpus_fts MATCH ? ORDER BY bm25(corpus_fts, 2.0, 1.0) LIMIT ?`,
      ),
      get: db.prepare(`SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.key = ?`),
      page: db.prepare(`SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.key > ? ORDER BY a.key LIMIT ?`),
      stale: db.prepare(
        `SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.analysis_version <> ? ORDER BY a.key LIMIT ?`,
      ),
      setAnalysis: db.prepare(`UPDATE corpus_articles SET analysis = ?, analysis_version = ? WHERE key = ?`),
      removeId: db.prepare(`DELETE FROM corpus_ids WHERE id = ? RETURNING key`),
      idsLeft: db.prepare(`SELECT count(*) AS n FROM corpus_ids WHERE key = ?`),
      removeArticle: db.prepare(`DELETE FROM corpus_articles WHERE key = ?`),
      verdict: db.prepare(`SELECT verdict FROM corpus_verdicts WHERE claim = ? AND model = ? AND key = ?`),
      putVerdict: db.prepare(
        `INSERT INTO corpus_verdicts(claim, model, key, verdict) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET verdict = excluded.verdict`,
      ),
      unaudited: db.prepare(
        `SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.key > ? AND NOT EXISTS
           (SELECT 1 FROM corpus_audits u WHERE u.model = ? AND u.key = a.key) ORDER BY a.key LIMIT ?`,
      ),
      putAudit: db.prepare(
        `INSERT INTO corpus_audits(key, model, finding, score, result, checked_through) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET finding = excluded.finding, score = excluded.score, result = excluded.result,
           checked_through = excluded.checked_through`,
      ),
      staleCrossChecks: db.prepare(
        `SELECT key, finding, score, result, checked_through AS checkedThrough FROM corpus_audits
         WHERE model = ? AND checked_through < ? AND key > ? ORDER BY key LIMIT ?`,
      ),
      findings: db.prepare(
        `SELECT key, finding, score, result FROM corpus_audits WHERE model = ? AND finding IS NOT NULL ORDER BY score DESC, key`,
      ),
    };
  }

  private guard<T>(f: () => T): Promise<T> {
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(dbError(this.location, e));
    }
  }

  add(batch: readonly NewArticle[]): Promise<AddOutcome[]> {
    return this.guard(() => {
      const tx = this.db.transaction((items: readonly NewArticle[]) => {
        const out: AddOutcome[] = [];
        for (const a of items) {
          const idRow = this.st.idRow.get(a.id) as { key: number } | undefined;
          const existing = this.st.articleByHash.get(a.hash) as { key: number } | undefined;
          const decision = addDecision(idRow?.key, existing?.key);
          if (decision.status === 'duplicate') {
            out.push({ id: a.id, hash: a.hash, status: decision.status });
            continue;
          }
          if (decision.status === 'updated') {
            // The id leaves its old text (which goes when this was its last id).
            this.st.removeId.get(a.id);
            if ((this.st.idsLeft.get(decision.from) as { n: number }).n === 0)
              this.st.removeArticle.run(decision.from);
          }
          let key: number;
          if (decision.status === 'alias' || (decision.status === 'updated' && decision.key !== undefined)) {
            key = decision.key as number;
          } else {
            const r = this.st.insertArticle.run({
              hash: a.hash,
              headline: a.headline,
              subtitle: a.subtitle ?? null,
              body: a.body,
              url: a.url ?? null,
              published: a.published ?? null,
              source: a.source ?? null,
              analysis: Buffer.from(a.analysis.buffer, a.analysis.byteOffset, a.analysis.byteLength),
              analysisVersion: a.analysisVersion,
            });
            key = Number(r.lastInsertRowid);
          }
          this.st.insertId.run(a.id, key, key);
          out.push({ id: a.id, hash: a.hash, status: decision.status });
        }
        return out;
      });
      return tx.immediate(batch);
    });
  }

  /**
   * Every article holding any of the terms, ranked with bm25(); with `narrow`, only those holding
   * the most of the first six (the quorum search, src/adapters/store/quorum.ts, as the PostgreSQL
   * store always searches; each level ranked by the bm25() of those six terms). FTS5 ranks every
   * row a query matches, and an OR of many common words matches most of a large store: at 100k
   * generated articles a claim's feedback search (ten words of its most related articles) took
   * 66–72 ms that way and about 40 ms narrowed. A claim's own words are searched in full: narrowed, the
   * 100-article pool held 50 % of the dev claims' related bodies in such a store instead of 68 %
   * (docs/CORPUS.md).
   */
  async search(terms: readonly string[], limit: number, options: SearchOptions = {}): Promise<SearchHit[]> {
    const quoted = [...new Set(terms.filter((t) => t.length > 0))].map((t) => `"${t.replace(/"/g, '""')}"`);
    if (quoted.length === 0) return [];
    const any = quoted.join(' OR ');
    // The best `limit` matches of the query that are not in `except`.
    const ranked = (query: string, except: readonly number[]): Promise<SearchHit[]> =>
      this.guard(() => {
        const skip = new Set(except);
        const hits = this.st.search.all(query, limit + skip.size) as SearchHit[];
        return hits.filter((h) => !skip.has(h.key));
      });
    if (options.narrow !== true) return ranked(any, []);
    return quorumSearch(quoted, limit, FTS5_OPS, (level, except) => ranked(level ?? any, except));
  }

  get(keys: readonly number[]): Promise<StoredArticle[]> {
    return this.guard(() => {
      const out: StoredArticle[] = [];
      for (const k of keys) {
        const r = this.st.get.get(k) as Row | undefined;
        if (r) out.push(toArticle(r));
      }
      return out;
    });
  }

  byId(id: string): Promise<StoredArticle | undefined> {
    return this.guard(() => {
      const row = this.st.idRow.get(id) as { key: number } | undefined;
      if (!row) return undefined;
      const r = this.st.get.get(row.key) as Row | undefined;
      return r ? toArticle(r) : undefined;
    });
  }

  remove(id: string): Promise<{ removed: boolean; articleRemoved: boolean }> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const r = this.st.removeId.get(id) as { key: number } | undefined;
          if (!r) return { removed: false, articleRemoved: false };
          const left = (this.st.idsLeft.get(r.key) as { n: number }).n;
          if (left === 0) this.st.removeArticle.run(r.key);
          return { removed: true, articleRemoved: left === 0 };
        })
        .immediate(),
    );
  }

  page(after: number, limit: number): Promise<StoredArticle[]> {
    return this.guard(() => (this.st.page.all(after, limit) as Row[]).map(toArticle));
  }

  stale(analysisVersion: string, limit: number): Promise<StoredArticle[]> {
    return this.guard(() => (this.st.stale.all(analysisVersion, limit) as Row[]).map(toArticle));
  }

  setAnalysis(
    items: readonly { key: number; analysis: Uint8Array; analysisVersion: string }[],
  ): Promise<void> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          for (const it of items)
            this.st.setAnalysis.run(
              Buffer.from(it.analysis.buffer, it.analysis.byteOffset, it.analysis.byteLength),
              it.analysisVersion,
              it.key,
            );
        })
        .immediate(),
    );
  }

  cachedVerdicts(claimHash: string, model: string, keys: readonly number[]): Promise<Map<number, string>> {
    return this.guard(() => {
      const out = new Map<number, string>();
      for (const k of keys) {
        const r = this.st.verdict.get(claimHash, model, k) as { verdict: string } | undefined;
        if (r) out.set(k, r.verdict);
      }
      return out;
    });
  }

  cacheVerdicts(
    claimHash: string,
    model: string,
    items: readonly { key: number; verdict: string }[],
  ): Promise<void> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          for (const it of items) this.st.putVerdict.run(claimHash, model, it.key, it.verdict);
        })
        .immediate(),
    );
  }

  unaudited(model: string, after: number, limit: number): Promise<StoredArticle[]> {
    return this.guard(() => (this.st.unaudited.all(after, model, limit) as Row[]).map(toArticle));
  }

  saveAudits(model: string, records: readonly AuditRecord[]): Promise<void> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          for (const r of records)
            this.st.putAudit.run(r.key, model, r.finding, r.score, r.result, r.checkedThrough ?? null);
        })
        .immediate(),
    );
  }

  staleCrossChecks(model: string, through: number, after: number, limit: number): Promise<AuditRecord[]> {
    return this.guard(() => this.st.staleCrossChecks.all(model, through, after, limit) as AuditRecord[]);
  }

  newestKey(): Promise<number> {
    return this.guard(
      () =>
        (this.db.prepare(`SELECT coalesce(max(key), 0) AS n FROM corpus_articles`).get() as { n: number }).n,
    );
  }

  markFullAudit(model: string, through: number): Promise<void> {
    return this.guard(() => {
      this.db
        .prepare(
          `INSERT INTO corpus_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        )
        .run(auditMarkKey(model), String(through));
    });
  }

  findings(model: string): Promise<AuditRecord[]> {
    return this.guard(() => this.st.findings.all(model) as AuditRecord[]);
  }

  stats(analysisVersion: string, model: string): Promise<CorpusStats> {
    return this.guard(() => {
      const one = (sql: string, ...args: unknown[]): number =>
        Number((this.db.prepare(sql).get(...args) as { n: number | null }).n ?? 0);
      const mark = this.db.prepare(`SELECT value FROM corpus_meta WHERE key = ?`).get(auditMarkKey(model)) as
        { value: string } | undefined;
      return {
        backend: this.backend,
        location: this.location,
        schemaVersion: one(
          `SELECT CAST(value AS INTEGER) AS n FROM corpus_meta WHERE key = 'schema_version'`,
        ),
        articles: one(`SELECT count(*) AS n FROM corpus_articles`),
        ids: one(`SELECT count(*) AS n FROM corpus_ids`),
        analysedCurrent: one(
          `SELECT count(*) AS n FROM corpus_articles WHERE analysis_version = ?`,
          analysisVersion,
        ),
        audited: one(`SELECT count(*) AS n FROM corpus_audits WHERE model = ?`, model),
        findings: one(
          `SELECT count(*) AS n FROM corpus_audits WHERE model = ? AND finding IS NOT NULL`,
          model,
        ),
        storedAfterFullAudit:
          mark === undefined
            ? null
            : one(`SELECT count(*) AS n FROM corpus_articles WHERE key > ?`, Number(mark.value)),
        cachedVerdicts: one(`SELECT count(*) AS n FROM corpus_verdicts`),
        analysisBytesAvg: Math.round(one(`SELECT avg(length(analysis)) AS n FROM corpus_articles`)),
      };
    });
  }

  checkIntegrity(): Promise<void> {
    return this.guard(() => {
      const r = this.db.pragma('integrity_check') as { integrity_check: string }[];
      const bad = r.map((x) => x.integrity_check).filter((x) => x !== 'ok');
      if (bad.length > 0)
        throw new StanceError(
          'DB_CORRUPT',
          `${this.location} fails its integrity check: ${bad.slice(0, 3).join('; ')}`,
          {
            file: this.location,
          },
        );
      this.db.prepare(`INSERT INTO corpus_fts(corpus_fts, rank) VALUES ('integrity-check', 1)`).run();
    });
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
