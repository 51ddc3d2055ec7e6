/**
 * Features of a (claim, body) pair. Per-body work (sentences, stems, cue counts, TF-IDF weights,
 * sentence vectors) is done once in prepareBody; per-claim work in prepareClaim; pairFeatures is
 * the cheap part done for every pair. All pure.
 */
import { splitSentences } from '../text/sentences.js';
import { maskBoilerplate } from '../text/boilerplate.js';
import { normalizeText } from '../text/normalize.js';
import { contentStems, tokenize, isStopword, stem, WORD, wordToken } from '../text/tokenize.js';
import { countIn, HEDGE, NEGATION, REFUTE, SUPPORT, INVESTIGATE, REVERSAL } from './lexicons.js';
import type { Vocabulary } from './vocabulary.js';
import type { PreparedBody } from '../checker.js';
import { analyzeSentence, type SentenceAnalysis } from './scope.js';
import { NUM_STANCE_FEATURES, STANCE_FEATURE_NAMES, stanceFeatures } from './stance.js';

/** Cue counts of one piece of text. */
export interface CueCounts {
  refute: number;
  negation: number;
  hedge: number;
  support: number;
  investigate: number;
  question: boolean;
  quote: boolean;
}

export interface SentenceInfo {
  text: string;
  /** `text` with boilerplate (URLs, "See more at", bylines, credits) blanked to spaces: same length and offsets. */
  clean: string;
  tokens: string[];
  /** Stem of every token (stop words included), in order: for cue-near-match windows. */
  tokenStems: string[];
  stemSet: Set<string>;
  cues: CueCounts;
  /** Positions of refuting, negating, hedging and supporting tokens. */
  cuePositions: {
    refute: number[];
    negation: number[];
    hedge: number[];
    support: number[];
    reversal: number[];
  };
  /** Unit mean vector of the sentence's content words (empty when no vectors). */
  vector: Float32Array;
  /** The sentence's distinct content words with vectors, as rows of the body's {@link BodyFeatures.wordMatrix}. */
  wordIds: Int32Array;
  wordCount: number;
  /** Cue-scoping analysis, computed on first use by {@link analysisOf}. */
  analysis?: SentenceAnalysis;
}

/** The sentence's cue-scoping analysis (see scope.ts), computed once and kept on the sentence. */
export function analysisOf(s: SentenceInfo): SentenceAnalysis {
  if (!s.analysis) s.analysis = analyzeSentence(s.clean);
  return s.analysis;
}

/** A body with all per-body work done. */
export interface BodyFeatures extends PreparedBody {
  readonly info: SentenceInfo[];
  readonly stemTf: Map<string, number>;
  readonly bigrams: Set<string>;
  readonly leadStems: Set<string>;
  readonly tfidfNorm: number;
  readonly tokenCount: number;
  readonly stemCount: number;
  readonly cueTotals: CueCounts;
  /** Share of sentences that are questions. */
  readonly questionShare: number;
  readonly leadCues: CueCounts;
  readonly numbers: Set<string>;
  readonly vector: Float32Array;
  /** Vectors of the body's distinct content words, one row each (for soft matching; rows × dim). */
  readonly wordMatrix: Float32Array;
  /** Content stem → how often the body writes it capitalised inside a sentence (names). */
  readonly nameTf: ReadonlyMap<string, number>;
  /** The body's most frequent names (stems written capitalised most of the time), most frequent first. */
  readonly topNames: readonly string[];
  /** First {@link PREFIX} letters of every body stem at least that long ("Ukraine", "Ukrainian"). */
  readonly stemPrefixes: ReadonlySet<string>;
}

/** A claim (headline or subtitle) with its per-claim work done. */
export interface ClaimFeatures {
  text: string;
  tokens: string[];
  /** Distinct content stems. */
  stems: string[];
  /** IDF of each entry of `stems`. */
  weights: number[];
  totalWeight: number;
  bigrams: string[];
  numbers: string[];
  cues: CueCounts;
  allCaps: boolean;
  vector: Float32Array;
  /** Content words with vectors. */
  vecWords: Float32Array[];
  /** Content stem → a surface word, for reasons. */
  surface: Map<string, string>;
  /**
   * The claim's capitalised words that may be names (see {@link claimNames}), distinct stems. A
   * `sure` one is a name; another counts as one only where the body writes it capitalised.
   */
  names: ClaimName[];
}

/** A capitalised claim word that may be a name. */
export interface ClaimName {
  stem: string;
  /** The stem's first {@link PREFIX} letters ('' when shorter). */
  prefix: string;
  idf: number;
  /** Capitalised inside a normally written claim, or rare (high IDF): a name whatever the body says. */
  sure: boolean;
}

/** A quoted passage (with a double quote somewhere in the text: see cuesOf). */
const QUOTED = /["']\s*\S[^"]*["']/;

/** Bits of {@link CUE_KINDS_OF}. */
const REFUTE_BIT = 1;
const NEGATION_BIT = 2;
const HEDGE_BIT = 4;
const SUPPORT_BIT = 8;
const REVERSAL_BIT = 16;
const INVESTIGATE_BIT = 32;

/** Every cue word with the bits of the lexicons it is in: one lookup a token instead of one a lexicon. */
const CUE_KINDS_OF: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  const add = (set: ReadonlySet<string>, bit: number) => {
    for (const w of set) m.set(w, (m.get(w) ?? 0) | bit);
  };
  add(REFUTE, REFUTE_BIT);
  add(NEGATION, NEGATION_BIT);
  add(HEDGE, HEDGE_BIT);
  add(SUPPORT, SUPPORT_BIT);
  add(REVERSAL, REVERSAL_BIT);
  add(INVESTIGATE, INVESTIGATE_BIT);
  return m;
})();

/**
 * What a body needs of a word, found once per vocabulary (the stemmer's and lexicons' answers, the
 * word's vector, its stem's IDF) instead of once per token. The last three fields are scratch of
 * {@link prepareSentences}, for the body it is preparing (serial `body`).
 */
