/**
 * The corpus operations shared by the CLI and the HTTP server: ingest, claim, audit, reindex,
 * export, stats, remove. A store (SQLite or PostgreSQL) plus a checker bound to one model.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { StanceError } from '../../core/errors.js';
import { LABELS, toProbabilities, type Label, type Probabilities } from '../../core/labels.js';
import { normalizeText } from '../../core/text/normalize.js';
import { createChecker } from '../../core/create-checker.js';
import { CHECKER_RULES_VERSION } from '../../core/features/contradiction.js';
import type { Checker } from '../../core/checker.js';
import type { Model } from '../../core/model/model.js';
import type { ClaimVerdict, Evidence, VerdictWarning } from '../../core/verdict.js';
import { detectLanguage, UNDETERMINED } from '../../core/text/language.js';
import { guessLanguage } from '../language/tinyld.js';
import { stem } from '../../core/text/tokenize.js';
import {
  ANALYSIS_FORMAT,
  analyzeBody,
  type BodyAnalysis,
  encodeAnalysis,
  restoreBody,
} from '../../core/corpus/analysis.js';
import {
  addCrossMatch,
  answerClaim,
  bodySimilarity,
  elsewhereReason,
  CROSS_CHECK,
  feedbackPoolSize,
  feedbackTerms,
  headlineKeyTerms,
  lexicalScore,
  modelPoolSize,
  poolSize,
  FEEDBACK_ARTICLES,
  FEEDBACK_MIN_RELATEDNESS,
  searchTerms,
  rarestFirst,
  DEFAULT_AUDIT_THRESHOLDS,
  AUDIT_RULES_VERSION,
  type AuditThresholds,
  type ClaimAnswer,
  type CoverageItem,
  type CrossCheck,
  type CrossMatch,
  type Finding,
} from '../../core/corpus/rank.js';
import {
  auditArticle,
  auditedHeadline,
  storedAnalysis,
  storedFinding,
  type AuditArticle,
  type StoredAudit,
} from './audit-score.js';
import type { AuditChunkTask } from '../workers/protocol.js';
import type {
  AddOutcome,
  AuditRecord,
  CorpusStats,
  CorpusStore,
  NewArticle,
  StoredArticle,
} from '../../core/corpus/store.js';
import type { BodyFeatures } from '../../core/features/extract.js';
import { loadModel } from '../fs/model-file.js';
import { openStore } from '../store/open-store.js';
import { idfOf } from '../../core/features/vocabulary.js';

/** One article to ingest, as the readers produce it. */
export interface ArticleInput {
  id?: string;
  headline?: string;
  subtitle?: string;
  body: string;
  url?: string;
  published?: string;
  source?: string;
}

/** An input item that could not be turned into an article. */
export interface Rejected {
  rejected: true;
  /** Where it came from (file:row, URL). */
  where: string;
  reason: string;
}

/** A store with the model it is used with. */
export interface Corpus {
  store: CorpusStore;
  model: Model;
  checker: Checker;
  /**
   * "<name>@<version>+<rules>" of the model and of the rules the checker applies after it
   * (CHECKER_RULES_VERSION): claim verdicts are kept per this version.
   */
  modelVersion: string;
  /** "<modelVersion>+<audit rules>" (AUDIT_RULES_VERSION): audits are kept per this version. */
  auditVersion: string;
  /** Version of the stored analyses this code and model write. */
  analysisVersion: string;
  close(): Promise<void>;
}

