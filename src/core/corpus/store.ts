/**
 * The corpus store, as the corpus commands need it. Interface only: the backends (embedded SQLite,
 * PostgreSQL) live in src/adapters/store and pass one behaviour test suite.
 */

/** What an ingest hands to the store for one article (text work already done). */
export interface NewArticle {
  /** The id the article was ingested under (an alias when the same text comes again). */
  id: string;
  /** sha-256 of the normalised headline, subtitle and body: the identity of the text. */
  hash: string;
  headline: string;
  subtitle?: string;
  body: string;
  url?: string;
  published?: string;
  source?: string;
  /** The compact stored analysis (see analysis.ts), compressed by the adapter. */
  analysis: Uint8Array;
  /** Which code + model produced `analysis`. */
  analysisVersion: string;
}

/**
 * One stored article: the fields it was ingested with (`id` is the first id the text was ingested
 * under), its store-internal `key`, and `ids`, every id it was ingested under.
 */
export interface StoredArticle extends NewArticle {
  key: number;
  ids: string[];
}

/** What happened to one article of a batch. */
export type AddStatus =
  /** new text, stored */
  | 'added'
  /** the same text under the same id again: nothing stored */
  | 'duplicate'
  /** the same text under a new id: the id was added as an alias */
  | 'alias'
  /**
   * the id named another text: it now names this one (stored, or an alias of the same text already
   * stored); the old text keeps its other ids, or goes (with its cached verdicts and audits) when
   * this was its last
   */
  | 'updated';

/**
 * The one idempotency rule of `add`, shared by every backend. `idKey` is the article an id already
 * names, `textKey` the article already holding the same text (by hash): a known id is a duplicate
 * when it names that same text, else it is updated — moved from the article `from` to the text
 * (`key` when the text is stored already); a new id on a known text becomes an alias of it;
 * anything else is added.
 */
export function addDecision<K>(
  idKey: K | undefined,
  textKey: K | undefined,
):
  | { status: 'duplicate' }
  | { status: 'updated'; from: K; key: K | undefined }
  | { status: 'alias'; key: K }
  | { status: 'added' } {
  if (idKey !== undefined)
    return textKey === idKey ? { status: 'duplicate' } : { status: 'updated', from: idKey, key: textKey };
  if (textKey !== undefined) return { status: 'alias', key: textKey };
  return { status: 'added' };
}

export interface AddOutcome {
  id: string;
  hash: string;
  status: AddStatus;
}

/** The corpus_meta key (both stores) of the full-audit mark of `model` ({@link CorpusStore.markFullAudit}). */
export function auditMarkKey(model: string): string {
  return `audit_full_through:${model}`;
}

/** How a full-text search may narrow its matches ({@link CorpusStore.search}). */
export interface SearchOptions {
  narrow?: boolean;
}

/** A full-text hit: the article's key and its relevance (higher is better). */
export interface SearchHit {
  key: number;
  score: number;
}

/** One stored audit result of an article with one model. */
export interface AuditRecord {
  key: number;
  finding: 'wrong-story' | 'contradicted' | null;
  score: number;
  /** JSON of the audit details (probabilities, reason, evidence). */
  result: string;
  /**
   * The newest article key the audit's cross-check has looked at (every article up to it was
   * stored when it searched); absent when the audit needs no cross-check.
   */
  checkedThrough?: number;
}

export interface CorpusStats {
  backend: 'sqlite' | 'postgres';
  location: string;
  schemaVersion: number;
  articles: number;
  ids: number;
  /** Articles whose stored analysis is from `analysisVersion`. */
  analysedCurrent: number;
  /** Articles audited with `model` (the audit version stats is given). */
  audited: number;
  findings: number;
  /**
   * Articles stored after the last full audit with `model` (the mark {@link
   * CorpusStore.markFullAudit} left): the audits made before them have not looked them up yet. Null when
   * no full audit was marked.
   */
  storedAfterFullAudit: number | null;
  cachedVerdicts: number;
  /** Average stored analysis size in bytes. */
  analysisBytesAvg: number;
}

/** The store. Every write is one transaction; readers may run while a writer works. */
export interface CorpusStore {
  readonly backend: 'sqlite' | 'postgres';
  /** Where it is (file path, or the server URL without its password). */
  readonly location: string;
  /** Stores a batch in one transaction; one outcome per input, in order. */
  add(batch: readonly NewArticle[]): Promise<AddOutcome[]>;
  /**
   * Full-text search (BM25 or the backend's ranking) over headlines and bodies; best first. Terms
   * come most telling first: a backend may require some of the first ones to match, and with
   * `narrow` it should (the quorum search: only the articles holding the most of the first terms
   * are ranked), for searches where speed matters more than ranking every match.
   */
  search(terms: readonly string[], limit: number, options?: SearchOptions): Promise<SearchHit[]>;
  /** Articles by key (missing keys are skipped), in the order asked. */
  get(keys: readonly number[]): Promise<StoredArticle[]>;
  /** The article an id names. */
  byId(id: string): Promise<StoredArticle | undefined>;
  /** Removes an id; the article goes when its last id goes. */
  remove(id: string): Promise<{ removed: boolean; articleRemoved: boolean }>;
  /** Articles with key > `after`, by key, at most `limit` (export, reindex). */
  page(after: number, limit: number): Promise<StoredArticle[]>;
  /** Articles whose analysis is not from `analysisVersion`, at most `limit`. */
  stale(analysisVersion: string, limit: number): Promise<StoredArticle[]>;
  /** Replaces stored analyses (one transaction). */
  setAnalysis(
    items: readonly { key: number; analysis: Uint8Array; analysisVersion: string }[],
  ): Promise<void>;
  /** Cached verdicts of one claim with one model, by article key. */
  cachedVerdicts(claimHash: string, model: string, keys: readonly number[]): Promise<Map<number, string>>;
  cacheVerdicts(
    claimHash: string,
    model: string,
    items: readonly { key: number; verdict: string }[],
  ): Promise<void>;
  /** Articles not yet audited with `model`, by key, at most `limit`. */
  unaudited(model: string, after: number, limit: number): Promise<StoredArticle[]>;
  saveAudits(model: string, records: readonly AuditRecord[]): Promise<void>;
  /**
   * Audits with `model` whose cross-check looked only at articles up to a key below `through`
   * (articles stored since were never looked up for their headline), by key after `after`, at most
   * `limit`.
   */
  staleCrossChecks(model: string, through: number, after: number, limit: number): Promise<AuditRecord[]>;
  /** The largest article key (0 for an empty store): keys grow as articles are stored. */
  newestKey(): Promise<number>;
  /**
   * Records that every article up to key `through` was audited with `model`, each audit's
   * cross-check looking at every article up to it.
   */
  markFullAudit(model: string, through: number): Promise<void>;
  /** Every current finding (finding not null) with `model`. */
  findings(model: string): Promise<AuditRecord[]>;
  stats(analysisVersion: string, model: string): Promise<CorpusStats>;
  /** The backend's integrity check; throws DB_CORRUPT when it fails. */
  checkIntegrity(): Promise<void>;
  close(): Promise<void>;
}