interface WordFacts {
  readonly stem: string;
  readonly stop: boolean;
  /** {@link CUE_KINDS_OF} bits (0: no cue word). */
  readonly cues: number;
  /** The word's vector, for a content word that has one. */
  readonly vector: Float32Array | undefined;
  /** IDF of the stem. */
  readonly idf: number;
  /** Serial of the body whose word rows `row` counts in. */
  body: number;
  /** The word's row in that body's word matrix. */
  row: number;
  /** The last sentence of that body that listed the word. */
  sentence: number;
}

/**
 * Words' facts, per vocabulary, found with the vocabulary's maps and default IDF it holds now (a
 * vocabulary given other maps starts a new cache; its maps are not changed in place once in use).
 */
const wordFacts = new WeakMap<
  Vocabulary,
  {
    idf: Vocabulary['idf'];
    vectors: Vocabulary['vectors'];
    defaultIdf: number;
    words: Map<string, WordFacts>;
  }
>();
/** Words whose facts are kept (a vocabulary's cache is emptied when it is full). */
const MAX_WORD_FACTS = 200_000;
/** Serial of the body {@link prepareSentences} is preparing. */
let bodySerial = 0;

function wordFactsOf(vocab: Vocabulary): Map<string, WordFacts> {
  let c = wordFacts.get(vocab);
  if (!c || c.idf !== vocab.idf || c.vectors !== vocab.vectors || c.defaultIdf !== vocab.defaultIdf) {
    c = { idf: vocab.idf, vectors: vocab.vectors, defaultIdf: vocab.defaultIdf, words: new Map() };
    wordFacts.set(vocab, c);
  }
  if (c.words.size >= MAX_WORD_FACTS) c.words.clear();
  return c.words;
}

function factsOf(word: string, vocab: Vocabulary): WordFacts {
  const st = stem(word);
  const stop = isStopword(word);
  return {
    stem: st,
    stop,
    cues: CUE_KINDS_OF.get(word) ?? 0,
    vector: stop ? undefined : vocab.vectors?.get(word),
    idf: vocab.idf.get(st) ?? vocab.defaultIdf,
    body: -1,
    row: -1,
    sentence: -1,
  };
}

/**
 * The cue counts of a sentence or headline from its counts per lexicon: the one place the
 * question and quotation tests are written (bodies count with positions in prepareSentences,
 * headlines with {@link cuesOf}).
 */
function cueCounts(
  refute: number,
  negation: number,
  hedge: number,
  support: number,
  investigate: number,
  text: string,
): CueCounts {
  return {
    refute,
    negation,
    hedge,
    support,
    investigate,
    question: text.includes('?'),
    quote: QUOTED.test(text) && text.includes('"'),
  };
}

/** Cue counts of a headline's tokens, each token looked up once in {@link CUE_KINDS_OF}. */
function cuesOf(tokens: readonly string[], text: string): CueCounts {
  let refute = 0;
  let negation = 0;
  let hedge = 0;
  let support = 0;
  let investigate = 0;
  for (const t of tokens) {
    const kinds = CUE_KINDS_OF.get(t) ?? 0;
    if (kinds === 0) continue;
    if (kinds & REFUTE_BIT) refute++;
    if (kinds & NEGATION_BIT) negation++;
    if (kinds & HEDGE_BIT) hedge++;
    if (kinds & SUPPORT_BIT) support++;
    if (kinds & INVESTIGATE_BIT) investigate++;
  }
  return cueCounts(refute, negation, hedge, support, investigate, text);
}

function addCues(a: CueCounts, b: CueCounts): void {
  a.refute += b.refute;
  a.negation += b.negation;
  a.hedge += b.hedge;
  a.support += b.support;
  a.investigate += b.investigate;
  a.question = a.question || b.question;
  a.quote = a.quote || b.quote;
}

const emptyCues = (): CueCounts => ({
  refute: 0,
  negation: 0,
  hedge: 0,
  support: 0,
  investigate: 0,
  question: false,
  quote: false,
});

const EMPTY = new Float32Array(0);

/**
 * v[d] += e[d] for d < dim, in float32 as a Float32Array stores each sum. Unrolled for speed:
 * the components are independent, so four a step give the same values.
 */
function addInto(v: Float32Array, e: Float32Array, dim: number): void {
  let d = 0;
  for (; d + 4 <= dim; d += 4) {
    v[d] = (v[d] as number) + (e[d] as number);
    v[d + 1] = (v[d + 1] as number) + (e[d + 1] as number);
    v[d + 2] = (v[d + 2] as number) + (e[d + 2] as number);
    v[d + 3] = (v[d + 3] as number) + (e[d + 3] as number);
  }
  for (; d < dim; d++) v[d] = (v[d] as number) + (e[d] as number);
}

function meanVector(words: readonly string[], vocab: Vocabulary): Float32Array {
  const vectors = vocab.vectors;
  if (!vectors || vocab.dim === 0) return EMPTY;
  const v = new Float32Array(vocab.dim);
  let n = 0;
  for (const w of words) {
    if (isStopword(w)) continue;
    const e = vectors.get(w);
    if (!e) continue;
    addInto(v, e, v.length);
    n++;
  }
  if (n === 0) return EMPTY;
  return unit(v);
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return v;
}

/** Dot product (cosine for unit vectors); 0 when either is empty. */
export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * dot(v, s.vector) of every sentence s, into `out`. Unrolled for speed: four sentences share each
 * pass over `v` (four independent sums, each over the components in order, as dot sums them), so
 * every value is dot's own.
 */
export function sentenceDots(
  v: Float32Array,
  info: readonly SentenceInfo[],
  out: Float64Array = new Float64Array(info.length),
): Float64Array {
  const n = info.length;
  const dim = v.length;
  let i = 0;
  for (; dim > 0 && i + 4 <= n; i += 4) {
    const a = (info[i] as SentenceInfo).vector;
    const b = (info[i + 1] as SentenceInfo).vector;
    const c = (info[i + 2] as SentenceInfo).vector;
    const d = (info[i + 3] as SentenceInfo).vector;
    if (a.length !== dim || b.length !== dim || c.length !== dim || d.length !== dim) {
      out[i] = dot(v, a);
      out[i + 1] = dot(v, b);
      out[i + 2] = dot(v, c);
      out[i + 3] = dot(v, d);
      continue;
    }
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < dim; k++) {
      const x = v[k] as number;
      s0 += x * (a[k] as number);
      s1 += x * (b[k] as number);
      s2 += x * (c[k] as number);
      s3 += x * (d[k] as number);
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; i++) out[i] = dot(v, (info[i] as SentenceInfo).vector);
  return out;
}