/** Opens the store and loads the model. */
export async function openCorpus(db?: string, modelPath?: string): Promise<Corpus> {
  const model = await loadModel(modelPath);
  const store = await openStore(db);
  const modelName = `${model.card.name}@${model.card.version}`;
  return {
    store,
    model,
    checker: createChecker(model, { guessLanguage }),
    modelVersion: `${modelName}+${CHECKER_RULES_VERSION}`,
    auditVersion: `${modelName}+${CHECKER_RULES_VERSION}+${AUDIT_RULES_VERSION}`,
    // Stored analyses depend on the model's vocabulary, not on the rules applied after it.
    analysisVersion: `a${ANALYSIS_FORMAT}/${modelName}`,
    close: () => store.close(),
  };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Control characters other than tab and newline (PostgreSQL text cannot hold NUL). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const clean = (s: string | undefined): string => normalizeText((s ?? '').replace(CONTROL, ''));

/** Normalises, hashes and analyses one input; throws INPUT_EMPTY on an empty body. */
export function prepareArticle(input: ArticleInput, analysisVersion: string): NewArticle {
  const body = clean(input.body);
  if (body === '')
    throw new StanceError('INPUT_EMPTY', 'the article body is empty; expected some text', { field: 'body' });
  const headline = clean(input.headline).replace(/\n+/g, ' ');
  const subtitle = clean(input.subtitle).replace(/\n+/g, ' ');
  const hash = sha256(`${headline}\n${subtitle}\n${body}`);
  const given = (input.id ?? '').replace(CONTROL, '');
  const id = given !== '' ? given : (input.url ?? `sha256:${hash.slice(0, 16)}`);
  const analysis = new Uint8Array(
    deflateRawSync(Buffer.from(encodeAnalysis(analyzeBody(body, guessLanguage)), 'utf8')),
  );
  const a: NewArticle = { id, hash, headline, body, analysis, analysisVersion };
  if (subtitle !== '') a.subtitle = subtitle;
  if (input.url) a.url = input.url;
  if (input.published) a.published = input.published;
  if (input.source) a.source = input.source;
  return a;
}

/** The checker's body features from a stored article (no text work redone). */
export function restoreArticle(a: StoredArticle, model: Model): BodyFeatures {
  return restoreBody(storedAnalysis(a), model.vocab);
}

/* ---------------------------------------------------------------- ingest */

export interface IngestSummary {
  added: number;
  aliases: number;
  duplicates: number;
  /** Known ids ingested with a new text: the id now names the new text. */
  updated: number;
  /** Always empty since a known id with a new text updates (kept for the JSON shape). */
  conflicts: { id: string; reason: string }[];
  rejected: { where: string; reason: string }[];
  batches: number;
  seconds: number;
}

export interface IngestOptions {
  batchSize?: number;
  /** Called after each committed batch with its outcomes. */
  onBatch?: (outcomes: AddOutcome[], summary: IngestSummary) => void;
}

/** Ingests a stream of inputs in batched transactions; idempotent by content hash. */
export async function ingest(
  corpus: Corpus,
  items: AsyncIterable<ArticleInput | Rejected>,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const t0 = performance.now();
  const batchSize = options.batchSize ?? 200;
  const summary: IngestSummary = {
    added: 0,
    aliases: 0,
    duplicates: 0,
    updated: 0,
    conflicts: [],
    rejected: [],
    batches: 0,
    seconds: 0,
  };
  let batch: NewArticle[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const outcomes = await corpus.store.add(batch);
    batch = [];
    summary.batches++;
    for (const o of outcomes) {
      if (o.status === 'added') summary.added++;
      else if (o.status === 'alias') summary.aliases++;
      else if (o.status === 'duplicate') summary.duplicates++;
      else summary.updated++;
    }
    options.onBatch?.(outcomes, summary);
  };
  for await (const item of items) {
    if ('rejected' in item) {
      summary.rejected.push({ where: item.where, reason: item.reason });
      continue;
    }
    try {
      batch.push(prepareArticle(item, corpus.analysisVersion));
    } catch (e) {
      summary.rejected.push({
        where: item.id ?? item.url ?? '?',
        reason: e instanceof Error ? e.message : String(e),
      });
      continue;
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}

/* ---------------------------------------------------------------- claim */

/**
 * A cached verdict of a claim on an article. `evidence` and `reason` are absent when the article
 * was only classified (a pool candidate that was not returned): they are added when it is.
 */
interface CachedVerdict {
  label: Label;
  p: number[];
  evidence?: Evidence[];
  reason?: string;
  language?: string;
  warnings?: VerdictWarning[];
}

/** A stored article with its checker features restored and its language. */
export interface RestoredArticle {
  article: StoredArticle;
  body: BodyFeatures;
  language: string;
}

/** Restores an article's features and its language (stored at ingest; detected for older analyses). */
export function restoreWithLanguage(
  a: StoredArticle,
  model: Model,
  analysis: BodyAnalysis = storedAnalysis(a),
): RestoredArticle {
  return {
    article: a,
    body: restoreBody(analysis, model.vocab),
    language: analysis.l ?? detectLanguage(a.body, guessLanguage),
  };
}

/** What the press in the store says about a claim. */
export async function claim(
  corpus: Corpus,
  text: string,
  options: { top?: number } = {},
): Promise<ClaimAnswer> {
  const claimText = clean(text).replace(/\n+/g, ' ');
  if (claimText === '')
    throw new StanceError('INPUT_EMPTY', 'the claim is empty; expected some text', { field: 'claim' });
  const top = options.top ?? 20;
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    throw new StanceError('USAGE', `expected --top between 1 and 1000; found ${top}`, { field: 'top' });
  const claimHash = createHash('sha256').update(claimText).digest('hex');
  const terms = searchTerms(claimText);
  const verdicts = new Map<number, CachedVerdict>();
  const restored = new Map<number, RestoredArticle>();
  const rank = new Map<number, number>();
  const fresh = new Map<number, CachedVerdict>();

  const idf = idfOf(corpus.model.vocab);
  // Every article read from the store, by key (read once per claim).
  const fetched = new Map<number, StoredArticle>();
  const fetch = async (keys: readonly number[]): Promise<void> => {
    for (const a of await corpus.store.get(keys.filter((k) => !fetched.has(k)))) fetched.set(a.key, a);
  };
  const claimWeights = new Map<string, number>();
  for (const t of terms) {
    const st = stem(t);
    claimWeights.set(st, idf(st));
  }
  /**
   * Takes new full-text candidates (in search order): cached verdicts are used as they are; the
   * others are ordered by their cheap lexical score and the best `budget` classified by the model.
   */
  const score = async (
    keys: readonly number[],
    budget: number,
    weights: ReadonlyMap<string, number> = claimWeights,
  ): Promise<void> => {
    const todo = keys.filter((k) => !rank.has(k));
    for (const k of todo) rank.set(k, rank.size);
    if (todo.length === 0) return;
    const cached = await corpus.store.cachedVerdicts(claimHash, corpus.modelVersion, todo);
    for (const [k, v] of cached) verdicts.set(k, JSON.parse(v) as CachedVerdict);
    const uncached = todo.filter((k) => !verdicts.has(k));
    await fetch(uncached);
    const missing = uncached.flatMap((k) => fetched.get(k) ?? []);
    const analyses = new Map<number, BodyAnalysis>();
    const lexical = new Map<number, number>();
    for (const a of missing) {
      const an = storedAnalysis(a);
      analyses.set(a.key, an);
      lexical.set(a.key, lexicalScore(weights, an.t));
    }
    const chosen = missing
      .sort(
        (x, y) =>
          (lexical.get(y.key) ?? 0) - (lexical.get(x.key) ?? 0) ||
          (rank.get(x.key) ?? 0) - (rank.get(y.key) ?? 0),
      )
      .slice(0, Math.max(0, budget - cached.size));
    for (const a of chosen) {
      const r = restoreWithLanguage(a, corpus.model, analyses.get(a.key));
      restored.set(a.key, r);
      const c = corpus.checker.classifyPrepared(claimText, r.body, { language: r.language });
      const v: CachedVerdict = { label: c.label, p: c.probabilities, language: c.language };
      verdicts.set(a.key, v);
      fresh.set(a.key, v);
    }
  };
  const relatedness = (k: number): number => 1 - ((verdicts.get(k)?.p[3] as number | undefined) ?? 1);
  const byRelatedness = (): number[] =>
    [...verdicts.keys()].sort(
      (x, y) => relatedness(y) - relatedness(x) || (rank.get(x) ?? 0) - (rank.get(y) ?? 0),
    );

  // 1. Full-text candidates; the lexically closest classified by the model.
  await score(
    (await corpus.store.search(rarestFirst(terms, idf), poolSize(top))).map((h) => h.key),
    modelPoolSize(top),
  );
  // 2. Feedback: words of the most related candidates find coverage worded unlike the claim.
  const feedback = byRelatedness()
    .slice(0, FEEDBACK_ARTICLES)
    .filter((k) => relatedness(k) >= FEEDBACK_MIN_RELATEDNESS);
  if (feedback.length > 0) {
    const bodies: RestoredArticle[] = [];
    const need = feedback.filter((k) => !restored.has(k));
    await fetch(need);
    for (const k of need) {
      const a = fetched.get(k);
      if (a) restored.set(k, restoreWithLanguage(a, corpus.model));
    }
    for (const k of feedback) {
      const r = restored.get(k);
      if (r) bodies.push(r);
    }
    const extra = feedbackTerms(
      new Set(claimWeights.keys()),
      bodies.map((r) => ({ stemTf: r.body.stemTf, surface: surfaceOf(r.body) })),
      idf,
    );
    if (extra.length > 0) {
      // The new candidates are ordered by the claim's words and (at half weight) the feedback's.
      const weights = new Map(claimWeights);
      for (const t of extra) {
        const st = stem(t);
        if (!weights.has(st)) weights.set(st, 0.5 * idf(st));
      }
      // The feedback words alone: the claim's words had their search, and with them this one
      // would rank again nearly every article the first one matched.
      const hits = await corpus.store.search(extra, poolSize(top), { narrow: true });
      await score(
        hits.map((h) => h.key),
        feedbackPoolSize(top),
        weights,
      );
    }
  }
  // 3. The `top` most related: full verdicts (evidence, reason) for those that lack one.
  const chosen = byRelatedness().slice(0, top);
  await fetch(chosen);
  for (const k of chosen) {
    const a = fetched.get(k);
    if (a && verdicts.get(k)?.evidence === undefined && !restored.has(k))
      restored.set(k, restoreWithLanguage(a, corpus.model));
  }
  const items: CoverageItem[] = [];
  for (const k of chosen) {
    const a = fetched.get(k);
    let v = verdicts.get(k);
    if (!a || !v) continue;
    if (v.evidence === undefined || v.reason === undefined) {
      const r = restored.get(k) as RestoredArticle;
      const cv: ClaimVerdict = corpus.checker.checkPrepared(claimText, r.body, { language: r.language });
      v = {
        label: cv.label,
        p: LABELS.map((l) => cv.probabilities[l]),
        evidence: cv.evidence,
        reason: cv.reason,
        language: cv.language,
        warnings: cv.warnings,
      };
      verdicts.set(k, v);
      fresh.set(k, v);
    }
    const probabilities: Probabilities = toProbabilities(v.p);
    const item: CoverageItem = {
      id: a.id,
      ids: a.ids,
      headline: a.headline,
      stance: v.label,
      probabilities,
      relatedness: 1 - probabilities.unrelated,
      evidence: v.evidence ?? [],
      reason: v.reason ?? '',
      language: v.language ?? UNDETERMINED,
      warnings: v.warnings ?? [],
      searchRank: rank.get(k) ?? 0,
    };
    if (a.url) item.url = a.url;
    if (a.published) item.published = a.published;
    if (a.source) item.source = a.source;
    items.push(item);
  }
  if (fresh.size > 0)
    await corpus.store.cacheVerdicts(
      claimHash,
      corpus.modelVersion,
      [...fresh].map(([key, v]) => ({ key, verdict: JSON.stringify(v) })),
    );
  return { ...answerClaim(claimText, items, top), pool: verdicts.size };
}

/** Stem → the first body word with that stem (for feedback search terms). */
function surfaceOf(body: BodyFeatures): (stem: string) => string | undefined {
  let map: Map<string, string> | undefined;
  return (s) => {
    if (!map) {
      map = new Map();
      for (const info of body.info)
        info.tokenStems.forEach((st, i) => {
          if (!map?.has(st)) map?.set(st, info.tokens[i] as string);
        });
    }
    return map.get(s);
  };
}

/* ---------------------------------------------------------------- audit */

export interface AuditFinding {
  id: string;
  ids: string[];
  headline: string;
  url?: string;
  finding: Finding;
  score: number;
  probabilities: Probabilities;
  /** Share (0–1, IDF-weighted) of the headline's key terms the body never uses. */
  missing: number;
  reason: string;
  evidence: Evidence[];
  /** The body's language (ISO 639-1, "und" when too short to tell), as `check --json` gives it. */
  language: string;
  /** What a reader should know before trusting the finding (e.g. a non-English body). */
  warnings: VerdictWarning[];
  /**
   * A wrong story found by the cross-check: the stored article of another story the headline fits
   * (core/corpus/rank.ts, `findingOf`).
   */
  elsewhere?: CrossMatch;
}

export interface AuditReport {
  model: string;
  thresholds: AuditThresholds;
  /** Articles in the store. */
  checked: number;
  /** Articles scored in this run (not audited with this model before). */
  scored: number;
  /** Of those, how many were cross-checked (their headline searched for in the rest of the store). */
  crossChecked: number;
  /**
   * Audits made before this run whose cross-check was brought up to date: their headline searched
   * for among the articles stored since they were cross-checked.
   */
  refreshed: number;
  /**
   * Articles stored after the last full audit (the last run that scored every article not yet
   * audited and refreshed every cross-check): the audits made before them have not looked them up
   * yet; the next run does. Null when the store has no full audit with this version.
   */
  storedAfterFullAudit: number | null;
  flagged: AuditFinding[];
}

/**
 * Where {@link audit} can score its articles: a {@link WorkerPool} (../workers/pool.ts) fits. Each
 * worker needs the model the corpus was opened with.
 */
export interface AuditPool {
  /** Worker threads: a page is cut into this many chunks. */
  readonly size: number;
  run(task: AuditChunkTask): Promise<AuditRecord[]>;
}

/** What {@link audit} takes. */
export interface AuditOptions {
  batchSize?: number;
  thresholds?: AuditThresholds;
  onProgress?: (scored: number) => void;
  /** After each page of the refresh: how many older audits it has brought up to date so far. */
  onRefresh?: (refreshed: number) => void;
  /**
   * Score at most this many articles in this run (the rest are scored by the next). A run that
   * reaches it leaves the refresh of older cross-checks to the next run.
   */
  limit?: number;
  /**
   * Score every stored article again, audited or not (each audit is replaced when its page is
   * saved, so an interrupted run keeps the older ones): after more articles were ingested, so the
   * cross-check looks for them too.
   */
  redo?: boolean;
  /**
   * Score on these worker threads instead of the calling one: each page is cut into chunks spread
   * over the workers, and the next page is read and sent while the workers score this one. The
   * stored results and the report are the same bytes either way.
   */
  pool?: AuditPool;
}

/** The fields a worker needs, with the analysis copied into a compact array of its own. */
function toAuditArticle(a: StoredArticle): AuditArticle {
  const x: AuditArticle = {
    key: a.key,
    id: a.id,
    headline: a.headline,
    body: a.body,
    analysis: new Uint8Array(a.analysis),
  };
  if (a.subtitle !== undefined) x.subtitle = a.subtitle;
  return x;
}

/** Sends a page to the pool in `pool.size` chunks; resolves with its records in page order. */
function scoreOnPool(
  pool: AuditPool,
  page: readonly StoredArticle[],
  thresholds: AuditThresholds,
): () => Promise<AuditRecord[]> {
  const size = Math.ceil(page.length / Math.max(1, Math.min(pool.size, page.length)));
  const runs: Promise<AuditRecord[]>[] = [];
  for (let i = 0; i < page.length; i += size)
    runs.push(
      pool.run({ kind: 'auditChunk', articles: page.slice(i, i + size).map(toAuditArticle), thresholds }),
    );
  // Settled together, so a failing chunk is never an unhandled rejection while an earlier one is awaited.
  const settled = Promise.allSettled(runs);
  return async () => {
    const out: AuditRecord[] = [];
    for (const r of await settled) {
      if (r.status === 'rejected') throw r.reason;
      out.push(...r.value);
    }
    return out;
  };
}

/**
 * Scores the articles not yet audited with this model and audit rules (every article with `redo`),
 * brings the older audits' cross-checks up to date with the articles stored since ({@link
 * refreshCrossChecks}), then reports every current finding.
 */
export async function audit(corpus: Corpus, options: AuditOptions = {}): Promise<AuditReport> {
  const t = options.thresholds ?? DEFAULT_AUDIT_THRESHOLDS;
  const batchSize = options.batchSize ?? 200;
  const limit = options.limit ?? Infinity;
  const { pool } = options;
  const read = async (after: number, want: number): Promise<StoredArticle[]> =>
    want <= 0
      ? []
      : options.redo
        ? corpus.store.page(after, Math.min(batchSize, want))
        : corpus.store.unaudited(corpus.auditVersion, after, Math.min(batchSize, want));
  const score = (page: readonly StoredArticle[]): (() => Promise<AuditRecord[]>) =>
    pool
      ? scoreOnPool(pool, page, t)
      : async () => page.map((a) => auditArticle(corpus.checker, corpus.model.vocab, a, t));
  // Every cross-check of this run looks at least at the articles stored before it began.
  const newest = await corpus.store.newestKey();
  let scored = 0;
  let crossChecked = 0;
  let last = 0;
  let page = await read(0, limit);
  let records = score(page);
  while (page.length > 0) {
    const after = (page[page.length - 1] as StoredArticle).key;
    last = after;
    // With a pool the next page goes out before this one is saved (it starts after this page's
    // keys, so it is the page a sequential run reads); in-process it is read after the save.
    let next: StoredArticle[] | undefined;
    let nextRecords: (() => Promise<AuditRecord[]>) | undefined;
    if (pool) {
      next = await read(after, limit - scored - page.length);
      nextRecords = score(next);
    }
    const checked = await crossCheck(corpus, page, await records(), t, newest);
    crossChecked += checked.crossChecked;
    await corpus.store.saveAudits(corpus.auditVersion, checked.records);
    scored += page.length;
    options.onProgress?.(scored);
    page = next ?? (await read(after, limit - scored));
    records = nextRecords ?? score(page);
  }
  let refreshed = 0;
  // A run cut short by `limit` leaves the rest, and the refresh, to the next.
  if (scored < limit && newest > 0) {
    refreshed = await refreshCrossChecks(corpus, newest, t, batchSize, options.onRefresh);
    // Every article up to `newest` audited, each cross-check through it (articles stored during
    // the run may be left to the next): the store is fully audited through `newest`.
    const complete = options.redo
      ? last >= newest
      : ((await corpus.store.unaudited(corpus.auditVersion, 0, 1))[0]?.key ?? Infinity) > newest;
    if (complete) await corpus.store.markFullAudit(corpus.auditVersion, newest);
  }
  return { ...(await auditFindings(corpus, { thresholds: t })), scored, crossChecked, refreshed };
}

/**
 * The refresh: every audit whose cross-check looked only at articles stored before `newest`
 * searches the store for its headline again, and those of its full-text hits stored since are
 * classified as {@link crossCheckOne} does (the closest few by the lexical score); it keeps the
 * best match of each kind of what it had and what it finds, and is judged again. So an article
 * audited before the story its headline was written for was ingested is found by the next run,
 * without scoring the store again. Returns how many audits it refreshed.
 */
async function refreshCrossChecks(
  corpus: Corpus,
  newest: number,
  t: AuditThresholds,
  batchSize: number,
  onRefresh: ((refreshed: number) => void) | undefined,
): Promise<number> {
  let refreshed = 0;
  let after = 0;
  for (;;) {
    const stale = await corpus.store.staleCrossChecks(corpus.auditVersion, newest, after, batchSize);
    if (stale.length === 0) return refreshed;
    after = (stale[stale.length - 1] as AuditRecord).key;
    const articles = new Map((await corpus.store.get(stale.map((r) => r.key))).map((a) => [a.key, a]));
    const out: AuditRecord[] = [];
    for (const r of stale) {
      const a = articles.get(r.key);
      if (!a) continue; // removed since: its audit went with it
      const stored = JSON.parse(r.result) as StoredAudit;
      const headline = auditedHeadline(a);
      if (headline !== '')
        stored.x = await crossCheckOne(corpus, a, headline, { since: r.checkedThrough ?? 0, into: stored.x });
      out.push(rejudged(r.key, stored, t, newest));
    }
    await corpus.store.saveAudits(corpus.auditVersion, out);
    refreshed += out.length;
    onRefresh?.(refreshed);
  }
}

/**
 * The audit's cross-check of a page's records (`CROSS_CHECK` in core/corpus/rank.ts), on the calling
 * thread, which holds the store: for each article whose own body the model doubts, where else in the
 * store its headline fits. The record's finding and score are judged again with what it found, and
 * the stored result keeps it (`x`), so later reports re-judge it without searching again.
 */
async function crossCheck(
  corpus: Corpus,
  page: readonly StoredArticle[],
  records: readonly AuditRecord[],
  t: AuditThresholds,
  newest: number,
): Promise<{ records: AuditRecord[]; crossChecked: number }> {
  const byKey = new Map(page.map((a) => [a.key, a]));
  const out: AuditRecord[] = [];
  let crossChecked = 0;
  for (const r of records) {
    const a = byKey.get(r.key);
    const stored = JSON.parse(r.result) as StoredAudit;
    const headline = a ? auditedHeadline(a) : '';
    if (!a || headline === '' || (stored.p[3] ?? 0) < CROSS_CHECK.minUnrelated) {
      out.push(r);
      continue;
    }
    stored.x = await crossCheckOne(corpus, a, headline);
    crossChecked++;
    out.push(rejudged(r.key, stored, t, newest));
  }
  return { records: out, crossChecked };
}

/** The record of an audit judged again with its cross-check (`x`), which has looked through key `newest`. */
function rejudged(key: number, stored: StoredAudit, t: AuditThresholds, newest: number): AuditRecord {
  const f = storedFinding(stored, t);
  return { key, finding: f.finding, score: f.score, result: JSON.stringify(stored), checkedThrough: newest };
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

/** An article's stored analysis, or undefined when it is damaged (DB_CORRUPT). */
function analysisOrNothing(a: StoredArticle): BodyAnalysis | undefined {
  try {
    return storedAnalysis(a);
  } catch (e) {
    if (e instanceof StanceError && e.code === 'DB_CORRUPT') return undefined;
    throw e;
  }
}

/**
 * Where else one headline fits: its full-text hits in the store (not the article itself), the
 * closest few by their lexical score classified by the model, each filed under another story or
 * the same story by its body's similarity to the article's own. With `since` (the refresh), only
 * the hits stored after that key are kept, and what they give is added to what an earlier
 * cross-check found (`into`): the new articles a cross-check made now would look at.
 */
async function crossCheckOne(
  corpus: Corpus,
  a: StoredArticle,
  headline: string,
  refresh: { since: number; into: CrossCheck | undefined } | undefined = undefined,
): Promise<CrossCheck> {
  const idf = idfOf(corpus.model.vocab);
  const terms = searchTerms(headline);
  const check: CrossCheck = { ...refresh?.into };
  if (terms.length === 0) return check;
  const hits = (
    await corpus.store.search(
      rarestFirst(terms, idf).slice(0, CROSS_CHECK.searchTerms),
      CROSS_CHECK.pool + 1,
      { narrow: true },
    )
  ).filter((h) => h.key !== a.key && (refresh === undefined || h.key > refresh.since));
  const order = new Map(hits.map((h, i) => [h.key, i]));
  const weights = new Map(terms.map((w) => [stem(w), idf(stem(w))]));
  const candidates = (await corpus.store.get(hits.map((h) => h.key)))
    .flatMap((c) => {
      // Another article's damaged analysis fails that article's own audit, not this one's.
      const analysis = analysisOrNothing(c);
      return analysis ? [{ c, analysis, lexical: lexicalScore(weights, analysis.t) }] : [];
    })
    .sort((x, y) => y.lexical - x.lexical || (order.get(x.c.key) ?? 0) - (order.get(y.c.key) ?? 0))
    .slice(0, CROSS_CHECK.candidates);
  if (candidates.length === 0) return check;
  const own = restoreBody(storedAnalysis(a), corpus.model.vocab);
  for (const { c, analysis } of candidates) {
    const r = restoreWithLanguage(c, corpus.model, analysis);
    const v = corpus.checker.classifyPrepared(headline, r.body, { language: r.language });
    addCrossMatch(check, {
      id: c.id,
      headline: c.headline,
      relatedness: 1 - (v.probabilities[3] ?? 1),
      similarity: round4(bodySimilarity(own, r.body, idf)),
      shared: round4(1 - headlineKeyTerms(headline, analysis.t, idf).missing),
    });
  }
  return check;
}

/* ---------------------------------------------------------------- reindex, export */

/** The store's figures with the model and analysis versions they are counted for (`corpus stats --json`). */
export type StatsReport = CorpusStats & { model: string; analysisVersion: string };

/** The store's figures for this model (the CLI's `corpus stats` and the server's route). */
export async function corpusStats(corpus: Corpus): Promise<StatsReport> {
  const s = await corpus.store.stats(corpus.analysisVersion, corpus.auditVersion);
  return { ...s, model: corpus.modelVersion, analysisVersion: corpus.analysisVersion };
}

/** Redoes the stored analysis of every article not analysed with this code + model. */
export async function reindex(corpus: Corpus, onProgress?: (n: number) => void): Promise<number> {
  let n = 0;
  for (;;) {
    const page = await corpus.store.stale(corpus.analysisVersion, 200);
    if (page.length === 0) return n;
    await corpus.store.setAnalysis(
      page.map((a) => ({
        key: a.key,
        analysis: prepareArticle({ body: a.body }, corpus.analysisVersion).analysis,
        analysisVersion: corpus.analysisVersion,
      })),
    );
    n += page.length;
    onProgress?.(n);
  }
}

/** The JSONL export record of an article (the ingest format, plus every id). */
export function exportRecord(a: StoredArticle): Record<string, unknown> {
  const o: Record<string, unknown> = { id: a.id, ids: a.ids, headline: a.headline };
  if (a.subtitle) o.subtitle = a.subtitle;
  o.body = a.body;
  if (a.url) o.url = a.url;
  if (a.published) o.published = a.published;
  if (a.source) o.source = a.source;
  return o;
}

/** Every stored article, in storage order. */
export async function* exportArticles(store: CorpusStore): AsyncGenerator<StoredArticle> {
  let after = 0;
  for (;;) {
    const page = await store.page(after, 500);
    if (page.length === 0) return;
    yield* page;
    after = (page[page.length - 1] as StoredArticle).key;
  }
}

/* ---------------------------------------------------------------- findings (read-only) */

/**
 * Every current finding of the whole store with this model, as {@link audit} reports them, without
 * scoring anything (`scored` is 0): the read-only view the HTTP server answers without a token.
 * Articles not yet audited with this model are simply not in it.
 */
export async function auditFindings(
  corpus: Corpus,
  options: { thresholds?: AuditThresholds } = {},
): Promise<AuditReport> {
  const t = options.thresholds ?? DEFAULT_AUDIT_THRESHOLDS;
  const found = await corpus.store.findings(corpus.auditVersion);
  const arts = new Map((await corpus.store.get(found.map((f) => f.key))).map((a) => [a.key, a]));
  const flagged: AuditFinding[] = [];
  for (const f of found) {
    const a = arts.get(f.key);
    if (!a || f.finding === null) continue;
    const r = JSON.parse(f.result) as StoredAudit;
    // Findings are re-judged with the current thresholds (the stored probabilities do not change).
    const probabilities = toProbabilities(r.p);
    const now = storedFinding(r, t);
    if (now.finding === null) continue;
    const item: AuditFinding = {
      id: a.id,
      ids: a.ids,
      headline: a.headline,
      finding: now.finding,
      score: Math.round(now.score * 10000) / 10000,
      probabilities,
      missing: Math.round((r.m ?? 0) * 10000) / 10000,
      reason: now.elsewhere ? elsewhereReason(now.elsewhere, 1 - probabilities.unrelated, r.mw) : r.reason,
      evidence: r.evidence,
      language: r.language ?? UNDETERMINED,
      warnings: r.warnings ?? [],
    };
    if (now.elsewhere) item.elsewhere = now.elsewhere;
    if (a.url) item.url = a.url;
    flagged.push(item);
  }
  flagged.sort((x, y) => y.score - x.score);
  const stats = await corpus.store.stats(corpus.analysisVersion, corpus.auditVersion);
  return {
    model: corpus.modelVersion,
    thresholds: t,
    checked: stats.articles,
    scored: 0,
    crossChecked: 0,
    refreshed: 0,
    storedAfterFullAudit: stats.storedAfterFullAudit,
    flagged,
  };
}
