/**
 * The team corpus store: PostgreSQL (pg 8). Full-text search with a tsvector per article (in a
 * table of its own, kept in its rows rather than TOAST, maintained by a trigger) and a GIN index; versioned migrations applied on open under an advisory lock; a newer schema is refused.
 */
import pg from 'pg';
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

/** A lexeme quoted for a tsquery. */
export function quoteLexeme(l: string): string {
  return `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** tsquery's operators, for {@link quorumSearch}. */
export const TSQUERY_OPS = { and: ' & ', or: ' | ' };

/** The schema's migrations, in order: the database's schema version is how many have run. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE corpus_articles (
     key BIGSERIAL PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     headline TEXT NOT NULL,
     subtitle TEXT,
     body TEXT NOT NULL,
     url TEXT,
     published TEXT,
     source TEXT,
     analysis BYTEA NOT NULL,
     analysis_version TEXT NOT NULL,
     added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     tsv TSVECTOR GENERATED ALWAYS AS (
       setweight(to_tsvector('english', headline), 'A') || setweight(to_tsvector('english', body), 'B')
     ) STORED
   );
   CREATE INDEX corpus_articles_tsv ON corpus_articles USING GIN (tsv);
   CREATE INDEX corpus_articles_version ON corpus_articles (analysis_version);
   CREATE TABLE corpus_ids (
     id TEXT PRIMARY KEY,
     key BIGINT NOT NULL REFERENCES corpus_articles(key) ON DELETE CASCADE,
     n INTEGER NOT NULL
   );
   CREATE INDEX corpus_ids_key ON corpus_ids (key, n);
   CREATE TABLE corpus_verdicts (
     claim TEXT NOT NULL,
     model TEXT NOT NULL,
     key BIGINT NOT NULL REFERENCES corpus_articles(key) ON DELETE CASCADE,
     verdict TEXT NOT NULL,
     PRIMARY KEY (claim, model, key)
   );
   CREATE INDEX corpus_verdicts_key ON corpus_verdicts (key);
   CREATE TABLE corpus_audits (
     key BIGINT NOT NULL REFERENCES corpus_articles(key) ON DELETE CASCADE,
     model TEXT NOT NULL,
     finding TEXT,
     score DOUBLE PRECISION NOT NULL,
     result TEXT NOT NULL,
     PRIMARY KEY (model, key)
   );
   CREATE INDEX corpus_audits_key ON corpus_audits (key);`,
  // 2: the search vectors in a table of their own, kept inside its rows (up to 8 KB) instead of
  // TOAST: ranking reads every matching article's vector, and fetching each from TOAST made a
  // search over 100k articles about 3× slower (docs/CORPUS.md). A trigger keeps it in step.
  `CREATE TABLE corpus_search (
     key BIGINT PRIMARY KEY REFERENCES corpus_articles(key) ON DELETE CASCADE,
     tsv TSVECTOR NOT NULL
   ) WITH (toast_tuple_target = 8160);
   ALTER TABLE corpus_search ALTER COLUMN tsv SET STORAGE MAIN;
   CREATE FUNCTION corpus_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO corpus_search (key, tsv)
     VALUES (NEW.key, setweight(to_tsvector('english', NEW.headline), 'A') || setweight(to_tsvector('english', NEW.body), 'B'))
     ON CONFLICT (key) DO UPDATE SET tsv = excluded.tsv;
     RETURN NULL;
   END $$;
   CREATE TRIGGER corpus_search_sync AFTER INSERT OR UPDATE OF headline, body ON corpus_articles
     FOR EACH ROW EXECUTE FUNCTION corpus_search_sync();
   INSERT INTO corpus_search (key, tsv) SELECT key, tsv FROM corpus_articles;
   CREATE INDEX corpus_search_tsv ON corpus_search USING GIN (tsv);
   ALTER TABLE corpus_articles DROP COLUMN tsv;`,
  // 3: how far each audit's cross-check has looked (the audit's refresh, docs/CORPUS.md).
  `ALTER TABLE corpus_audits ADD COLUMN checked_through BIGINT;
   CREATE INDEX corpus_audits_checked ON corpus_audits (model, checked_through);`,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** An advisory lock number for migrations ("stancecheck corpus"). */
const MIGRATION_LOCK = 7_318_202_611;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

function dbError(where: string, e: unknown): StanceError {
  if (e instanceof StanceError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code ?? '';
  if (code === 'XX001' || code === 'XX002')
    return new StanceError(
      'DB_CORRUPT',
      `the corpus database at ${where} is damaged: ${msg}`,
      {},
      { cause: e },
    );
  return new StanceError(
    'DB_OPEN',
    `the corpus database at ${where} failed: ${msg || code}`,
    {},
    { cause: e },
  );
}

interface Row {
  key: string;
  hash: string;
  headline: string;
  subtitle: string | null;
  body: string;
  url: string | null;
  published: string | null;
  source: string | null;
  analysis: Buffer;
  analysis_version: string;
  ids: string[];
}

const ROW_COLUMNS = `a.key, a.hash, a.headline, a.subtitle, a.body, a.url, a.published, a.source, a.analysis, a.analysis_version,
  ARRAY(SELECT id FROM corpus_ids i WHERE i.key = a.key ORDER BY n) AS ids`;

function toArticle(r: Row): StoredArticle {
  const a: StoredArticle = {
    key: Number(r.key),
    hash: r.hash,
    id: r.ids[0] ?? r.hash,
    ids: r.ids,
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

/** Connects to PostgreSQL at `url` and migrates the corpus schema. */
export async function openPostgresStore(
  url: string,
  options: { connectTimeoutMs?: number } = {},
): Promise<CorpusStore> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 10_000,
  });
  // An idle client's connection dropping must not crash the process.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query('SET LOCAL client_min_messages = warning');
      await c.query(`CREATE TABLE IF NOT EXISTS corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      const r = await c.query<{ value: string }>(
        `SELECT value FROM corpus_meta WHERE key = 'schema_version'`,
      );
      const current = r.rows[0] ? Number(r.rows[0].value) : 0;
      if (current > MIGRATIONS.length)
        throw new StanceError(
          'DB_VERSION',
          `the corpus database at ${where} has schema version ${current}, newer than the ${MIGRATIONS.length} this stancecheck knows; upgrade stancecheck`,
        );
      for (let v = current; v < MIGRATIONS.length; v++) await c.query(MIGRATIONS[v] as string);
      await c.query(
        `INSERT INTO corpus_meta(key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(MIGRATIONS.length)],
      );
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw dbError(where, e);
  }
  return new PostgresStore(pool, where);
}