const NUMBER = /^\d+$/;

/** Word families of names share their first letters ("Israel", "Israeli"; "Ukraine", "Ukrainian"). */
const PREFIX = 5;
/** IDF from which a capitalised word whose capital says nothing (first word, title case) is taken for a name. */
const RARE_NAME_IDF = 5;
/** How many of the body's most frequent names `names.body_top_*` look at. */
const TOP_NAMES = 3;
/** Capitalised but not a subject: days and months. */
const CALENDAR: ReadonlySet<string> = new Set(
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(
    ' ',
  ),
);
/** Word tokens as tokenize finds them, case kept (its own copy: exec loops move `lastIndex`). */
const WORD_CASED = new RegExp(WORD.source, WORD.flags);
const UPPER = /^\p{Lu}/u;

/** Does a word start with a capital letter (ASCII fast path). */
function capitalised(w: string): boolean {
  const c = w.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return UPPER.test(w);
}

/** A token as tokenize makes it from a word written with capitals. */
function lowerToken(w: string): string {
  return wordToken(w.toLowerCase());
}

/**
 * Counts, per content stem, the words a sentence writes capitalised after its first word (and not
 * right after an opening quote or a colon, where a capital says nothing). One pass over the text.
 */
function countNames(text: string, into: Map<string, number>): void {
  WORD_CASED.lastIndex = 0;
  let first = true;
  for (let m = WORD_CASED.exec(text); m; m = WORD_CASED.exec(text)) {
    if (first) {
      first = false;
      continue;
    }
    const w = m[0];
    if (!capitalised(w)) continue;
    let k = m.index - 1;
    while (k >= 0 && text.charCodeAt(k) === 32) k--;
    const before = text[k];
    if (before === '"' || before === '“' || before === ':' || before === '(') continue;
    const t = lowerToken(w);
    if (t.length < 2 || isStopword(t) || CALENDAR.has(t) || NUMBER.test(t)) continue;
    const st = stem(t);
    into.set(st, (into.get(st) ?? 0) + 1);
  }
}

/**
 * The body's most frequent names, one per word family ("Russia" and "Russian" count together):
 * stems written capitalised inside sentences at least twice and most of the time. Each family is
 * represented by its most frequent stem.
 */
function topNamesOf(nameTf: ReadonlyMap<string, number>, stemTf: ReadonlyMap<string, number>): string[] {
  const families = new Map<string, { stem: string; top: number; count: number }>();
  for (const [st, n] of nameTf) {
    if (n < 2 || 2 * n < (stemTf.get(st) ?? 0)) continue;
    const key = st.length >= PREFIX ? st.slice(0, PREFIX) : st;
    const f = families.get(key);
    if (!f) families.set(key, { stem: st, top: n, count: n });
    else {
      f.count += n;
      if (n > f.top) {
        f.top = n;
        f.stem = st;
      }
    }
  }
  const list = [...families.values()];
  return topIndexes(
    list.map((f) => f.count),
    TOP_NAMES,
  ).map((i) => (list[i] as { stem: string }).stem);
}

