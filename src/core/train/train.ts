/**
 * Training, pure: labelled pairs and bodies in memory → a Model. The file-reading wrapper lives in
 * src/adapters/fs/train-files.ts.
 */
import { LABELS, LABEL_INDEX, NUM_LABELS, type Label } from '../labels.js';
import { StanceError } from '../errors.js';
import { normalizeText } from '../text/normalize.js';
import { contentStems, tokenize, isStopword } from '../text/tokenize.js';
import { buildIdf, type Vocabulary } from '../features/vocabulary.js';
import {
  FEATURE_NAMES,
  NUM_FEATURES,
  claimNames,
  pairFeatures,
  prepareBody,
  prepareClaim,
  type BodyFeatures,
  type ClaimFeatures,
} from '../features/extract.js';
import { trainGbdt, type GbdtOptions } from '../model/gbdt.js';
import { trainMlp, type MlpOptions } from '../model/mlp.js';
import { fitNeuralNorm, neuralInput } from '../features/neural-inputs.js';
import { createScorer } from '../model/scorer.js';
import { quantiseVectors, type Calibration, type Model } from '../model/model.js';
import { fingerprintTraining } from '../model/fingerprints.js';
import type { ModelCard } from '../model/card.js';
import { claimFolds, claimsOf, syntheticUnrelated } from './folds.js';
import { fitCalibration } from './calibrate.js';
import { DEFAULT_PARAPHRASES, paraphrasedPairs, type ParaphraseOptions } from './paraphrase.js';

/** One labelled training pair. */
export interface TrainingPair {
  headline: string;
  bodyId: string;
  label: Label;
  /** Sample weight on top of the class weight [1], e.g. below 1 for a second domain's pairs. */
  weight?: number;
}

/** Word vectors offered to training: a lookup from lower-cased word to vector. */
export type EmbeddingLookup = (word: string) => ArrayLike<number> | undefined;

/** Training options; defaults are the shipped model's. */
export interface TrainOptions {
  seed?: number;
  gbdt?: GbdtOptions;
  /** Per-class sample weights (LABELS order) [see DEFAULT_CLASS_WEIGHTS]. */
  classWeights?: readonly number[];
  /** Word vectors; when absent the vector features are 0. */
  embeddings?: EmbeddingLookup;
  /** Minimum training frequency for a word to keep its vector [2]. */
  minVectorCount?: number;
  /** Features to switch off (set to 0), by name prefix, e.g. "cues." — for ablations. */
  disable?: readonly string[];
  /**
   * Pairs of a second domain (e.g. ARC's reader comments; their Body IDs in `bodies`, usually with
   * a `weight` below 1): extra training rows that add no words to the vocabulary, so the model
   * stays the same size; {@link trainCalibrated} never holds them out for calibration.
   */
  extraPairs?: readonly TrainingPair[];
  /**
   * Hard negatives: for each training headline, this many extra unrelated rows that put it over
   * the most similar training bodies of another claim ({@link hardNegatives}) [0 for trainModel;
   * trainCalibrated: {@link DEFAULT_HARD_NEGATIVES}].
   */
  hardNegatives?: number;
  /**
   * Copies of related pairs whose headline says some of the body's words with a synonym
   * ({@link paraphrasedPairs}) [none for trainModel; trainCalibrated: {@link DEFAULT_PARAPHRASES};
   * false: none].
   */
  paraphrases?: ParaphraseOptions | false;
  /** [trainCalibrated: {@link DEFAULT_HARD_NEGATIVES}] Only hard negatives whose headline has names ({@link claimNames}, sure ones) none of which the body uses [false]. */
  hardNegativeNamesMissing?: boolean;
  /** Progress: phase name, done, total. */
  onProgress?: (phase: string, done: number, total: number) => void;
  /** Card fields the caller knows (command, data description). */
  card?: Partial<ModelCard>;
  calibration?: Calibration;
  /** The neural learner's settings, or false to train trees only [DEFAULT_MLP]. */
  mlp?: (MlpOptions & { weight?: number }) | false;
}

/**
 * The neural learner blended with the trees: scores = trees + weight × MLP logits. The weight and
 * settings were chosen on the claim split's dev part (docs/MODEL.md); the inputs are the
 * standardised features and five GloVe blocks (claim, best sentence, product, |difference|, claim×body). Dev (claim split): trees alone 0.847 FNC / 0.656 macro-F1; w = 0.5: 0.857 / 0.648; w = 0.25: 0.857 / 0.662.
 */