class PostgresStore implements CorpusStore {
  readonly backend = 'postgres' as const;
  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  private async q<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (e) {
      throw dbError(this.location, e);
    }
  }

  private async tx<T>(f: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (e) {
      throw dbError(this.location, e);
    }
    try {
      await c.query('BEGIN');
      const out = await f(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw dbError(this.location, e);
    } finally {
      c.release();
    }
  }

  add(batch: readonly NewArticle[]): Promise<AddOutcome[]> {
    return this.tx(async (c) => {
      // Serialise writers on the same texts/ids: a transaction-level lock keeps the outcome
      // (added / alias / duplicate / updated) exact under concurrent ingests, and the lookups below
      // (fetched once per batch, then kept up to date in memory) true for the whole batch.
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK + 1]);
      const idKey = new Map(
        (
          await c.query<{ id: string; key: string }>(
            `SELECT id, key FROM corpus_ids WHERE id = ANY($1::text[])`,
            [batch.map((a) => a.id)],
          )
        ).rows.map((r) => [r.id, r.key]),
      );
      const textKey = new Map(
        (
          await c.query<{ hash: string; key: string }>(
            `SELECT hash, key FROM corpus_articles WHERE hash = ANY($1::text[])`,
            [batch.map((a) => a.hash)],
          )
        ).rows.map((r) => [r.hash, r.key]),
      );
      const out: AddOutcome[] = [];
      for (const a of batch) {
        const decision = addDecision(idKey.get(a.id), textKey.get(a.hash));
        if (decision.status === 'duplicate') {
          out.push({ id: a.id, hash: a.hash, status: decision.status });
          continue;
        }
        if (decision.status === 'updated') {
          // The id leaves its old text (which goes when this was its last id).
          await c.query(`DELETE FROM corpus_ids WHERE id = $1`, [a.id]);
          const gone = await c.query(
            `DELETE FROM corpus_articles a WHERE a.key = $1 AND NOT EXISTS (SELECT 1 FROM corpus_ids i WHERE i.key = a.key) RETURNING key`,
            [decision.from],
          );
          if ((gone.rowCount ?? 0) > 0)
            for (const [h, k] of textKey) if (k === decision.from) textKey.delete(h);
        }
        let key: string;
        if (decision.status === 'alias' || (decision.status === 'updated' && decision.key !== undefined)) {
          key = decision.key as string;
          await c.query(
            `INSERT INTO corpus_ids(id, key, n) VALUES ($1, $2, (SELECT coalesce(max(n), 0) + 1 FROM corpus_ids WHERE key = $2))`,
            [a.id, key],
          );
        } else {
          // A new text and its first id in one statement.
          const r = await c.query<{ key: string }>(
            `WITH a AS (
               INSERT INTO corpus_articles(hash, headline, subtitle, body, url, published, source, analysis, analysis_version)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING key
             )
             INSERT INTO corpus_ids(id, key, n) SELECT $10, key, 1 FROM a RETURNING key`,
            [
              a.hash,
              a.headline,
              a.subtitle ?? null,
              a.body,
              a.url ?? null,
              a.published ?? null,
              a.source ?? null,
              Buffer.from(a.analysis.buffer, a.analysis.byteOffset, a.analysis.byteLength),
              a.analysisVersion,
              a.id,
            ],
          );
          key = (r.rows[0] as { key: string }).key;
          textKey.set(a.hash, key);
        }
        idKey.set(a.id, key);
        out.push({ id: a.id, hash: a.hash, status: decision.status });
      }
      return out;
    });
  }

  /**
   * The articles that hold the most of the first terms, ranked by ts_rank over all of them.
   * PostgreSQL ranks every row its index matches, and an OR of a claim's words matches most of a
   * large store (81 % of 100k generated articles for a five-word claim: 240 ms). So the index is
   * first asked for the articles that hold all of the first six terms' lexemes (src/adapters/store/quorum.ts),
   * then all but one, and so on, and the first level that yields `limit`
   * articles is the answer (5 ms for the claim above, at four of its five words). Where no level
   * does (a small store), the last level's articles come first and the plain OR search fills the
   * rest. `narrow` or not, this backend always narrows.
   */
  async search(terms: readonly string[], limit: number, _options?: SearchOptions): Promise<SearchHit[]> {
    const ts = terms.filter((t) => t.length > 0);
    if (ts.length === 0) return [];
    const lexemes = (
      await this.q<{ l: string }>(
        `SELECT l FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n), unnest(tsvector_to_array(to_tsvector('english', t))) AS l
         GROUP BY l ORDER BY min(n), l`,
        [ts],
      )
    ).map((r) => r.l);
    const ranked = async (where: string, params: unknown[]): Promise<SearchHit[]> =>
      (
        await this.q<{ key: string; score: number }>(
          `WITH q AS (
             SELECT to_tsquery('english', string_agg(quote_literal(t), ' | ')) AS query FROM unnest($1::text[]) AS t
           )
           SELECT a.key, ts_rank(a.tsv, q.query, 1) AS score
           FROM corpus_search a, q WHERE ${where}
           ORDER BY score DESC, a.key LIMIT $2`,
          [ts, limit, ...params],
        )
      ).map((r) => ({ key: Number(r.key), score: Number(r.score) }));
    return quorumSearch(lexemes.map(quoteLexeme), limit, TSQUERY_OPS, (level, except) =>
      level === undefined
        ? ranked('a.tsv @@ q.query AND NOT (a.key = ANY($3::bigint[]))', [except])
        : ranked('a.tsv @@ $3::tsquery', [level]),
    );
  }

  async get(keys: readonly number[]): Promise<StoredArticle[]> {
    if (keys.length === 0) return [];
    const rows = await this.q<Row>(
      `SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.key = ANY($1::bigint[])`,
      [keys],
    );
    const byKey = new Map(rows.map((r) => [Number(r.key), toArticle(r)]));
    return keys.map((k) => byKey.get(k)).filter((a): a is StoredArticle => a !== undefined);
  }

  async byId(id: string): Promise<StoredArticle | undefined> {
    const rows = await this.q<Row>(
      `SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.key = (SELECT key FROM corpus_ids WHERE id = $1)`,
      [id],
    );
    return rows[0] ? toArticle(rows[0]) : undefined;
  }

  remove(id: string): Promise<{ removed: boolean; articleRemoved: boolean }> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK + 1]);
      const r = (await c.query<{ key: string }>(`DELETE FROM corpus_ids WHERE id = $1 RETURNING key`, [id]))
        .rows[0];
      if (!r) return { removed: false, articleRemoved: false };
      const left = Number(
        (await c.query<{ n: string }>(`SELECT count(*) AS n FROM corpus_ids WHERE key = $1`, [r.key])).rows[0]
          ?.n ?? 0,
      );
      if (left === 0) await c.query(`DELETE FROM corpus_articles WHERE key = $1`, [r.key]);
      return { removed: true, articleRemoved: left === 0 };
    });
  }

  async page(after: number, limit: number): Promise<StoredArticle[]> {
    return (
      await this.q<Row>(
        `SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.key > $1 ORDER BY a.key LIMIT $2`,
        [after, limit],
      )
    ).map(toArticle);
  }

  async stale(analysisVersion: string, limit: number): Promise<StoredArticle[]> {
    return (
      await this.q<Row>(
        `SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.analysis_version <> $1 ORDER BY a.key LIMIT $2`,
        [analysisVersion, limit],
      )
    ).map(toArticle);
  }

  setAnalysis(
    items: readonly { key: number; analysis: Uint8Array; analysisVersion: string }[],
  ): Promise<void> {
    return this.tx(async (c) => {
      for (const it of items)
        await c.query(`UPDATE corpus_articles SET analysis = $1, analysis_version = $2 WHERE key = $3`, [
          Buffer.from(it.analysis.buffer, it.analysis.byteOffset, it.analysis.byteLength),
          it.analysisVersion,
          it.key,
        ]);
    });
  }

  async cachedVerdicts(
    claimHash: string,
    model: string,
    keys: readonly number[],
  ): Promise<Map<number, string>> {
    if (keys.length === 0) return new Map();
    const rows = await this.q<{ key: string; verdict: string }>(
      `SELECT key, verdict FROM corpus_verdicts WHERE claim = $1 AND model = $2 AND key = ANY($3::bigint[])`,
      [claimHash, model, keys],
    );
    return new Map(rows.map((r) => [Number(r.key), r.verdict]));
  }

  async cacheVerdicts(
    claimHash: string,
    model: string,
    items: readonly { key: number; verdict: string }[],
  ): Promise<void> {
    if (items.length === 0) return;
    await this.q(
      `INSERT INTO corpus_verdicts(claim, model, key, verdict)
       SELECT $1, $2, k, v FROM unnest($3::bigint[], $4::text[]) AS x(k, v)
       WHERE EXISTS (SELECT 1 FROM corpus_articles WHERE key = k)
       ON CONFLICT (claim, model, key) DO UPDATE SET verdict = excluded.verdict`,
      [claimHash, model, items.map((i) => i.key), items.map((i) => i.verdict)],
    );
  }

  async unaudited(model: string, after: number, limit: number): Promise<StoredArticle[]> {
    return (
      await this.q<Row>(
        `SELECT ${ROW_COLUMNS} FROM corpus_articles a WHERE a.key > $1 AND NOT EXISTS
           (SELECT 1 FROM corpus_audits u WHERE u.model = $2 AND u.key = a.key) ORDER BY a.key LIMIT $3`,
        [after, model, limit],
      )
    ).map(toArticle);
  }

  async saveAudits(model: string, records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.q(
      `INSERT INTO corpus_audits(key, model, finding, score, result, checked_through)
       SELECT k, $1, f, s, r, c FROM unnest($2::bigint[], $3::text[], $4::float8[], $5::text[], $6::bigint[]) AS x(k, f, s, r, c)
       WHERE EXISTS (SELECT 1 FROM corpus_articles WHERE key = k)
       ON CONFLICT (model, key) DO UPDATE SET finding = excluded.finding, score = excluded.score, result = excluded.result,
         checked_through = excluded.checked_through`,
      [
        model,
        records.map((r) => r.key),
        records.map((r) => r.finding),
        records.map((r) => r.score),
        records.map((r) => r.result),
        records.map((r) => r.checkedThrough ?? null),
      ],
    );
  }

  async findings(model: string): Promise<AuditRecord[]> {
    const rows = await this.q<{
      key: string;
      finding: AuditRecord['finding'];
      score: number;
      result: string;
    }>(
      `SELECT key, finding, score, result FROM corpus_audits WHERE model = $1 AND finding IS NOT NULL ORDER BY score DESC, key`,
      [model],
    );
    return rows.map((r) => ({ ...r, key: Number(r.key), score: Number(r.score) }));
  }

  async staleCrossChecks(
    model: string,
    through: number,
    after: number,
    limit: number,
  ): Promise<AuditRecord[]> {
    const rows = await this.q<{
      key: string;
      finding: AuditRecord['finding'];
      score: number;
      result: string;
      checked_through: string;
    }>(
      `SELECT key, finding, score, result, checked_through FROM corpus_audits
       WHERE model = $1 AND checked_through < $2 AND key > $3 ORDER BY key LIMIT $4`,
      [model, through, after, limit],
    );
    return rows.map((r) => ({
      key: Number(r.key),
      finding: r.finding,
      score: Number(r.score),
      result: r.result,
      checkedThrough: Number(r.checked_through),
    }));
  }

  async newestKey(): Promise<number> {
    const r = await this.q<{ n: string }>(`SELECT coalesce(max(key), 0) AS n FROM corpus_articles`);
    return Number(r[0]?.n ?? 0);
  }

  async markFullAudit(model: string, through: number): Promise<void> {
    await this.q(
      `INSERT INTO corpus_meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [auditMarkKey(model), String(through)],
    );
  }

  async stats(analysisVersion: string, model: string): Promise<CorpusStats> {
    const r = (
      await this.q<Record<string, string | null>>(
        `SELECT
           (SELECT value FROM corpus_meta WHERE key = 'schema_version') AS schema_version,
           (SELECT count(*) FROM corpus_articles) AS articles,
           (SELECT count(*) FROM corpus_ids) AS ids,
           (SELECT count(*) FROM corpus_articles WHERE analysis_version = $1) AS analysed,
           (SELECT count(*) FROM corpus_audits WHERE model = $2) AS audited,
           (SELECT count(*) FROM corpus_audits WHERE model = $2 AND finding IS NOT NULL) AS findings,
           (SELECT count(*) FROM corpus_verdicts) AS verdicts,
           (SELECT value FROM corpus_meta WHERE key = $3) AS mark,
           (SELECT count(*) FROM corpus_articles
             WHERE key > (SELECT value::bigint FROM corpus_meta WHERE key = $3)) AS after_mark,
           (SELECT avg(octet_length(analysis)) FROM corpus_articles) AS bytes`,
        [analysisVersion, model, auditMarkKey(model)],
      )
    )[0] as Record<string, string | null>;
    const n = (k: string): number => Number(r[k] ?? 0);
    return {
      backend: this.backend,
      location: this.location,
      schemaVersion: n('schema_version'),
      articles: n('articles'),
      ids: n('ids'),
      analysedCurrent: n('analysed'),
      audited: n('audited'),
      findings: n('findings'),
      storedAfterFullAudit: r.mark === null || r.mark === undefined ? null : n('after_mark'),
      cachedVerdicts: n('verdicts'),
      analysisBytesAvg: Math.round(n('bytes')),
    };
  }

  async checkIntegrity(): Promise<void> {
    // PostgreSQL keeps its own storage consistent; check the corpus's own invariants.
    const r = (
      await this.q<{ orphans: string; idless: string }>(
        `SELECT (SELECT count(*) FROM corpus_ids i WHERE NOT EXISTS (SELECT 1 FROM corpus_articles a WHERE a.key = i.key)) AS orphans,
                (SELECT count(*) FROM corpus_articles a WHERE NOT EXISTS (SELECT 1 FROM corpus_ids i WHERE i.key = a.key)) AS idless`,
      )
    )[0];
    if (!r || Number(r.orphans) > 0 || Number(r.idless) > 0)
      throw new StanceError(
        'DB_CORRUPT',
        `the corpus database at ${this.location} fails its integrity check: ${r?.orphans ?? '?'} ids without article, ${r?.idless ?? '?'} articles without id`,
      );
  }

  private closed = false;
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