/** Do two stems, both at least {@link PREFIX} letters long, share their first {@link PREFIX} letters. */
function samePrefix(a: string, b: string): boolean {
  if (a.length < PREFIX || b.length < PREFIX) return false;
  for (let i = 0; i < PREFIX; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** Most words capitalised: a title-case claim, where capitals say nothing about names. */
function titleCase(text: string): boolean {
  let long = 0;
  let upper = 0;
  WORD_CASED.lastIndex = 0;
  for (let m = WORD_CASED.exec(text); m; m = WORD_CASED.exec(text)) {
    if (m[0].length <= 3 || NUMBER.test(m[0])) continue;
    long++;
    if (capitalised(m[0])) upper++;
  }
  return long >= 3 && upper > 0.7 * long;
}

/**
 * The claim's capitalised content words that may be names, one per stem. Where capitals carry
 * information (not the first word, not a title-case or all-caps claim) a capitalised word is a
 * name; elsewhere it is one when its stem is rare (IDF ≥ {@link RARE_NAME_IDF}), or, per body,
 * when the body writes it capitalised inside its sentences. Days and months are not names.
 */
export function claimNames(text: string, vocab: Vocabulary): ClaimName[] {
  const letters = text.replace(/[^\p{L}]/gu, '');
  const uninformative = titleCase(text) || letters === letters.toUpperCase();
  const out: ClaimName[] = [];
  const seen = new Set<string>();
  let first = true;
  WORD_CASED.lastIndex = 0;
  for (let m = WORD_CASED.exec(text); m; m = WORD_CASED.exec(text)) {
    const w = m[0];
    const isFirst = first;
    first = false;
    if (!capitalised(w)) continue;
    const t = lowerToken(w);
    if (t.length < 2 || isStopword(t) || CALENDAR.has(t) || NUMBER.test(t)) continue;
    const st = stem(t);
    if (seen.has(st)) continue;
    seen.add(st);
    const idf = vocab.idf.get(st) ?? vocab.defaultIdf;
    out.push({
      stem: st,
      prefix: st.length >= PREFIX ? st.slice(0, PREFIX) : '',
      idf,
      sure: (!uninformative && !isFirst) || idf >= RARE_NAME_IDF,
    });
  }
  return out;
}

/** Does the per-body work once. */
export function prepareBody(body: string, vocab: Vocabulary): BodyFeatures {
  const sentences = splitSentences(normalizeText(body));
  const cleans = sentences.map(maskBoilerplate);
  return prepareSentences(
    sentences,
    cleans.map((c) => tokenize(c)),
    vocab,
    cleans,
    true,
  );
}

/** The tokens of a body sentence. Boilerplate (links, "See more at", bylines, credits) is kept as text but never tokenised. */
export function sentenceTokens(sentence: string): string[] {
  return tokenize(maskBoilerplate(sentence));
}

/**
 * The per-body work from sentences already split and tokenised (`tokens[i]` = sentenceTokens(sentences[i])),
 * e.g. as stored by the corpus: skips normalising, splitting and tokenising. `cleans[i]`, when
 * given, is maskBoilerplate(sentences[i]) already computed.
 */
export function prepareTokenized(
  sentences: readonly string[],
  tokensOf: readonly (readonly string[])[],
  vocab: Vocabulary,
  cleans?: readonly string[],
): BodyFeatures {
  return prepareSentences(sentences, tokensOf, vocab, cleans, false);
}

/** {@link prepareTokenized}; `owned`: the token arrays are the caller's to give away (kept, not copied). */
function prepareSentences(
  sentences: readonly string[],
  tokensOf: readonly (readonly string[])[],
  vocab: Vocabulary,
  cleans: readonly string[] | undefined,
  owned: boolean,
): BodyFeatures {
  const info: SentenceInfo[] = [];
  const stemTf = new Map<string, number>();
  const bigrams = new Set<string>();
  const leadStems = new Set<string>();
  const cueTotals = emptyCues();
  const leadCues = emptyCues();
  const numbers = new Set<string>();
  const nameTf = new Map<string, number>();
  let tokenCount = 0;
  let stemCount = 0;
  const rows: Float32Array[] = [];
  const bodyVec = vocab.dim > 0 ? new Float32Array(vocab.dim) : EMPTY;
  const dim = vocab.vectors ? vocab.dim : 0;
  const facts = wordFactsOf(vocab);
  const body = ++bodySerial;
  // IDF of each stem of stemTf, in stemTf's order.
  const stemIdf: number[] = [];
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i] as string;
    const clean = cleans?.[i] ?? maskBoilerplate(s);
    const given = tokensOf[i] ?? [];
    const tokens = owned ? (given as string[]) : [...given];
    const n = tokens.length;
    // One pass over the tokens: stems (every token's once; content stems without the stop words),
    // numbers, cue counts and positions, and the sentence's vector and distinct word rows.
    const tokenStems: string[] = new Array<string>(n);
    const stems: string[] = [];
    const cuePositions = {
      refute: [] as number[],
      negation: [] as number[],
      hedge: [] as number[],
      support: [] as number[],
      reversal: [] as number[],
    };
    let investigate = 0;
    const ids: number[] = [];
    const v = dim > 0 ? new Float32Array(dim) : EMPTY;
    let withVector = 0;
    for (let p = 0; p < n; p++) {
      const t = tokens[p] as string;
      let f = facts.get(t);
      if (f === undefined) {
        f = factsOf(t, vocab);
        facts.set(t, f);
      }
      const st = f.stem;
      tokenStems[p] = st;
      const c0 = t.charCodeAt(0);
      if (c0 >= 48 && c0 <= 57 && NUMBER.test(t)) numbers.add(t);
      const kinds = f.cues;
      if (kinds !== 0) {
        if (kinds & REFUTE_BIT) cuePositions.refute.push(p);
        if (kinds & NEGATION_BIT) cuePositions.negation.push(p);
        if (kinds & HEDGE_BIT) cuePositions.hedge.push(p);
        if (kinds & SUPPORT_BIT) cuePositions.support.push(p);
        if (kinds & REVERSAL_BIT) cuePositions.reversal.push(p);
        if (kinds & INVESTIGATE_BIT) investigate++;
      }
      if (f.stop) continue;
      if (stemTf.get(st) === undefined) stemIdf.push(f.idf);
      stemTf.set(st, (stemTf.get(st) ?? 0) + 1);
      stems.push(st);
      const e = f.vector;
      if (e === undefined) continue;
      // The body's word rows: one per distinct content word with a vector, in order of first use.
      if (f.body !== body) {
        f.body = body;
        f.row = rows.push(e) - 1;
        f.sentence = -1;
      }
      if (f.sentence !== i) {
        f.sentence = i;
        ids.push(f.row);
      }
      if (dim > 0) {
        // The mean vector: every content token with a vector, repeats included, in order.
        addInto(v, e, dim);
        withVector++;
      }
    }
    tokenCount += n;
    stemCount += stems.length;
    for (let j = 0; j < stems.length; j++) {
      const st = stems[j] as string;
      if (j > 0) bigrams.add(`${stems[j - 1] as string} ${st}`);
      if (i < 3) leadStems.add(st);
    }
    countNames(clean, nameTf);
    const cues = cueCounts(
      cuePositions.refute.length,
      cuePositions.negation.length,
      cuePositions.hedge.length,
      cuePositions.support.length,
      investigate,
      clean,
    );
    addCues(cueTotals, cues);
    if (i < 5) addCues(leadCues, cues);
    const vector = withVector > 0 ? unit(v) : EMPTY;
    addInto(bodyVec, vector, vector.length);
    info.push({
      text: s,
      clean,
      tokens,
      tokenStems,
      stemSet: new Set(stems),
      cues,
      cuePositions,
      vector,
      wordIds: Int32Array.from(ids),
      wordCount: ids.length,
    });
  }
  let norm = 0;
  let k = 0;
  for (const tf of stemTf.values()) {
    const w = (1 + Math.log(tf)) * (stemIdf[k++] as number);
    norm += w * w;
  }
  const wordMatrix = new Float32Array(rows.length * vocab.dim);
  rows.forEach((v, r) => wordMatrix.set(v, r * vocab.dim));
  const stemPrefixes = new Set<string>();
  for (const st of stemTf.keys()) if (st.length >= PREFIX) stemPrefixes.add(st.slice(0, PREFIX));
  return {
    sentences: [...sentences],
    sentenceCount: sentences.length,
    info,
    stemTf,
    bigrams,
    leadStems,
    tfidfNorm: Math.sqrt(norm),
    tokenCount,
    stemCount,
    cueTotals,
    questionShare: info.length > 0 ? info.filter((x) => x.cues.question).length / info.length : 0,
    leadCues,
    numbers,
    vector: bodyVec.length > 0 ? unit(bodyVec) : EMPTY,
    wordMatrix,
    nameTf,
    topNames: topNamesOf(nameTf, stemTf),
    stemPrefixes,
  };
}

