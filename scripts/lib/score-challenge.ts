/**
 * Scores a checker on the challenge set: accuracy per category, the evidence hit rate (issue 8:
 * share of correct agree/disagree verdicts whose top evidence sentence is a marked one) and
 * automatic reason-consistency checks. Language items are scored on the language flag, not on
 * the label (the model reads English only).
 */
import type { Checker } from '../../src/core/checker.js';
import type { Verdict } from '../../src/core/verdict.js';
import { HEDGE } from '../../src/core/features/lexicons.js';
import { CATEGORIES, type Category, type ChallengeItem } from './challenge.js';

export interface CategoryScore {
  n: number;
  correct: number;
  accuracy: number;
}

export interface ReasonFailure {
  id: string;
  check: string;
  reason: string;
}

/** A correct agree/disagree verdict whose top evidence sentence is not a marked one. */
export interface EvidenceMiss {
  id: string;
  label: string;
  top: string;
  marked: string[];
}

export interface ChallengeScore {
  pairs: number;
  /** Pairs with marked evidence sentences. */
  marked: number;
  accuracy: number;
  perCategory: Partial<Record<Category, CategoryScore>>;
  /** Correct agree/disagree verdicts whose top evidence is a marked sentence. */
  evidence: { eligible: number; hits: number; rate: number; misses: EvidenceMiss[] };
  reasons: { checked: number; passing: number; rate: number; failures: ReasonFailure[] };
  errors: { id: string; category: Category; expected: string; got: string }[];
}