export const DEFAULT_MLP: MlpOptions & { weight: number } = {
  weight: 0.25,
  hidden: 64,
  epochs: 6,
  dropout: 0.3,
  l2: 1e-4,
  learningRate: 1e-3,
  batchSize: 64,
};

/**
 * The version recorded in the card of every model this code trains. Bump it with the next shipped
 * model (any change to features or recipe): the corpus caches verdicts and audits per model
 * name@version. v1 and v2 (113 features) carried 1.0.0; the shipped model v3 (120 features, with
 * names.* and hard negatives) carries 1.1.0; v4 (the same features, trained with paraphrased
 * headlines) carries 1.2.0.
 */
export const MODEL_VERSION = '1.2.0';

/** Class weights that trade a little FNC score for much better disagree/agree recall. */
export const DEFAULT_CLASS_WEIGHTS: readonly number[] = [2, 6, 1.2, 1];

/** Builds the vocabulary (IDF and, if offered, compact word vectors) from training text only. */
export function buildVocabulary(
  bodies: Iterable<string>,
  headlines: Iterable<string>,
  embeddings?: EmbeddingLookup,
  minVectorCount = 2,
): Vocabulary {
  const docs: string[][] = [];
  const wordCounts = new Map<string, number>();
  let bodyLen = 0;
  let nBodies = 0;
  for (const b of bodies) {
    const toks = tokenize(normalizeText(b));
    const st = contentStems(toks);
    docs.push(st);
    bodyLen += st.length;
    nBodies++;
    for (const t of toks) if (!isStopword(t)) wordCounts.set(t, (wordCounts.get(t) ?? 0) + 1);
  }
  for (const h of headlines) {
    const toks = tokenize(normalizeText(h));
    docs.push(contentStems(toks));
    for (const t of toks) if (!isStopword(t)) wordCounts.set(t, (wordCounts.get(t) ?? 0) + 1);
  }
  const { idf, defaultIdf } = buildIdf(docs);
  const vocab: Vocabulary = { idf, defaultIdf, avgBodyLength: nBodies > 0 ? bodyLen / nBodies : 1, dim: 0 };
  if (embeddings) {
    const raw = new Map<string, Float32Array>();
    for (const [w, c] of wordCounts) {
      if (c < minVectorCount) continue;
      const v = embeddings(w);
      if (v) raw.set(w, Float32Array.from(v));
    }
    const first = raw.values().next().value;
    if (first) {
      vocab.vectors = quantiseVectors(raw);
      vocab.dim = first.length;
    }
  }
  return vocab;
}

/**
 * Unrelated pairs that are hard to tell from related ones: each headline of `pairs` over the
 * `perHeadline` bodies of `pairs` from other claims (connected components, {@link claimsOf}) that
 * share the most IDF-weighted content stems with it. FNC-1 calls every pair across claims
 * unrelated, so the labels are right. Pairs already in `pairs` are skipped. Deterministic.
 */
export function hardNegatives(
  pairs: readonly TrainingPair[],
  bodies: ReadonlyMap<string, string>,
  vocab: Vocabulary,
  perHeadline: number,
  namesMissing = false,
): TrainingPair[] {
  const claims = claimsOf(pairs);
  const seen = new Set(pairs.map((p) => `${p.headline}\u0000${p.bodyId}`));
  const ids = [...new Set(pairs.map((p) => p.bodyId))].sort();
  const stemSets = ids.map((id) => new Set(contentStems(tokenize(normalizeText(bodies.get(id) ?? '')))));
  const out: TrainingPair[] = [];
  for (const headline of [...new Set(pairs.map((p) => p.headline))].sort()) {
    const stems = [...new Set(contentStems(tokenize(normalizeText(headline))))];
    const weights = stems.map((st) => vocab.idf.get(st) ?? vocab.defaultIdf);
    const own = claims.headline.get(headline);
    const names = namesMissing ? claimNames(normalizeText(headline), vocab).filter((n) => n.sure) : [];
    if (namesMissing && names.length === 0) continue;
    const best: { id: string; score: number }[] = [];
    ids.forEach((id, b) => {
      if (claims.body.get(id) === own || seen.has(`${headline}\u0000${id}`)) return;
      const set = stemSets[b] as Set<string>;
      if (names.some((n) => set.has(n.stem))) return;
      let score = 0;
      for (let j = 0; j < stems.length; j++) if (set.has(stems[j] as string)) score += weights[j] as number;
      if (best.length === perHeadline && score <= (best[perHeadline - 1] as { score: number }).score) return;
      best.push({ id, score });
      best.sort((x, y) => y.score - x.score);
      if (best.length > perHeadline) best.pop();
    });
    for (const { id, score } of best) if (score > 0) out.push({ headline, bodyId: id, label: 'unrelated' });
  }
  return out;
}