/** Does the per-claim work once. */
export function prepareClaim(claim: string, vocab: Vocabulary): ClaimFeatures {
  const text = normalizeText(claim);
  const tokens = tokenize(text);
  const surface = new Map<string, string>();
  const ordered: string[] = [];
  const numbers: string[] = [];
  for (const t of tokens) {
    if (NUMBER.test(t)) numbers.push(t);
    if (isStopword(t)) continue;
    const st = contentStems([t])[0] as string;
    if (!surface.has(st)) {
      surface.set(st, t);
      ordered.push(st);
    }
  }
  const all = contentStems(tokens);
  const bigrams: string[] = [];
  for (let j = 1; j < all.length; j++) bigrams.push(`${all[j - 1] as string} ${all[j] as string}`);
  const weights = ordered.map((s) => vocab.idf.get(s) ?? vocab.defaultIdf);
  const letters = text.replace(/[^\p{L}]/gu, '');
  const vecWords: Float32Array[] = [];
  if (vocab.vectors) {
    for (const t of new Set(tokens)) {
      if (isStopword(t)) continue;
      const v = vocab.vectors.get(t);
      if (v) vecWords.push(v);
    }
  }
  return {
    text,
    tokens,
    stems: ordered,
    weights,
    totalWeight: weights.reduce((a, b) => a + b, 0),
    bigrams,
    numbers,
    cues: cuesOf(tokens, text),
    allCaps: letters.length >= 8 && letters === letters.toUpperCase(),
    vector: meanVector(tokens, vocab),
    vecWords,
    surface,
    names: claimNames(text, vocab),
  };
}

/** How well each body sentence matches the claim: idf-weighted share of claim stems present (plus vector similarity). */
export function alignSentences(claim: ClaimFeatures, body: BodyFeatures): Float64Array {
  const out = new Float64Array(body.info.length);
  const tw = claim.totalWeight || 1;
  for (let i = 0; i < body.info.length; i++) {
    const set = (body.info[i] as SentenceInfo).stemSet;
    let s = 0;
    for (let j = 0; j < claim.stems.length; j++)
      if (set.has(claim.stems[j] as string)) s += claim.weights[j] as number;
    out[i] = s / tw;
  }
  return out;
}

/** Top-k indexes of `scores`, best first (ties: lower index first). O(n·k), no sorting of all n. */
export function topIndexes(scores: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i] as number;
    if (idx.length === k && v <= (scores[idx[k - 1] as number] as number)) continue;
    let p = idx.length < k ? idx.length : k - 1;
    if (idx.length < k) idx.push(i);
    while (p > 0 && v > (scores[idx[p - 1] as number] as number)) {
      idx[p] = idx[p - 1] as number;
      p--;
    }
    idx[p] = i;
  }
  return idx;
}

/** What the feature writers of one pair share, computed once per pair by {@link pairFeatures}. */
export interface PairContext {
  readonly claim: ClaimFeatures;
  readonly body: BodyFeatures;
  readonly vocab: Vocabulary;
  /** Stem alignment of each body sentence with the claim ({@link alignSentences}). */
  readonly alignment: Float64Array;
  /** The three best-aligned sentences, best first. */
  readonly top: readonly number[];
  /** The best-aligned sentence (undefined for an empty body). */
  readonly best: number | undefined;
  /** Cosine of the claim vector with each sentence vector (zeros without vectors). */
  readonly vecSims: Float64Array;
  readonly hasVec: boolean;
  /** Number of body sentences. */
  readonly nS: number;
}

/** One value per name, in the order of the names (the type checker holds the count). */
type Values<N extends readonly string[]> = { -readonly [K in keyof N]: number };

/**
 * A named group of features: its names (each "group.feature") beside the code that computes them.
 * `write` returns one value per name, in order.
 */
export interface FeatureGroup<N extends readonly string[] = readonly string[]> {
  readonly names: N;
  readonly write: (ctx: PairContext) => Values<N>;
}

function featureGroup<const N extends readonly string[]>(
  names: N,
  write: (ctx: PairContext) => Values<N>,
): FeatureGroup<N> {
  return { names, write };
}

/** Term overlap of the claim's content stems with the whole body. */
const overlap = featureGroup(
  [
    'overlap.frac',
    'overlap.idf',
    'overlap.bigram',
    'overlap.lead_idf',
    'overlap.tfidf_cos',
    'overlap.bm25',
    'overlap.tf_sum',
    'overlap.missing_max_idf',
    'overlap.numbers_missing',
    'overlap.numbers_present',
  ],
  ({ claim, body, vocab }) => {
    const nC = claim.stems.length || 1;
    const tw = claim.totalWeight || 1;
    let present = 0;
    let presentW = 0;
    let missingMax = 0;
    let tfSum = 0;
    let bm25 = 0;
    let dotTfidf = 0;
    let leadW = 0;
    const k1 = 1.2;
    const b = 0.75;
    const lenNorm = 1 - b + (b * body.stemCount) / (vocab.avgBodyLength || 1);
    for (let j = 0; j < claim.stems.length; j++) {
      const st = claim.stems[j] as string;
      const w = claim.weights[j] as number;
      const tf = body.stemTf.get(st) ?? 0;
      if (tf > 0) {
        present++;
        presentW += w;
        tfSum += Math.log1p(tf);
        bm25 += (w * (tf * (k1 + 1))) / (tf + k1 * lenNorm);
        dotTfidf += w * (1 + Math.log(tf)) * w;
      } else if (w > missingMax) missingMax = w;
      if (body.leadStems.has(st)) leadW += w;
    }
    let claimNorm = 0;
    for (const w of claim.weights) claimNorm += w * w;
    let bigramHits = 0;
    for (const bg of claim.bigrams) if (body.bigrams.has(bg)) bigramHits++;
    let numMissing = 0;
    let numPresent = 0;
    for (const n of claim.numbers) {
      if (body.numbers.has(n)) numPresent++;
      else numMissing++;
    }
    return [
      present / nC,
      presentW / tw,
      claim.bigrams.length > 0 ? bigramHits / claim.bigrams.length : 0,
      leadW / tw,
      body.tfidfNorm > 0 && claimNorm > 0 ? dotTfidf / (Math.sqrt(claimNorm) * body.tfidfNorm) : 0,
      bm25 / tw,
      tfSum / nC,
      missingMax / (vocab.defaultIdf || 1),
      numMissing,
      numPresent,
    ];
  },
);

