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
 * Wrong story at 0.65: with the cross-check ({@link findingOf}) on the proxy archive, 0.5–0.7 flag
 * the same set when every story is stored (precision 0.953 / 0.947, recall 0.928 / 0.923 at two
 * seeds of model v4), and 0.65–0.7 are best where an article's story is told only once, which
 * leaves no same-story article to veto the own score's false alarms (docs/CORPUS.md).
 */
export const DEFAULT_AUDIT_THRESHOLDS: AuditThresholds = { wrongStory: 0.65, contradicted: 0.5 };

/**
 * How similar two bodies are (0–1): the cosine of their (1 + ln tf) × IDF vectors over content
 * stems, the weighting of the checker's TF-IDF feature. Two reports of one story share their rare
 * words, two stories of one section few: on the FNC-1 dev bodies, among the 10 closest to each
 * proxy headline (docs/CORPUS.md), 99 % of same-claim pairs reach 0.14 and 90 % of
 * different-claim pairs stay under it.
 */
export function bodySimilarity(
  a: { stemTf: ReadonlyMap<string, number>; tfidfNorm: number },
  b: { stemTf: ReadonlyMap<string, number>; tfidfNorm: number },
  idf: (stem: string) => number,
): number {
  if (a.tfidfNorm === 0 || b.tfidfNorm === 0) return 0;
  const [small, large] = a.stemTf.size <= b.stemTf.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [st, tf] of small.stemTf) {
    const other = large.stemTf.get(st);
    if (other === undefined) continue;
    const w = idf(st);
    dot += (1 + Math.log(tf)) * (1 + Math.log(other)) * w * w;
  }
  return Math.min(1, dot / (a.tfidfNorm * b.tfidfNorm));
}

/**
 * Version of the audit's rules (the finding, its score and what a stored audit holds), kept with
 * every stored audit beside the model's version: audits made under other rules are not reported
 * and their articles are scored again. Thresholds are not in it (stored findings are re-judged
 * with the current ones). Bump it when stored audits could not be re-judged by today's rules:
 * "x1", the cross-check (an audit made before it never looked elsewhere in the store); "x2", the
 * cross-check's refresh (an audit made before it has no record of how far its cross-check looked);
 * "x3", another story's article must use half the headline's key terms (an audit made before it
 * may have kept one that does not).
 */
export const AUDIT_RULES_VERSION = 'x3';

/**
 * The audit's cross-check: where else in the store the headline fits. A headline put over the wrong
 * story usually belongs to an article the archive also holds; a headline worded unlike its own
 * body, the audit's usual false alarm, is matched best by reports of this same story or by nothing.
 * Chosen on the proxy archive (scripts/audit-proxy.ts, docs/CORPUS.md).
 */
export const CROSS_CHECK = {
  /**
   * Cross-checked are the articles whose own body the model doubts at least this much
   * (P(unrelated); about a quarter of the proxy archive's articles). Below it a headline over
   * another story is too rare to pay for the search.
   */
  minUnrelated: 0.01,
  /** Another article "matches" the headline when the model finds it this related (1 − P(unrelated)). */
  related: 0.8,
  /**
   * …and fits it better than the own body by at least this much in log-odds of relatedness (e^4:
   * 55 times the odds; a body the model finds 0.99 related loses to one it finds 0.9998 related).
   */
  betterBy: 4,
  /** Another article tells another story when its body is less similar than this ({@link bodySimilarity}). */
  otherStoryBelow: 0.15,
  /** …and the same story when at least this similar. In between it counts as neither. */
  sameStoryFrom: 0.3,
  /**
   * An article of another story is filed only when its body uses at least this share of the
   * headline's key terms (IDF-weighted, {@link headlineKeyTerms}): the story a headline was written
   * for names what it names. Without it the model's relatedness alone could name, as the
   * headline's home, a short article that shares one word with it ("Hospital nurses vote to strike
   * over pay" 0.88 related to a three-sentence report of a council's vote on diesel cars).
   */
  minShared: 0.5,
  /**
   * The headline's rarest words the cross-check searches for (a headline's own story holds them; the
   * full-text search costs with the number of articles its words match), the full-text hits it
   * looks at, and how many of them the model classifies.
   */
  searchTerms: 4,
  pool: 20,
  candidates: 5,
} as const;

/** Another stored article the cross-check found for a headline. */
export interface CrossMatch {
  id: string;
  headline: string;
  /** 1 − P(unrelated) of the headline over that article's body. */
  relatedness: number;
  /** {@link bodySimilarity} of that body to the audited one. */
  similarity: number;
  /** The share of the headline's key terms (IDF-weighted) that body uses; absent in older audits. */
  shared?: number;
}

