/**
 * Pure parts of the corpus questions: search terms of a claim, the candidate pool, ranking and
 * grouping of a claim's coverage, and the audit's findings with their thresholds.
 */
import { LABELS, type Label, type Probabilities } from '../labels.js';
import { normalizeText } from '../text/normalize.js';
import { isStopword, stem, tokenize } from '../text/tokenize.js';
import type { Evidence, VerdictWarning } from '../verdict.js';

/** At most this many search terms go to the full-text index. */
const MAX_TERMS = 32;

/**
 * The claim's content words for the full-text search, one per stem (the first word seen of each
 * stem: "announced" and "announces" are one term, so a word written twice does not weigh twice).
 */
export function searchTerms(claim: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of tokenize(normalizeText(claim))) {
    if (isStopword(t)) continue;
    const s = stem(t);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(t);
    if (out.length >= MAX_TERMS) break;
  }
  return out;
}

/**
 * Search terms rarest first (highest IDF of their stem; equal ones keep their order), the order
 * the store's search takes them in: a backend may require some of the first ones to match.
 */
export function rarestFirst(terms: readonly string[], idf: (stem: string) => number): string[] {
  return terms
    .map((t, i) => ({ t, i, w: idf(stem(t)) }))
    .sort((x, y) => y.w - x.w || x.i - y.i)
    .map((x) => x.t);
}

/**
 * How many full-text candidates the model re-ranks for `--top N`: max(100, 5N), at most 2,000
 * (100 for the default 20, 250 for 50). The first stage (BM25) only has to put the related articles
 * somewhere in this pool; the model's relatedness (1 − P(unrelated)) decides the order.
 */
export function poolSize(top: number): number {
  return Math.min(2000, Math.max(100, 5 * top));
}

/**
 * How many of the pool's candidates the model classifies for `--top N`: 40 up to N = 20, 3N above
 * (150 for 50), at most 1,000. The pool is first ordered by {@link lexicalScore}, which costs a
 * tenth of a model verdict; restoring a body's features and classifying it is most of a claim's
 * time, so the default answer (20) keeps to 40 of them.
 */
export function modelPoolSize(top: number): number {
  return Math.min(1000, top <= 20 ? 40 : 3 * top);
}

/**
 * A cheap relatedness estimate of a body to a claim from the body's stored tokens: the share of
 * the claim's IDF weight found in the body plus the share found in its best sentence (0–2). Stems
 * of stop words are ignored; `claim` maps each claim stem to its IDF.
 */
export function lexicalScore(claim: ReadonlyMap<string, number>, sentenceTokens: readonly string[]): number {
  let total = 0;
  for (const w of claim.values()) total += w;
  if (total === 0) return 0;
  const inBody = new Set<string>();
  let best = 0;
  for (const line of sentenceTokens) {
    if (line === '') continue;
    let here = 0;
    const seen = new Set<string>();
    for (const t of line.split(' ')) {
      if (isStopword(t)) continue;
      const s = stem(t);
      const w = claim.get(s);
      if (w === undefined || seen.has(s)) continue;
      seen.add(s);
      inBody.add(s);
      here += w;
    }
    if (here > best) best = here;
  }
  let body = 0;
  for (const s of inBody) body += claim.get(s) ?? 0;
  return (body + best) / total;
}

/** Feedback: how many of the most related candidates lend words to the second search. */
export const FEEDBACK_ARTICLES = 5;
/** Feedback: a candidate lends words only when the model finds it this related (1 − P(unrelated)). */
export const FEEDBACK_MIN_RELATEDNESS = 0.5;
/** Feedback: how many words are added to the claim's for the second search. */
export const FEEDBACK_TERMS = 10;

/**
 * How many new candidates of the second (feedback) search the model classifies for `--top N`: 10
 * up to N = 20, N above (50 for 50), at most 1,000. The second search returns poolSize(N) hits; the
 * new ones are ordered by their lexical score against the claim and the feedback words.
 */