/** How well the best body sentences match the claim. */
const sentence = featureGroup(
  [
    'sentence.max',
    'sentence.top3',
    'sentence.best_pos',
    'sentence.frac_ge50',
    'sentence.count_ge50',
    'sentence.second',
  ],
  ({ alignment, top, best, nS }) => {
    let top3 = 0;
    for (const i of top) top3 += alignment[i] as number;
    top3 /= Math.max(1, top.length);
    let ge50 = 0;
    for (let i = 0; i < nS; i++) if ((alignment[i] as number) >= 0.5) ge50++;
    return [
      top[0] !== undefined ? (alignment[top[0]] as number) : 0,
      top3,
      best !== undefined && nS > 1 ? best / (nS - 1) : 0,
      nS > 0 ? ge50 / nS : 0,
      Math.log1p(ge50),
      top[1] !== undefined ? (alignment[top[1]] as number) : 0,
    ];
  },
);

const lengths = featureGroup(
  ['length.claim', 'length.body_log', 'length.sentences_log'],
  ({ claim, body, nS }) => [claim.stems.length, Math.log1p(body.tokenCount), Math.log1p(nS)],
);

/** Refuting, negating, hedging and supporting words in the claim, the body and the aligned sentences. */
const cues = featureGroup(
  [
    'cues.claim_refute',
    'cues.claim_negation',
    'cues.claim_hedge',
    'cues.claim_support',
    'cues.claim_question',
    'cues.claim_quote',
    'cues.claim_allcaps',
    'cues.body_refute_rate',
    'cues.body_negation_rate',
    'cues.body_hedge_rate',
    'cues.body_support_rate',
    'cues.body_investigate_rate',
    'cues.body_question',
    'cues.aligned_refute',
    'cues.aligned_negation',
    'cues.aligned_hedge',
    'cues.aligned_support',
    'cues.aligned_question',
    'cues.aligned_quote',
    'cues.near_refute',
    'cues.near_hedge',
    'cues.lead_refute',
    'cues.lead_hedge',
    'cues.polarity_claim',
    'cues.polarity_aligned',
  ],
  ({ claim, body, alignment, top, best, nS }) => {
    let nearRefute = 0;
    let nearHedge = 0;
    for (let i = 0; i < nS; i++) {
      if ((alignment[i] as number) >= 0.4) {
        const c = (body.info[i] as SentenceInfo).cues;
        nearRefute += c.refute + c.negation;
        nearHedge += c.hedge;
      }
    }
    const aligned = emptyCues();
    let alignedQuestion = 0;
    let alignedQuote = 0;
    for (const i of top) {
      const a = alignment[i] as number;
      const c = (body.info[i] as SentenceInfo).cues;
      aligned.refute += a * c.refute;
      aligned.negation += a * c.negation;
      aligned.hedge += a * c.hedge;
      aligned.support += a * c.support;
      alignedQuestion += c.question ? a : 0;
      alignedQuote += c.quote ? a : 0;
    }
    const per100 = 100 / Math.max(1, body.tokenCount);
    const bestCues = best !== undefined ? (body.info[best] as SentenceInfo).cues : undefined;
    return [
      claim.cues.refute,
      claim.cues.negation,
      claim.cues.hedge,
      claim.cues.support,
      claim.cues.question ? 1 : 0,
      claim.cues.quote ? 1 : 0,
      claim.allCaps ? 1 : 0,
      body.cueTotals.refute * per100,
      body.cueTotals.negation * per100,
      body.cueTotals.hedge * per100,
      body.cueTotals.support * per100,
      body.cueTotals.investigate * per100,
      body.questionShare,
      aligned.refute,
      aligned.negation,
      aligned.hedge,
      aligned.support,
      alignedQuestion,
      alignedQuote,
      nearRefute,
      nearHedge,
      body.leadCues.refute,
      body.leadCues.hedge,
      (claim.cues.refute + claim.cues.negation) % 2,
      bestCues ? (bestCues.refute + bestCues.negation) % 2 : 0,
    ];
  },
);

/** Cue words within this many tokens of a claim word count as "near" it. */
const WINDOW = 5;

const CUE_KINDS = ['refute', 'negation', 'hedge', 'support', 'reversal'] as const;

/**
 * Per cue kind: how many cue words of `s` have a claim stem within {@link WINDOW} tokens (not
 * counting the cue word itself). Linear in the sentence length (prefix counts of claim stems).
 */
function cuesNearClaim(
  s: SentenceInfo,
  claimSet: ReadonlySet<string>,
): Record<(typeof CUE_KINDS)[number], number> {
  const counts = { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 };
  if (CUE_KINDS.every((kind) => s.cuePositions[kind].length === 0)) return counts;
  const n = s.tokenStems.length;
  // before[i] = claim stems among tokens 0 .. i-1.
  const before = new Int32Array(n + 1);
  for (let p = 0; p < n; p++)
    before[p + 1] = (before[p] as number) + (claimSet.has(s.tokenStems[p] as string) ? 1 : 0);
  for (const kind of CUE_KINDS) {
    for (const p of s.cuePositions[kind]) {
      const inWindow =
        (before[Math.min(n, p + WINDOW + 1)] as number) - (before[Math.max(0, p - WINDOW)] as number);
      const self = (before[p + 1] as number) - (before[p] as number);
      if (inWindow - self > 0) counts[kind]++;
    }
  }
  return counts;
}

