import type { Label, Probabilities } from './labels.js';

/** Why a body sentence counted. */
export const CUES = [
  'overlap', // many headline words (or close synonyms) occur in the sentence
  'refute', // a refuting word (hoax, false, debunk, deny...) near the overlap
  'negation', // a negation (not, never, no) near the overlap
  'hedge', // hedging or attribution (reportedly, claims, allegedly, according to...)
  'question', // the sentence is a question
  'quote', // the overlap is inside quotation marks
  'support', // a confirming word (confirmed, announced, revealed...)
  'reversal', // a withdrawal or reversal word (withdrew, cancelled, alive...) where the claim's words are
] as const;
export type Cue = (typeof CUES)[number];

/** Words of an evidence sentence that carry the stance. */
export interface EvidenceSpan {
  /** UTF-16 offsets into the evidence `text` (end exclusive), as String.prototype.slice takes them. */
  start: number;
  end: number;
  /** What the words do ('refute', 'hedge', 'overlap' for the claim's own words…). */
  cue: Cue;
}

/** A body sentence that bears on the verdict. */
export interface Evidence {
  /** 0-based index of the sentence in the body's sentences. */
  index: number;
  /** The sentence's number as shown to people (index + 1); reasons cite this number. */
  number: number;
  /** The sentence text as it appears (normalised). */
  text: string;
  /** How strongly it carries the verdict's label towards the claim, 0..1 (evidence is ranked by it). */
  score: number;
  /** Which cues made it count. */
  cues: Cue[];
  /** The words that carry the stance, in text order, not overlapping. */
  spans: EvidenceSpan[];
}

/** Stable codes of the warnings a verdict can carry. */
export const WARNING_CODES = {
  NOT_ENGLISH: 'the body is not in English; the model reads English only, so the label is a guess',
} as const;
export type WarningCode = keyof typeof WARNING_CODES;

/** Something a reader should know before trusting a verdict. */
export interface VerdictWarning {
  code: WarningCode;
  /** One human sentence. */
  message: string;
}

/** The stance of one claim (headline or subtitle) towards one body. */
export interface ClaimVerdict {
  /** The claim that was checked. */
  claim: string;
  label: Label;
  /** Calibrated probabilities for all four labels; they sum to 1. */
  probabilities: Probabilities;
  /** The body sentences that most bear on the call, best first. */
  evidence: Evidence[];
  /** One human sentence on why (always set; essential for `unrelated`). */
  reason: string;
  /** ISO 639-1 code of the body's language ("en", "ru", …), or "und" when too short to tell. */
  language: string;
  /** What a reader should know before trusting the verdict (e.g. a non-English body); empty when none. */
  warnings: VerdictWarning[];
}

/** What `check` returns: the headline's verdict at the top level, the subtitle's beside it. */
export interface Verdict extends ClaimVerdict {
  /** The subtitle's own verdict when the input had a subtitle. */
  subtitle?: ClaimVerdict;
  /** Number of sentences the body was split into (evidence indexes refer to these). */
  sentenceCount: number;
}

/** Input to a check. */
export interface Article {
  headline: string;
  /** Optional subtitle / standfirst, checked against the body too. */
  subtitle?: string;
  body: string;
}