export function feedbackPoolSize(top: number): number {
  return Math.min(1000, top <= 20 ? 10 : top);
}

/**
 * Pseudo-relevance feedback: the words that best characterise the articles the model found most
 * related, for a second full-text search that finds coverage worded unlike the claim. Each
 * feedback article gives its stems a weight (1 + ln tf) × idf; stems in at least two of them (or
 * in the only one) are ranked by summed weight; the claim's own stems, numbers and stems of fewer
 * than 3 letters are skipped. Returns a surface word per stem (the full-text index stems it again).
 */
export function feedbackTerms(
  claimStems: ReadonlySet<string>,
  articles: readonly { stemTf: ReadonlyMap<string, number>; surface: (stem: string) => string | undefined }[],
  idf: (stem: string) => number,
  n: number = FEEDBACK_TERMS,
): string[] {
  const weight = new Map<string, number>();
  const docs = new Map<string, number>();
  for (const a of articles)
    for (const [s, tf] of a.stemTf) {
      if (claimStems.has(s) || s.length < 3 || /^\d+$/.test(s)) continue;
      weight.set(s, (weight.get(s) ?? 0) + (1 + Math.log(tf)) * idf(s));
      docs.set(s, (docs.get(s) ?? 0) + 1);
    }
  const minDocs = articles.length > 1 ? 2 : 1;
  const ranked = [...weight]
    .filter(([s]) => (docs.get(s) ?? 0) >= minDocs)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const out: string[] = [];
  for (const [s] of ranked) {
    const w = articles.map((a) => a.surface(s)).find((x) => x !== undefined);
    if (w !== undefined) out.push(w);
    if (out.length >= n) break;
  }
  return out;
}

/** One article's answer to a claim. */
export interface CoverageItem {
  id: string;
  ids: string[];
  headline: string;
  url?: string;
  published?: string;
  source?: string;
  stance: Label;
  probabilities: Probabilities;
  /** 1 − P(unrelated). */
  relatedness: number;
  evidence: Evidence[];
  reason: string;
  /** The body's language (ISO 639-1, "und" when too short to tell), as `check --json` gives it. */
  language: string;
  /** What a reader should know before trusting the verdict (e.g. a non-English body). */
  warnings: VerdictWarning[];
  /** Position in the full-text ranking (0 = best; feedback candidates after the first search's). */
  searchRank: number;
}

/** The answer to `corpus claim`. */
export interface ClaimAnswer {
  claim: string;
  counts: Record<Label, number>;
  summary: string;
  /** Candidates the model looked at (the pool), and how many full-text hits there were. */
  pool: number;
  articles: CoverageItem[];
  groups: Record<Label, string[]>;
}

/** Orders candidates by the model's relatedness (ties: full-text rank), keeps `top`, groups them. */
export function answerClaim(claim: string, candidates: readonly CoverageItem[], top: number): ClaimAnswer {
  const sorted = [...candidates].sort((a, b) => b.relatedness - a.relatedness || a.searchRank - b.searchRank);
  const articles = sorted.slice(0, top);
  const counts = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
  const groups = Object.fromEntries(LABELS.map((l) => [l, [] as string[]])) as Record<Label, string[]>;
  for (const a of articles) {
    counts[a.stance]++;
    groups[a.stance].push(a.id);
  }
  for (const l of LABELS) {
    // In each group, best first: by the probability of that group's stance.
    const byId = new Map(articles.map((a) => [a.id, a]));
    groups[l].sort((x, y) => (byId.get(y)?.probabilities[l] ?? 0) - (byId.get(x)?.probabilities[l] ?? 0));
  }
  const related = counts.agree + counts.disagree + counts.discuss;
  const summary =
    related === 0
      ? `None of the ${articles.length} closest articles is related to the claim.`
      : `Of ${related} related article${related === 1 ? '' : 's'}, ${counts.agree} agree, ${counts.disagree} disagree, ${counts.discuss} discuss.`;
  return { claim: normalizeText(claim), counts, summary, pool: candidates.length, articles, groups };
}