/** The claim's stems as a set, made once per claim (a claim is usually paired with many bodies). */
const claimStemSets = new WeakMap<ClaimFeatures, ReadonlySet<string>>();
function stemSetOf(claim: ClaimFeatures): ReadonlySet<string> {
  let set = claimStemSets.get(claim);
  if (!set) {
    set = new Set(claim.stems);
    claimStemSets.set(claim, set);
  }
  return set;
}

/** Cue words within a few tokens of a claim word, in the sentences that match the claim. */
const cueWindow = featureGroup(
  [
    'window.refute',
    'window.negation',
    'window.hedge',
    'window.support',
    'window.refute_align',
    'window.negation_align',
    'window.hedge_align',
    'window.support_align',
    'window.reversal',
    'window.reversal_align',
    'window.claim_negated_x_body_negated',
    'window.claim_reversal',
    'window.lead_align',
    'window.lead_refute',
  ],
  ({ claim, body, alignment, nS }) => {
    const win = { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 };
    const winAlign = { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 };
    const claimSet = stemSetOf(claim);
    for (const si of topIndexes(alignment, 5)) {
      const a = alignment[si] as number;
      if (a < 0.2) break;
      const near = cuesNearClaim(body.info[si] as SentenceInfo, claimSet);
      for (const kind of CUE_KINDS) {
        const c = near[kind];
        if (c > 0) {
          win[kind] += a * c;
          if (a > winAlign[kind]) winAlign[kind] = a;
        }
      }
    }
    const claimNeg = claim.cues.negation + claim.cues.refute > 0 ? 1 : -1;
    const bodyNeg = win.negation + win.refute + win.reversal > 0 ? 1 : -1;
    const lead = body.info[0];
    return [
      win.refute,
      win.negation,
      win.hedge,
      win.support,
      winAlign.refute,
      winAlign.negation,
      winAlign.hedge,
      winAlign.support,
      win.reversal,
      winAlign.reversal,
      claimNeg * bodyNeg,
      countIn(claim.tokens, REVERSAL),
      nS > 0 ? (alignment[0] as number) : 0,
      lead ? lead.cues.refute + lead.cues.negation : 0,
    ];
  },
);

/** Scratch of {@link bestCosines}: a mark per body word row, and the rows taken. */
let rowMark = new Uint32Array(0);
let rowEpoch = 0;
let rowList = new Int32Array(0);

/**
 * Each claim word's best dot product (-1 at least) with a word of the sentences. A word that
 * occurs in several of the sentences is compared once (a maximum over the same products). Four
 * claim words share each pass over two body words (each vector component loaded once for eight
 * independent products); every product is still summed over k in order, and the maximum is taken
 * over the same products, so the values are those of one word at a time. (Also the shared-name
 * rule's test for words the body says in other words, shared-name.ts.)
 */
export function bestCosines(
  words: readonly Float32Array[],
  sentences: readonly SentenceInfo[],
  M: Float32Array,
  dim: number,
): Float64Array {
  const n = words.length;
  const best = new Float64Array(n).fill(-1);
  const bodyRows = dim > 0 ? M.length / dim : 0;
  if (rowMark.length < bodyRows) {
    rowMark = new Uint32Array(bodyRows);
    rowList = new Int32Array(bodyRows);
    rowEpoch = 0;
  }
  if (++rowEpoch === 0xffffffff) {
    rowMark.fill(0);
    rowEpoch = 1;
  }
  let m = 0;
  for (const c of sentences)
    for (const r of c.wordIds)
      if (rowMark[r] !== rowEpoch) {
        rowMark[r] = rowEpoch;
        rowList[m++] = r;
      }
  let w = 0;
  for (; w + 4 <= n; w += 4) {
    const a = words[w] as Float32Array;
    const b = words[w + 1] as Float32Array;
    const e = words[w + 2] as Float32Array;
    const f = words[w + 3] as Float32Array;
    let m0 = -1;
    let m1 = -1;
    let m2 = -1;
    let m3 = -1;
    let q = 0;
    for (; q + 2 <= m; q += 2) {
      const o = (rowList[q] as number) * dim;
      const p = (rowList[q + 1] as number) * dim;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let k = 0; k < dim; k++) {
        const v = M[o + k] as number;
        const u = M[p + k] as number;
        const x0 = a[k] as number;
        const x1 = b[k] as number;
        const x2 = e[k] as number;
        const x3 = f[k] as number;
        d0 += x0 * v;
        d1 += x1 * v;
        d2 += x2 * v;
        d3 += x3 * v;
        c0 += x0 * u;
        c1 += x1 * u;
        c2 += x2 * u;
        c3 += x3 * u;
      }
      // Row q, then row q + 1: the maximum sees the products in the order of the rows.
      if (d0 > m0) m0 = d0;
      if (d1 > m1) m1 = d1;
      if (d2 > m2) m2 = d2;
      if (d3 > m3) m3 = d3;
      if (c0 > m0) m0 = c0;
      if (c1 > m1) m1 = c1;
      if (c2 > m2) m2 = c2;
      if (c3 > m3) m3 = c3;
    }
    for (; q < m; q++) {
      const o = (rowList[q] as number) * dim;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let k = 0; k < dim; k++) {
        const v = M[o + k] as number;
        d0 += (a[k] as number) * v;
        d1 += (b[k] as number) * v;
        d2 += (e[k] as number) * v;
        d3 += (f[k] as number) * v;
      }
      if (d0 > m0) m0 = d0;
      if (d1 > m1) m1 = d1;
      if (d2 > m2) m2 = d2;
      if (d3 > m3) m3 = d3;
    }
    best[w] = m0;
    best[w + 1] = m1;
    best[w + 2] = m2;
    best[w + 3] = m3;
  }
  // The last claim words, one at a time over four body words a pass (four independent sums).
  for (; w < n; w++) {
    const a = words[w] as Float32Array;
    let mx = -1;
    let q = 0;
    for (; q + 4 <= m; q += 4) {
      const o0 = (rowList[q] as number) * dim;
      const o1 = (rowList[q + 1] as number) * dim;
      const o2 = (rowList[q + 2] as number) * dim;
      const o3 = (rowList[q + 3] as number) * dim;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let k = 0; k < dim; k++) {
        const x = a[k] as number;
        d0 += x * (M[o0 + k] as number);
        d1 += x * (M[o1 + k] as number);
        d2 += x * (M[o2 + k] as number);
        d3 += x * (M[o3 + k] as number);
      }
      if (d0 > mx) mx = d0;
      if (d1 > mx) mx = d1;
      if (d2 > mx) mx = d2;
      if (d3 > mx) mx = d3;
    }
    for (; q < m; q++) {
      const o = (rowList[q] as number) * dim;
      let d = 0;
      for (let k = 0; k < dim; k++) d += (a[k] as number) * (M[o + k] as number);
      if (d > mx) mx = d;
    }
    best[w] = mx;
  }
  return best;
}

