/**
 * Pure parts of the corpus questions: search terms of a claim, the candidate pool, ranking and
 * grouping of a claim's coverage, and the audit's findings with their thresholds.
 */
import { LABELS, type Label, type Probabilities } from '../labels.js';
import { normalizeText } from '../text/normalize.js';
import { isStopword, tokenize } from '../text/tokenize.js';
import type { Evidence } from '../verdict.js';

/** At most this many search terms go to the full-text index. */
const MAX_TERMS = 32;

/** The distinct content words of a claim, for the full-text search. */
export function searchTerms(claim: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of tokenize(normalizeText(claim))) {
    if (isStopword(t) || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
    if (out.length >= MAX_TERMS) break;
  }
  return out;
}

/**
 * How many full-text candidates the model re-ranks for `--top N`: max(100, 2N). The first stage
 * (BM25) only has to put the related articles somewhere in this pool; the model's relatedness
 * (1 − P(unrelated)) decides the order of the N returned.
 */
export function poolSize(top: number): number {
  return Math.max(100, 2 * top);
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
  /** Position in the full-text ranking (0 = best). */
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

/** The two audit findings. */
export type Finding = 'wrong-story' | 'contradicted';

/**
 * Audit thresholds: wrong story when P(unrelated) ≥ wrongStory; else contradicted when
 * P(disagree) ≥ contradicted. Chosen with scripts/audit-proxy.ts on a proxy archive of FNC-1
 * training bodies (docs/CORPUS.md): 0.6 is the lowest threshold with precision ≥ 0.95 there.
 */
export interface AuditThresholds {
  wrongStory: number;
  contradicted: number;
}

export const DEFAULT_AUDIT_THRESHOLDS: AuditThresholds = { wrongStory: 0.6, contradicted: 0.5 };

/** The finding (if any) for a headline's probabilities against its own body, with its score. */
export function findingOf(
  p: Probabilities,
  t: AuditThresholds = DEFAULT_AUDIT_THRESHOLDS,
): { finding: Finding | null; score: number } {
  if (p.unrelated >= t.wrongStory) return { finding: 'wrong-story', score: p.unrelated };
  if (p.disagree >= t.contradicted) return { finding: 'contradicted', score: p.disagree };
  return { finding: null, score: Math.max(p.unrelated, p.disagree) };
}

/** Escapes a CSV cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first). */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