/** What the cross-check found: the best-matching article of another story, and of the same story. */
export interface CrossCheck {
  otherStory?: CrossMatch;
  sameStory?: CrossMatch;
}

/**
 * Files a cross-check candidate under another story (when its body also uses at least
 * {@link CROSS_CHECK}.minShared of the headline's key terms) or the same story (or neither),
 * keeping the best of each.
 */
export function addCrossMatch(check: CrossCheck, m: CrossMatch): void {
  const slot =
    m.similarity < CROSS_CHECK.otherStoryBelow
      ? (m.shared ?? 1) >= CROSS_CHECK.minShared
        ? 'otherStory'
        : undefined
      : m.similarity >= CROSS_CHECK.sameStoryFrom
        ? 'sameStory'
        : undefined;
  if (slot === undefined) return;
  const best = check[slot];
  if (best === undefined || m.relatedness > best.relatedness) check[slot] = m;
}

/** Log-odds of a probability, clamped away from 0 and 1. */
function logit(p: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
}

/**
 * The finding (if any) for a headline's probabilities against its own body, with its score.
 * Wrong story, either way:
 * - **belongs elsewhere** (needs a cross-check): another stored article of another story matches
 *   the headline (relatedness ≥ 0.8) and fits it far better than its own body (log-odds of
 *   relatedness higher by {@link CROSS_CHECK}.betterBy); the score is the larger of that
 *   relatedness and the own score;
 * - **own score**: {@link auditScore} ≥ `t.wrongStory`;
 * - **another story by a rule** (`otherStoryRule`): the checker's shared-name rule held (the body
 *   shares one name with the headline and nothing it says about it, features/shared-name.ts) or
 *   its absent-names rule (a short body naming none of the headline's names,
 *   features/absent-names.ts), whatever the own score; the score stays the own score, so such
 *   findings rank by the model's confidence.
 *
 * Neither when the cross-check found an article of this same story that matches the headline
 * (relatedness ≥ 0.8): then the headline fits this story, only worded unlike this body.
 *
 * Else contradicted when P(disagree) ≥ `t.contradicted` or `contradicts`: the body contradicts
 * the headline in its own voice (the checker's own-voice contradiction rule,
 * features/contradiction.ts), which flags it whatever P(disagree) says; the score stays
 * P(disagree), so such findings rank by the model's confidence.
 */
export function findingOf(
  p: Probabilities,
  t: AuditThresholds = DEFAULT_AUDIT_THRESHOLDS,
  missing = 0,
  contradicts = false,
  cross?: CrossCheck,
  otherStoryRule = false,
): { finding: Finding | null; score: number; elsewhere?: CrossMatch } {
  const own = auditScore(p.unrelated, missing);
  const other = cross?.otherStory;
  const sameStory = (cross?.sameStory?.relatedness ?? 0) >= CROSS_CHECK.related;
  if (
    !sameStory &&
    other !== undefined &&
    other.relatedness >= CROSS_CHECK.related &&
    logit(other.relatedness) - logit(1 - p.unrelated) >= CROSS_CHECK.betterBy
  )
    return { finding: 'wrong-story', score: Math.max(own, other.relatedness), elsewhere: other };
  if ((own >= t.wrongStory || otherStoryRule) && !sameStory) return { finding: 'wrong-story', score: own };
  if (p.disagree >= t.contradicted || contradicts) return { finding: 'contradicted', score: p.disagree };
  return { finding: null, score: Math.max(sameStory ? 0 : own, p.disagree) };
}

/**
 * The reason of a headline that belongs to another stored article: which one, how much better it
 * fits there, and (when the body lacks them) the headline's words this body never uses.
 */
export function elsewhereReason(
  m: CrossMatch,
  ownRelatedness: number,
  missingWords: readonly string[] = [],
): string {
  const h = m.headline !== '' ? ` ("${m.headline}")` : '';
  const words = missingWords.length > 0 ? ` ${missingWordsNote(missingWords, 'This body')}` : '';
  return (
    `The headline fits another stored article, ${m.id}${h}, far better than this body: the model finds it ` +
    `${m.relatedness.toFixed(4)} related there and ${ownRelatedness.toFixed(4)} here, and that article tells another ` +
    `story (its body's similarity to this one: ${m.similarity.toFixed(2)}).${words}`
  );
}

/** "<subject> never uses "a", "b", "c" from the headline.": the first three of the missing words. */
export function missingWordsNote(missingWords: readonly string[], subject: string): string {
  const list = missingWords
    .slice(0, 3)
    .map((w) => `"${w}"`)
    .join(', ');
  return `${subject} never uses ${list} from the headline.`;
}

/** Escapes a CSV cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first). */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