/**
 * The share of a headline's key terms its body lacks: the IDF weight of the headline's distinct
 * content stems not found in the body, over the weight of all of them (0 when the headline has
 * none). A headline over another story usually names things its body never mentions.
 */
export function headlineTermsMissing(
  headline: string,
  sentenceTokens: readonly string[],
  idf: (stem: string) => number,
): number {
  return headlineKeyTerms(headline, sentenceTokens, idf).missing;
}

/** {@link headlineTermsMissing} with the missing headline words, rarest first. */
export function headlineKeyTerms(
  headline: string,
  sentenceTokens: readonly string[],
  idf: (stem: string) => number,
): { missing: number; words: string[] } {
  const stems = new Map<string, string>();
  for (const t of tokenize(normalizeText(headline)))
    if (!isStopword(t) && !stems.has(stem(t))) stems.set(stem(t), t);
  if (stems.size === 0) return { missing: 0, words: [] };
  const body = new Set<string>();
  for (const line of sentenceTokens) if (line !== '') for (const t of line.split(' ')) body.add(stem(t));
  let all = 0;
  let missing = 0;
  const words: { w: string; idf: number }[] = [];
  for (const [s, w] of stems) {
    const x = idf(s);
    all += x;
    if (!body.has(s)) {
      missing += x;
      words.push({ w, idf: x });
    }
  }
  words.sort((a, b) => b.idf - a.idf);
  return { missing: all > 0 ? missing / all : 0, words: words.map((x) => x.w) };
}

/**
 * Below this share of missing key terms, P(unrelated) counts in proportion (see {@link auditScore}).
 */
export const MISSING_FULL = 0.6;

/**
 * The audit's wrong-story score, 0–1: P(unrelated), scaled down when most of the headline's key
 * terms do occur in the body — P(unrelated) × min(1, missing / 0.6). A headline over another story
 * names things its body never mentions; a loose headline the model doubts but whose words the body
 * uses is less likely another story's. Chosen on the proxy archive (docs/CORPUS.md).
 */
export function auditScore(pUnrelated: number, missing: number): number {
  return pUnrelated * Math.min(1, Math.max(0, missing) / MISSING_FULL);
}

/** The two audit findings. */
export type Finding = 'wrong-story' | 'contradicted';

/**
 * Audit thresholds: wrong story when the wrong-story score ({@link auditScore}) ≥ wrongStory; else
 * contradicted when P(disagree) ≥ contradicted (or the own-voice contradiction rule holds). Chosen
 * with scripts/audit-proxy.ts on a proxy archive of FNC-1 dev bodies (docs/CORPUS.md).
 */
export interface AuditThresholds {
  wrongStory: number;
  contradicted: number;
}

/**
 * Wrong story at 0.65: with model v4 the best F1 of the proxy's grid at both seeds, precision 0.90
 * (v3's scores needed 0.8 for that precision; docs/CORPUS.md).
 */
export const DEFAULT_AUDIT_THRESHOLDS: AuditThresholds = { wrongStory: 0.65, contradicted: 0.5 };

/**
 * The finding (if any) for a headline's probabilities against its own body, with its score.
 * `contradicts`: the body contradicts the headline in its own voice (the checker's own-voice
 * contradiction rule, features/contradiction.ts), which flags it as contradicted whatever
 * P(disagree) says; the score stays P(disagree), so such findings rank by the model's confidence.
 */
export function findingOf(
  p: Probabilities,
  t: AuditThresholds = DEFAULT_AUDIT_THRESHOLDS,
  missing = 0,
  contradicts = false,
): { finding: Finding | null; score: number } {
  const wrong = auditScore(p.unrelated, missing);
  if (wrong >= t.wrongStory) return { finding: 'wrong-story', score: wrong };
  if (p.disagree >= t.contradicted || contradicts) return { finding: 'contradicted', score: p.disagree };
  return { finding: null, score: Math.max(wrong, p.disagree) };
}

/** Escapes a CSV cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first). */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