/** Features of many pairs: columns for the trees, plus what the neural learner's input needs. */
export interface PairTable {
  /** cols[f][r]: feature f of pair r. */
  cols: Float64Array[];
  claims: ClaimFeatures[];
  bodies: BodyFeatures[];
  alignments: Float64Array[];
}

/** Computes the features of labelled pairs; each body and headline is prepared once. */
export function pairTable(
  pairs: readonly { headline: string; bodyId: string }[],
  bodies: ReadonlyMap<string, string>,
  vocab: Vocabulary,
  onProgress?: (done: number, total: number) => void,
  disable: readonly string[] = [],
): PairTable {
  const cols = Array.from({ length: NUM_FEATURES }, () => new Float64Array(pairs.length));
  const table: PairTable = { cols, claims: [], bodies: [], alignments: [] };
  const bodyCache = new Map<string, BodyFeatures>();
  const claimCache = new Map<string, ClaimFeatures>();
  const off = FEATURE_NAMES.map((n) => disable.some((d) => n.startsWith(d)));
  const buf = new Float64Array(NUM_FEATURES);
  pairs.forEach((p, r) => {
    let b = bodyCache.get(p.bodyId);
    if (!b) {
      const text = bodies.get(p.bodyId);
      if (text === undefined) {
        throw new StanceError(
          'UNKNOWN_BODY_ID',
          `a training pair names Body ID ${p.bodyId}; expected one of the bodies given`,
        );
      }
      b = prepareBody(text, vocab);
      bodyCache.set(p.bodyId, b);
    }
    let c = claimCache.get(p.headline);
    if (!c) {
      c = prepareClaim(p.headline, vocab);
      claimCache.set(p.headline, c);
    }
    const { features, alignment } = pairFeatures(c, b, vocab, buf);
    for (let f = 0; f < NUM_FEATURES; f++)
      (cols[f] as Float64Array)[r] = off[f] ? 0 : (features[f] as number);
    table.claims.push(c);
    table.bodies.push(b);
    table.alignments.push(alignment);
    if (onProgress && (r % 500 === 0 || r === pairs.length - 1)) onProgress(r + 1, pairs.length);
  });
  return table;
}

function row(cols: readonly Float64Array[], r: number, out: Float64Array): Float64Array {
  for (let f = 0; f < cols.length; f++) out[f] = (cols[f] as Float64Array)[r] as number;
  return out;
}

/** Raw (uncalibrated) scores of every pair of a table under a model. */
export function scoreTable(model: Pick<Model, 'ensemble' | 'mlp'>, table: PairTable): Float64Array[] {
  const score = createScorer(model);
  const x = new Float64Array(table.cols.length);
  return table.claims.map((c, r) =>
    Float64Array.from(
      score(row(table.cols, r, x), c, table.bodies[r] as BodyFeatures, table.alignments[r] as Float64Array),
    ),
  );
}

/** Default boosting settings of the shipped model. */
export const DEFAULT_GBDT: GbdtOptions = {
  rounds: 300,
  learningRate: 0.05,
  maxDepth: 6,
  minChildWeight: 2,
  lambda: 2,
  maxBins: 64,
  subsample: 0.8,
  colsample: 0.8,
};

