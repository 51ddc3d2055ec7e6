/**
 * The corpus operations shared by the CLI and the HTTP server: ingest, claim, audit, reindex,
 * export, stats, remove. A store (SQLite or PostgreSQL) plus a checker bound to one model.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { StanceError } from '../../core/errors.js';
import { LABELS, toProbabilities, type Label, type Probabilities } from '../../core/labels.js';
import { normalizeText } from '../../core/text/normalize.js';
import { createChecker } from '../../core/create-checker.js';
import type { Checker } from '../../core/checker.js';
import type { Model } from '../../core/model/model.js';
import type { ClaimVerdict, Evidence } from '../../core/verdict.js';
import {
  ANALYSIS_FORMAT,
  analyzeBody,
  decodeAnalysis,
  encodeAnalysis,
  restoreBody,
} from '../../core/corpus/analysis.js';
import {
  answerClaim,
  findingOf,
  poolSize,
  searchTerms,
  DEFAULT_AUDIT_THRESHOLDS,
  type AuditThresholds,
  type ClaimAnswer,
  type CoverageItem,
  type Finding,
} from '../../core/corpus/rank.js';
import type { AddOutcome, CorpusStore, NewArticle, StoredArticle } from '../../core/corpus/store.js';
import type { BodyFeatures } from '../../core/features/extract.js';
import { loadModel } from '../fs/model-file.js';
import { openStore } from '../store/open-store.js';

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
  /** "<name>@<version>" of the model: verdicts and audits are kept per model version. */
  modelVersion: string;
  /** Version of the stored analyses this code and model write. */
  analysisVersion: string;
  close(): Promise<void>;
}