const words = (s: string): string[] => s.toLowerCase().match(/\p{L}[\p{L}'’-]*/gu) ?? [];

/** True when the marked piece lies in the sentence (either contains the other, normalised). */
function marks(sentence: string, item: ChallengeItem): boolean {
  const norm = (s: string): string => words(s).join(' ');
  const s = norm(sentence);
  return item.evidence.some((e) => {
    const m = norm(e);
    return m !== '' && (s.includes(m) || (s.length > 20 && m.includes(s)));
  });
}

/** The consistency checks a reason must pass; returns the names of those it fails. */
export function reasonChecks(v: Verdict, item: Pick<ChallengeItem, 'headline' | 'body'>): string[] {
  const failed: string[] = [];
  const reason = v.reason;
  const cited = /[Ss]entence (\d+)/.exec(reason);
  const top = v.evidence[0];
  const citedSentence = cited ? v.evidence.find((e) => e.index + 1 === Number(cited[1]))?.text : top?.text;
  if (cited && citedSentence === undefined) failed.push('cites a sentence that is not in the evidence');
  if (v.label !== 'unrelated') {
    const quoted = [...reason.matchAll(/"([^"]{1,40})"/g)].map((m) => (m[1] ?? '').toLowerCase());
    const inSentence = new Set(words(citedSentence ?? ''));
    for (const q of quoted) {
      if (!words(q).every((w) => inSentence.has(w)))
        failed.push(`names "${q}", which the cited sentence does not contain`);
    }
    if (/as (a )?fact/i.test(reason) && citedSentence !== undefined) {
      const hedged =
        citedSentence.includes('?') || words(citedSentence).some((w) => HEDGE.has(w.replace(/['’]/g, '')));
      if (hedged) failed.push('says "as fact" of a hedged, attributed or questioning sentence');
    }
  } else {
    const head = new Set(words(item.headline));
    const body = new Set(words(item.body));
    const bodyTerms = words(reason).filter((w) => w.length >= 4 && !head.has(w) && body.has(w));
    if (bodyTerms.length === 0) failed.push('an unrelated reason that names nothing the body is about');
  }
  return failed;
}

/** Checks every item and scores it. */
export function scoreChallenge(checker: Checker, items: readonly ChallengeItem[]): ChallengeScore {
  const perCategory: Partial<Record<Category, CategoryScore>> = {};
  const errors: ChallengeScore['errors'] = [];
  const failures: ReasonFailure[] = [];
  let correctAll = 0;
  let eligible = 0;
  let hits = 0;
  const misses: EvidenceMiss[] = [];
  let checked = 0;
  let passing = 0;
  for (const item of items) {
    const v = checker.check({ headline: item.headline, body: item.body });
    let ok: boolean;
    if (item.category === 'language') {
      ok = v.language === item.language && v.warnings.some((w) => w.code === 'NOT_ENGLISH');
      if (!ok)
        errors.push({
          id: item.id,
          category: item.category,
          expected: `language ${item.language} flagged`,
          got: `${v.language} [${v.warnings.map((w) => w.code).join(',')}]`,
        });
    } else {
      ok = v.label === item.label;
      if (!ok)
        errors.push({
          id: item.id,
          category: item.category,
          expected: item.label,
          got: `${v.label} ${(v.probabilities[v.label] * 100).toFixed(0)}%`,
        });
      if (ok && (v.label === 'agree' || v.label === 'disagree') && item.evidence.length > 0) {
        eligible++;
        if (v.evidence[0] && marks(v.evidence[0].text, item)) hits++;
        else
          misses.push({ id: item.id, label: v.label, top: v.evidence[0]?.text ?? '', marked: item.evidence });
      }
      checked++;
      const failed = reasonChecks(v, item);
      if (failed.length === 0) passing++;
      else for (const check of failed) failures.push({ id: item.id, check, reason: v.reason });
    }
    if (ok) correctAll++;
    const c = (perCategory[item.category] ??= { n: 0, correct: 0, accuracy: 0 });
    c.n++;
    if (ok) c.correct++;
    c.accuracy = c.correct / c.n;
  }
  return {
    pairs: items.length,
    marked: items.filter((x) => x.evidence.length > 0).length,
    accuracy: items.length ? correctAll / items.length : 0,
    perCategory,
    evidence: { eligible, hits, rate: eligible ? hits / eligible : 0, misses },
    reasons: { checked, passing, rate: checked ? passing / checked : 0, failures },
    errors,
  };
}

/** A plain table: one row per category. */
export function challengeTable(score: ChallengeScore, title: string): string {
  const rows = CATEGORIES.filter((c) => score.perCategory[c]).map((c) => {
    const s = score.perCategory[c] as CategoryScore;
    return `  ${c.padEnd(18)} ${String(s.correct).padStart(3)}/${String(s.n).padEnd(3)} ${(s.accuracy * 100).toFixed(0).padStart(4)}%`;
  });
  return [
    `${title}: ${(score.accuracy * 100).toFixed(1)}% of ${score.pairs} pairs`,
    ...rows,
    `  evidence: top sentence is a marked one for ${score.evidence.hits}/${score.evidence.eligible} correct agree/disagree verdicts (${(score.evidence.rate * 100).toFixed(0)}%)`,
    `  reasons: ${score.reasons.passing}/${score.reasons.checked} pass the consistency checks (${(score.reasons.rate * 100).toFixed(0)}%)`,
  ].join('\n');
}

/** The evidence measure over several scored sets together (issue 8's evidence set). */
export function evidenceTotals(scores: readonly ChallengeScore[]): {
  marked: number;
  eligible: number;
  hits: number;
  rate: number;
  reasonsChecked: number;
  reasonsPassing: number;
  reasonsRate: number;
} {
  let marked = 0;
  let eligible = 0;
  let hits = 0;
  let checked = 0;
  let passing = 0;
  for (const s of scores) {
    marked += s.marked;
    eligible += s.evidence.eligible;
    hits += s.evidence.hits;
    checked += s.reasons.checked;
    passing += s.reasons.passing;
  }
  return {
    marked,
    eligible,
    hits,
    rate: eligible ? hits / eligible : 0,
    reasonsChecked: checked,
    reasonsPassing: passing,
    reasonsRate: checked ? passing / checked : 0,
  };
}

/** The evidence measure as printed by `npm run test:accuracy` and `npm run challenge`. */
export function evidenceReport(
  open: ChallengeScore,
  frozen: ChallengeScore,
  extra: ChallengeScore,
  target: number,
): string {
  const t = evidenceTotals([open, frozen, extra]);
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  return [
    `evidence set (issue 8): ${t.marked} pairs with marked sentences (open ${open.marked}, frozen ${frozen.marked}, evidence.txt ${extra.marked})`,
    `  top evidence is a marked sentence for ${t.hits}/${t.eligible} correct agree/disagree verdicts (${pct(t.rate)}; frozen half alone ${frozen.evidence.hits}/${frozen.evidence.eligible}, ${pct(frozen.evidence.rate)}); target >= ${target}: ${t.rate >= target ? 'met' : 'not met'}`,
    `  evidence.txt alone: ${extra.evidence.hits}/${extra.evidence.eligible} (${pct(extra.evidence.rate)}), reasons ${extra.reasons.passing}/${extra.reasons.checked}`,
    `  reasons passing the consistency checks: ${t.reasonsPassing}/${t.reasonsChecked} verdicts (${pct(t.reasonsRate)})`,
  ].join('\n');
}