/** Trains a model from labelled pairs. */
export function trainModel(
  mainPairs: readonly TrainingPair[],
  bodies: ReadonlyMap<string, string>,
  options: TrainOptions = {},
): Model {
  const started = Date.now();
  const seed = options.seed ?? 1;
  let pairs = mainPairs;
  const usedBodies = new Set(pairs.map((p) => p.bodyId));
  const headlines = new Set(pairs.map((p) => p.headline));
  options.onProgress?.('vocabulary', 0, 1);
  const vocab = buildVocabulary(
    [...usedBodies].map((id) => bodies.get(id) ?? ''),
    headlines,
    options.embeddings,
    options.minVectorCount ?? 2,
  );
  options.onProgress?.('vocabulary', 1, 1);
  const hard = options.hardNegatives
    ? hardNegatives(mainPairs, bodies, vocab, options.hardNegatives, options.hardNegativeNamesMissing)
    : [];
  if (hard.length > 0) pairs = [...pairs, ...hard];
  const paraphrased = options.paraphrases
    ? paraphrasedPairs(mainPairs, bodies, options.paraphrases, seed)
    : [];
  if (paraphrased.length > 0) pairs = [...pairs, ...paraphrased];
  // The vocabulary came from the main pairs only; a second domain adds rows, not words.
  if (options.extraPairs?.length) pairs = [...pairs, ...options.extraPairs];
  const table = pairTable(
    pairs,
    bodies,
    vocab,
    (d, t) => options.onProgress?.('features', d, t),
    options.disable,
  );
  const cols = table.cols;
  const labels = Int32Array.from(pairs, (p) => LABEL_INDEX[p.label]);
  const cw = options.classWeights ?? DEFAULT_CLASS_WEIGHTS;
  const weights = Float64Array.from(pairs, (p) => (cw[LABEL_INDEX[p.label]] ?? 1) * (p.weight ?? 1));
  const gbdtOptions: GbdtOptions = { ...DEFAULT_GBDT, ...options.gbdt, seed };
  const rounds = gbdtOptions.rounds ?? 300;
  const ensemble = trainGbdt(cols, labels, NUM_LABELS, weights, {
    ...gbdtOptions,
    onRound: (r) => options.onProgress?.('boosting', r, rounds),
  });
  let mlp: Model['mlp'];
  if (options.mlp !== false) {
    const mo = { ...DEFAULT_MLP, ...options.mlp };
    const x = new Float64Array(NUM_FEATURES);
    const norm = fitNeuralNorm(
      pairs.map((_, r) => Float64Array.from(row(cols, r, x))),
      { dim: vocab.dim },
    );
    const inputs = pairs.map((_, r) =>
      neuralInput(
        table.claims[r] as ClaimFeatures,
        table.bodies[r] as BodyFeatures,
        row(cols, r, x),
        table.alignments[r] as Float64Array,
        norm,
      ),
    );
    const net = trainMlp(inputs, labels, NUM_LABELS, weights, {
      ...mo,
      seed,
      onEpoch: (e, total) => options.onProgress?.('neural learner', e, total),
    });
    mlp = { weight: mo.weight, net, norm };
  }
  const labelCounts = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
  for (const p of mainPairs) labelCounts[p.label]++;
  const card: ModelCard = {
    name: 'stancecheck-fnc1',
    version: MODEL_VERSION,
    trainedAt: new Date().toISOString(),
    command: '',
    data: { bodies: '', stances: '', pairs: mainPairs.length, labelCounts },
    trainingSeconds: 0,
    seed,
    notes: [
      `gradient-boosted trees: ${rounds} rounds × ${NUM_LABELS} classes, depth ${gbdtOptions.maxDepth}, learning rate ${gbdtOptions.learningRate}`,
      mlp
        ? `blended with an MLP (${mlp.net.inputs} inputs, ${mlp.net.hidden} hidden ReLU units) at weight ${mlp.weight}: scores = trees + ${mlp.weight} × MLP logits`
        : 'trees only (no neural learner)',
      `class weights ${LABELS.map((l, i) => `${l} ${cw[i]}`).join(', ')}`,
      ...(hard.length > 0
        ? [
            `${hard.length} hard negatives (each headline over its ${options.hardNegatives} most similar bodies of another claim${options.hardNegativeNamesMissing ? ' that use none of its names' : ''}, unrelated)`,
          ]
        : []),
      ...(paraphrased.length > 0 && options.paraphrases
        ? [
            `${paraphrased.length} paraphrased headlines (related pairs again with some headline words said with a WordNet synonym, for ${Math.round(options.paraphrases.rate * 100)} % of them; weight ${options.paraphrases.weight})`,
          ]
        : []),
      `${NUM_FEATURES} features; vocabulary ${vocab.idf.size} stems; ${vocab.vectors ? `${vocab.vectors.size} word vectors (${vocab.dim}-d, int8)` : 'no word vectors'}`,
    ],
    ...options.card,
  };
  card.trainingSeconds = Math.round((Date.now() - started) / 100) / 10;
  return {
    card,
    vocab,
    featureNames: [...FEATURE_NAMES],
    ensemble,
    ...(mlp ? { mlp } : {}),
    calibration: options.calibration ?? { temperature: 1, bias: [0, 0, 0, 0] },
    // So that `eval` can warn when it scores pairs the model was trained on.
    training: fingerprintTraining(pairs, bodies),
  };
}

/**
 * Hard negatives of the shipped recipe (model v3, chosen on the claim split's dev part with the
 * seed op-ed as the deciding case, docs/MODEL.md "Model v3"): one per headline, only bodies that
 * use none of the headline's names.
 */
export const DEFAULT_HARD_NEGATIVES = { perHeadline: 1, namesMissing: true } as const;