/** Word-vector similarity of the claim with the body, its sentences and their words. */
const vectors = featureGroup(
  [
    'vectors.claim_body',
    'vectors.sent_max',
    'vectors.sent_top3',
    'vectors.soft_overlap',
    'vectors.soft_min',
    'vectors.best_aligned_cos',
  ],
  ({ claim, body, vocab, top, best, vecSims, hasVec, nS }) => {
    let vSentMax = 0;
    let vTop3 = 0;
    let soft = 0;
    let softMin = 0;
    let bestAlignedCos = 0;
    if (hasVec && nS > 0) {
      const vt = topIndexes(vecSims, 3);
      vSentMax = vecSims[vt[0] as number] as number;
      for (const i of vt) vTop3 += vecSims[i] as number;
      vTop3 /= vt.length;
      if (best !== undefined) bestAlignedCos = vecSims[best] as number;
      // Soft overlap: each claim word's best cosine to a word of the best-aligned sentences.
      const candSents = [...new Set([...top, ...vt])].map((si) => body.info[si] as SentenceInfo);
      const dim = vocab.dim;
      if (claim.vecWords.length > 0 && candSents.some((c) => c.wordCount > 0)) {
        const best = bestCosines(claim.vecWords, candSents, body.wordMatrix, dim);
        softMin = 1;
        for (const m of best) {
          soft += m;
          if (m < softMin) softMin = m;
        }
        soft /= claim.vecWords.length;
      }
    }
    return [dot(claim.vector, body.vector), vSentMax, vTop3, soft, softMin, bestAlignedCos];
  },
);

/**
 * The claim's names (capitalised words, see {@link claimNames}) the body never uses — a headline
 * over another story on the same topic keeps the topic's words and loses the story's names — and
 * whether the body's own most frequent names are in the claim. A name is in the body when the body
 * has its stem or a stem with the same first letters ("Israeli" for "Israel").
 */
const names = featureGroup(
  [
    'names.count',
    'names.missing',
    'names.missing_share',
    'names.missing_idf_share',
    'names.body_top_count',
    'names.body_top_found',
    'names.body_top_first',
  ],
  ({ claim, body }) => {
    let count = 0;
    let missing = 0;
    let weight = 0;
    let missingWeight = 0;
    for (const n of claim.names) {
      const present = body.stemTf.has(n.stem) || (n.prefix !== '' && body.stemPrefixes.has(n.prefix));
      if (!n.sure && !body.nameTf.has(n.stem)) continue;
      count++;
      weight += n.idf;
      if (!present) {
        missing++;
        missingWeight += n.idf;
      }
    }
    let found = 0;
    let first = 0;
    for (let k = 0; k < body.topNames.length; k++) {
      const st = body.topNames[k] as string;
      if (claim.stems.some((c) => c === st || samePrefix(c, st))) {
        found++;
        if (k === 0) first = 1;
      }
    }
    return [
      count,
      missing,
      count > 0 ? missing / count : 0,
      weight > 0 ? missingWeight / weight : 0,
      body.topNames.length,
      found,
      first,
    ];
  },
);

/**
 * The feature groups, in vector order. A new feature is added to one group here (or a new group
 * to this list); names, count and order follow. Models check the names on load.
 */
/** Scratch of the stance group (copied out on every call). */
const stanceScratch = new Float64Array(NUM_STANCE_FEATURES);

/** The stance of related pairs (model v2): written by stance.ts, see there. */
const stance: FeatureGroup<typeof STANCE_FEATURE_NAMES> = {
  names: STANCE_FEATURE_NAMES,
  write: ({ claim, body, alignment }) => {
    const out = stanceScratch.fill(0);
    stanceFeatures(claim, body, alignment, out);
    return Array.from(out) as unknown as Values<typeof STANCE_FEATURE_NAMES>;
  },
};

export const FEATURE_GROUPS = [overlap, sentence, lengths, cues, cueWindow, vectors, stance, names] as const;

/** Name of one feature ("group.feature"). */
export type FeatureName = (typeof FEATURE_GROUPS)[number]['names'][number];

/** Names of the features, in vector order. */
export const FEATURE_NAMES: readonly FeatureName[] = FEATURE_GROUPS.flatMap((g) => g.names);
export const NUM_FEATURES = FEATURE_NAMES.length;

/**
 * The feature vector of a pair, plus the sentence alignment and the claim's dot product with each
 * sentence vector (zeros without vectors) it was computed from.
 */
export function pairFeatures(
  claim: ClaimFeatures,
  body: BodyFeatures,
  vocab: Vocabulary,
  out: Float64Array = new Float64Array(NUM_FEATURES),
): { features: Float64Array; alignment: Float64Array; vecSims: Float64Array } {
  const alignment = alignSentences(claim, body);
  const nS = body.info.length;
  const hasVec = claim.vector.length > 0;
  const vecSims = new Float64Array(nS);
  if (hasVec) sentenceDots(claim.vector, body.info, vecSims);
  const top = topIndexes(alignment, 3);
  const ctx: PairContext = { claim, body, vocab, alignment, top, best: top[0], vecSims, hasVec, nS };
  let at = 0;
  for (const group of FEATURE_GROUPS) {
    const values: readonly number[] = group.write(ctx);
    for (let k = 0; k < values.length; k++) out[at + k] = values[k] as number;
    at += group.names.length;
  }
  return { features: out, alignment, vecSims };
}