/** Opens the store and loads the model. */
export async function openCorpus(db?: string, modelPath?: string): Promise<Corpus> {
  const model = await loadModel(modelPath);
  const store = await openStore(db);
  const modelVersion = `${model.card.name}@${model.card.version}`;
  return {
    store,
    model,
    checker: createChecker(model),
    modelVersion,
    analysisVersion: `a${ANALYSIS_FORMAT}/${modelVersion}`,
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
  const analysis = new Uint8Array(deflateRawSync(Buffer.from(encodeAnalysis(analyzeBody(body)), 'utf8')));
  const a: NewArticle = { id, hash, headline, body, analysis, analysisVersion };
  if (subtitle !== '') a.subtitle = subtitle;
  if (input.url) a.url = input.url;
  if (input.published) a.published = input.published;
  if (input.source) a.source = input.source;
  return a;
}

/** The checker's body features from a stored article (no text work redone). */
export function restoreArticle(a: StoredArticle, model: Model): BodyFeatures {
  let json: string;
  try {
    json = inflateRawSync(a.analysis).toString('utf8');
  } catch (e) {
    throw new StanceError(
      'DB_CORRUPT',
      `the stored analysis of article ${a.id} is damaged; run \`stancecheck corpus reindex\``,
      {},
      { cause: e },
    );
  }
  return restoreBody(decodeAnalysis(json), model.vocab);
}

/* ---------------------------------------------------------------- ingest */

export interface IngestSummary {
  added: number;
  aliases: number;
  duplicates: number;
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
      else
        summary.conflicts.push({
          id: o.id,
          reason: `the id ${o.id} already names a different text; not changed`,
        });
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

interface CachedVerdict {
  label: Label;
  p: number[];
  evidence: Evidence[];
  reason: string;
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
  const hits = await corpus.store.search(searchTerms(claimText), poolSize(top));
  const keys = hits.map((h) => h.key);
  const claimHash = createHash('sha256').update(claimText).digest('hex');
  const cached = await corpus.store.cachedVerdicts(claimHash, corpus.modelVersion, keys);
  const articles = await corpus.store.get(keys);
  const rank = new Map(keys.map((k, i) => [k, i]));
  const fresh: { key: number; verdict: string }[] = [];
  const items: CoverageItem[] = [];
  for (const a of articles) {
    let v: CachedVerdict;
    const c = cached.get(a.key);
    if (c !== undefined) v = JSON.parse(c) as CachedVerdict;
    else {
      const cv: ClaimVerdict = corpus.checker.checkPrepared(claimText, restoreArticle(a, corpus.model));
      v = {
        label: cv.label,
        p: LABELS.map((l) => cv.probabilities[l]),
        evidence: cv.evidence,
        reason: cv.reason,
      };
      fresh.push({ key: a.key, verdict: JSON.stringify(v) });
    }
    const probabilities: Probabilities = toProbabilities(v.p);
    const item: CoverageItem = {
      id: a.id,
      ids: a.ids,
      headline: a.headline,
      stance: v.label,
      probabilities,
      relatedness: 1 - probabilities.unrelated,
      evidence: v.evidence,
      reason: v.reason,
      searchRank: rank.get(a.key) ?? 0,
    };
    if (a.url) item.url = a.url;
    if (a.published) item.published = a.published;
    if (a.source) item.source = a.source;
    items.push(item);
  }
  if (fresh.length > 0) await corpus.store.cacheVerdicts(claimHash, corpus.modelVersion, fresh);
  return answerClaim(claimText, items, top);
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
  reason: string;
  evidence: Evidence[];
}

export interface AuditReport {
  model: string;
  thresholds: AuditThresholds;
  /** Articles in the store. */
  checked: number;
  /** Articles scored in this run (not audited with this model before). */
  scored: number;
  flagged: AuditFinding[];
}

interface StoredAudit {
  p: number[];
  reason: string;
  evidence: Evidence[];
  subtitle?: { label: Label; p: number[] };
}

/** Scores the articles not yet audited with this model, then reports every current finding. */
export async function audit(
  corpus: Corpus,
  options: { batchSize?: number; thresholds?: AuditThresholds; onProgress?: (scored: number) => void } = {},
): Promise<AuditReport> {
  const t = options.thresholds ?? DEFAULT_AUDIT_THRESHOLDS;
  const batchSize = options.batchSize ?? 200;
  let scored = 0;
  let after = 0;
  for (;;) {
    const page = await corpus.store.unaudited(corpus.modelVersion, after, batchSize);
    if (page.length === 0) break;
    const records = page.map((a) => {
      const body = restoreArticle(a, corpus.model);
      const headline = a.headline !== '' ? a.headline : (a.subtitle ?? '');
      if (headline === '')
        return {
          key: a.key,
          finding: null,
          score: 0,
          result: JSON.stringify({ p: [0, 0, 0, 0], reason: 'no headline', evidence: [] }),
        };
      const v = corpus.checker.checkPrepared(headline, body);
      const stored: StoredAudit = {
        p: LABELS.map((l) => v.probabilities[l]),
        reason: v.reason,
        evidence: v.evidence,
      };
      if (a.subtitle && a.headline !== '') {
        const s = corpus.checker.classifyPrepared(a.subtitle, body);
        stored.subtitle = { label: s.label, p: s.probabilities };
      }
      const f = findingOf(v.probabilities, t);
      return { key: a.key, finding: f.finding, score: f.score, result: JSON.stringify(stored) };
    });
    await corpus.store.saveAudits(corpus.modelVersion, records);
    scored += page.length;
    after = (page[page.length - 1] as StoredArticle).key;
    options.onProgress?.(scored);
  }
  const found = await corpus.store.findings(corpus.modelVersion);
  const arts = new Map((await corpus.store.get(found.map((f) => f.key))).map((a) => [a.key, a]));
  const flagged: AuditFinding[] = [];
  for (const f of found) {
    const a = arts.get(f.key);
    if (!a || f.finding === null) continue;
    const r = JSON.parse(f.result) as StoredAudit;
    // Findings are re-judged with the current thresholds (the stored probabilities do not change).
    const probabilities = toProbabilities(r.p);
    const now = findingOf(probabilities, t);
    if (now.finding === null) continue;
    const item: AuditFinding = {
      id: a.id,
      ids: a.ids,
      headline: a.headline,
      finding: now.finding,
      score: Math.round(now.score * 10000) / 10000,
      probabilities,
      reason: r.reason,
      evidence: r.evidence,
    };
    if (a.url) item.url = a.url;
    flagged.push(item);
  }
  flagged.sort((x, y) => y.score - x.score);
  const stats = await corpus.store.stats(corpus.analysisVersion, corpus.modelVersion);
  return { model: corpus.modelVersion, thresholds: t, checked: stats.articles, scored, flagged };
}

/* ---------------------------------------------------------------- reindex, export */

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
  const found = await corpus.store.findings(corpus.modelVersion);
  const arts = new Map((await corpus.store.get(found.map((f) => f.key))).map((a) => [a.key, a]));
  const flagged: AuditFinding[] = [];
  for (const f of found) {
    const a = arts.get(f.key);
    if (!a || f.finding === null) continue;
    const r = JSON.parse(f.result) as StoredAudit;
    const probabilities = toProbabilities(r.p);
    const now = findingOf(probabilities, t);
    if (now.finding === null) continue;
    const item: AuditFinding = {
      id: a.id,
      ids: a.ids,
      headline: a.headline,
      finding: now.finding,
      score: Math.round(now.score * 10000) / 10000,
      probabilities,
      reason: r.reason,
      evidence: r.evidence,
    };
    if (a.url) item.url = a.url;
    flagged.push(item);
  }
  flagged.sort((x, y) => y.score - x.score);
  const stats = await corpus.store.stats(corpus.analysisVersion, corpus.modelVersion);
  return { model: corpus.modelVersion, thresholds: t, checked: stats.articles, scored: 0, flagged };
}