/** Options of {@link trainCalibrated}. */
export interface CalibratedTrainOptions extends TrainOptions {
  /** Claim-disjoint folds for out-of-fold calibration [4]. */
  folds?: number;
  /** Fit per-class decision biases [true]; false keeps only the temperature (ablation). */
  calibrationBias?: boolean;
}

/**
 * With the recipe's defaults filled in: hard negatives ({@link DEFAULT_HARD_NEGATIVES}) and
 * paraphrased headlines ({@link DEFAULT_PARAPHRASES}) as shipped.
 */
function calibratedDefaults(options: CalibratedTrainOptions): CalibratedTrainOptions {
  return {
    ...options,
    hardNegatives: options.hardNegatives ?? DEFAULT_HARD_NEGATIVES.perHeadline,
    paraphrases: options.paraphrases ?? DEFAULT_PARAPHRASES,
    hardNegativeNamesMissing: options.hardNegativeNamesMissing ?? DEFAULT_HARD_NEGATIVES.namesMissing,
  };
}

/**
 * The out-of-fold scores {@link trainCalibrated} fits its calibration on: k models on
 * claim-disjoint folds, each scoring its held-out fold plus synthetic unrelated pairs that restore
 * the unrelated share (most unrelated pairs cross two folds and are dropped). Exported for
 * experiments on the calibration (scripts/bias-landscape.ts).
 */
export function outOfFoldScores(
  pairs: readonly TrainingPair[],
  bodies: ReadonlyMap<string, string>,
  options: CalibratedTrainOptions = {},
): { scores: Float64Array[]; gold: Label[] } {
  options = calibratedDefaults(options);
  const k = options.folds ?? 4;
  const seed = options.seed ?? 1;
  const claims = claimsOf(pairs);
  const folds = claimFolds(pairs, k, seed, claims);
  const unrelatedShare = pairs.filter((p) => p.label === 'unrelated').length / Math.max(1, pairs.length);
  const scores: Float64Array[] = [];
  const gold: Label[] = [];
  for (let f = 0; f < k; f++) {
    const trainPart = pairs.filter((_, i) => folds[i] !== f && folds[i] !== -1);
    const heldIdx = pairs.map((_, i) => i).filter((i) => folds[i] === f);
    const natural = heldIdx.map((i) => pairs[i] as TrainingPair);
    const held = [
      ...natural,
      ...syntheticUnrelated(natural, claims, unrelatedShare, seed + f, (headline, bodyId) => ({
        headline,
        bodyId,
        label: 'unrelated' as const,
      })),
    ];
    const m = trainModel(trainPart, bodies, {
      ...options,
      onProgress: (phase, d, t) => options.onProgress?.(`fold ${f + 1}/${k} ${phase}`, d, t),
    });
    scores.push(...scoreTable(m, pairTable(held, bodies, m.vocab, undefined, options.disable)));
    gold.push(...held.map((p) => p.label));
  }
  return { scores, gold };
}

/**
 * Trains the shipped kind of model: k models on claim-disjoint folds give out-of-fold scores for
 * the training pairs ({@link outOfFoldScores}); biases and temperature are fitted on those; then
 * one model is trained on all pairs and given that calibration. Nothing outside `pairs` is looked
 * at. `extraPairs` (a second domain) join every fold's training part and the final model, and are
 * never held out, so the calibration is fitted on the main domain only.
 */
export function trainCalibrated(
  pairs: readonly TrainingPair[],
  bodies: ReadonlyMap<string, string>,
  options: CalibratedTrainOptions = {},
): Model {
  const started = Date.now();
  options = calibratedDefaults(options);
  const k = options.folds ?? 4;
  const { scores: oofScores, gold: oofGold } = outOfFoldScores(pairs, bodies, options);
  options.onProgress?.('calibration', 0, 1);
  const calibration = fitCalibration(oofScores, oofGold, options.calibrationBias !== false);
  options.onProgress?.('calibration', 1, 1);
  const model = trainModel(pairs, bodies, {
    ...options,
    calibration,
    onProgress: (phase, d, t) => options.onProgress?.(`final ${phase}`, d, t),
  });
  model.card.notes = [
    ...(model.card.notes ?? []),
    `calibration from ${oofScores.length} out-of-fold pairs (${k} claim-disjoint folds): bias ${calibration.bias.map((b) => b.toFixed(1)).join(' ')}, temperature ${calibration.temperature}`,
  ];
  model.card.trainingSeconds = Math.round((Date.now() - started) / 100) / 10;
  return model;
}
