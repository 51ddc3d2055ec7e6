/**
 * The in-memory model and its versioned, compact serialised form (a JSON document with typed
 * arrays in base64; adapters gzip it). The document and every invariant prediction relies on are
 * described in model-schema.ts; decodeModel refuses anything else with a coded error that names
 * the field, what was expected and what was found.
 */
import { StanceError } from '../errors.js';
import type { Vocabulary } from '../features/vocabulary.js';
import type { Tree, TreeEnsemble } from './gbdt.js';
import type { ModelCard } from './card.js';
import { LABELS } from '../labels.js';
import type { Mlp } from './mlp.js';
import type { NeuralNorm } from '../features/neural-inputs.js';
import type { TrainingFingerprints } from './fingerprints.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  encodeArray as enc,
  issuePath,
  modelDocumentSchema,
  type DecodedDocument,
  type ModelDocument,
} from './model-schema.js';

export { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelDocument };

/**
 * Turns raw class scores into decisions and calibrated probabilities:
 * label = argmax(score + bias), probabilities = softmax((score + bias) / temperature).
 */
export interface Calibration {
  /** Fitted for log-loss on claim-disjoint out-of-fold scores; changes no decision. */
  temperature: number;
  /** Added to each class's score (LABELS order); chosen for macro-F1 + FNC on out-of-fold scores. */
  bias: number[];
}

/** Everything a checker needs. */
export interface Model {
  card: ModelCard;
  vocab: Vocabulary;
  featureNames: readonly string[];
  ensemble: TreeEnsemble;
  /** The neural learner, blended into the trees' scores with `weight`, when the model has one. */
  mlp?: { weight: number; net: Mlp; norm: NeuralNorm };
  calibration: Calibration;
  /** Fingerprints of the training pairs (for the train/test overlap warning), when recorded. */
  training?: TrainingFingerprints;
}

/** Serialises a model. Vectors are quantised to int8 with one scale per word. */
export function encodeModel(model: Model): ModelDocument {
  const stems = [...model.vocab.idf.keys()];
  const idf = Float32Array.from(stems, (s) => model.vocab.idf.get(s) ?? 0);
  const trees = model.ensemble.trees;
  const total = trees.reduce((n, t) => n + t.feature.length, 0);
  const sizes = new Int32Array(trees.length);
  const feature = new Int16Array(total);
  const threshold = new Float32Array(total);
  const left = new Int32Array(total);
  const value = new Float32Array(total);
  let o = 0;
  trees.forEach((t, ti) => {
    sizes[ti] = t.feature.length;
    for (let i = 0; i < t.feature.length; i++, o++) {
      // Internal nodes keep their right child in the value slot (they have no value); leaves have left = -1.
      feature[o] = t.feature[i] as number;
      threshold[o] = t.threshold[i] as number;
      left[o] = t.left[i] as number;
      value[o] = (t.left[i] as number) < 0 ? (t.value[i] as number) : (t.right[i] as number);
    }
  });
  const doc: ModelDocument = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    labels: [...LABELS],
    card: model.card,
    featureNames: [...model.featureNames],
    vocab: {
      stems: stems.join('\n'),
      idf: enc(idf),
      defaultIdf: model.vocab.defaultIdf,
      avgBodyLength: model.vocab.avgBodyLength,
    },
    ensemble: {
      // Written as the model has them; decodeModel refuses a count this code does not use.
      numClass: model.ensemble.numClass as ModelDocument['ensemble']['numClass'],
      numFeatures: model.ensemble.numFeatures,
      baseScore: model.ensemble.baseScore,
      sizes: enc(sizes),
      feature: enc(feature),
      threshold: enc(threshold),
      left: enc(left),
      value: enc(value),
    },
    calibration: model.calibration,
  };
  if (model.training) {
    const { headlines, bodies, pairs } = model.training;
    doc.training = { headlines: enc(headlines), bodies: enc(bodies), pairs: enc(pairs) };
  }
  if (model.mlp) {
    const { weight, net, norm } = model.mlp;
    doc.mlp = {
      weight,
      inputs: net.inputs,
      hidden: net.hidden,
      w1: enc(net.w1),
      b1: enc(net.b1),
      w2: enc(net.w2),
      b2: enc(net.b2),
      mean: enc(norm.mean),
      std: enc(norm.std),
      dim: norm.dim,
      hashBits: 0,
    };
  }
  const vectors = model.vocab.vectors;
  if (vectors && model.vocab.dim > 0) {
    const words = [...vectors.keys()];
    const dim = model.vocab.dim;
    const scales = new Float32Array(words.length);
    const data = new Int8Array(words.length * dim);
    words.forEach((w, i) => {
      const v = vectors.get(w) as Float32Array;
      let m = 0;
      for (const x of v) m = Math.max(m, Math.abs(x));
      const sc = m / 127 || 1;
      scales[i] = sc;
      for (let d = 0; d < dim; d++) data[i * dim + d] = Math.round((v[d] as number) / sc);
    });
    doc.vectors = { words: words.join('\n'), dim, scales: enc(scales), data: enc(data) };
  }
  return doc;
}

/** Rounds vectors through int8 exactly as a saved model will hold them (so training sees what inference sees). */
export function quantiseVectors(vectors: ReadonlyMap<string, Float32Array>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [w, v] of vectors) {
    let m = 0;
    for (const x of v) m = Math.max(m, Math.abs(x));
    const sc = Math.fround(m / 127 || 1);
    out.set(w, normalise(Float32Array.from(v, (x) => Math.round(x / sc) * sc)));
  }
  return out;
}

function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
  return v;
}

/** int8 rows × their scales, each row then {@link normalise}d, in one block. */
function dequantise(data: Int8Array, scales: Float32Array, dim: number): Float32Array {
  const rows = scales.length;
  const out = new Float32Array(rows * dim);
  for (let r = 0, o = 0; r < rows; r++, o += dim) {
    const s = scales[r] as number;
    for (let k = 0; k < dim; k++) out[o + k] = (data[o + k] as number) * s;
    normalise(out.subarray(o, o + dim));
  }
  return out;
}

/** The envelope first: a version this code does not know is MODEL_VERSION, not a damaged file. */
function checkEnvelope(raw: unknown): void {
  const doc =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : undefined;
  if (!doc) {
    throw new StanceError(
      'MODEL_INVALID',
      `not a usable stancecheck model: expected a JSON object, found ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw ?? null)}`,
    );
  }
  if (doc.format !== MODEL_FORMAT) {
    throw new StanceError(
      'MODEL_INVALID',
      `not a usable stancecheck model: expected format "${MODEL_FORMAT}", found ${JSON.stringify(doc.format ?? null)}`,
    );
  }
  if (doc.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new StanceError(
      'MODEL_VERSION',
      `this model file has format version ${JSON.stringify(doc.formatVersion ?? null)}, but this stancecheck reads version ${MODEL_FORMAT_VERSION} only; ` +
        `use the stancecheck release that wrote it, or retrain with \`stancecheck train\``,
    );
  }
}

/** Flat node arrays → trees (a split keeps its right child in the value slot). */
function treesOf(e: DecodedDocument['ensemble']): Tree[] {
  const trees: Tree[] = [];
  let o = 0;
  for (const size of e.sizes) {
    const t: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    for (let i = 0; i < size; i++, o++) {
      const l = e.left[o] as number;
      const isLeaf = l < 0;
      t.feature.push(e.feature[o] as number);
      t.threshold.push(e.threshold[o] as number);
      t.left.push(l);
      t.right.push(isLeaf ? -1 : (e.value[o] as number));
      t.value.push(isLeaf ? (e.value[o] as number) : 0);
    }
    trees.push(t);
  }
  return trees;
}

/**
 * Checks and decodes a parsed model file. Every failure is a StanceError: MODEL_VERSION for a
 * format version this code does not know, MODEL_INVALID for anything else.
 */
export function decodeModel(raw: unknown): Model {
  checkEnvelope(raw);
  const parsed = modelDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${issuePath(i.path) || 'document'}: ${i.message}`);
    const more =
      parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more problems)` : '';
    throw new StanceError('MODEL_INVALID', `not a usable stancecheck model: ${issues.join('; ')}${more}`);
  }
  const d = parsed.data;
  const idf = new Map<string, number>();
  d.vocab.stems.forEach((s, i) => idf.set(s, d.vocab.idf[i] as number));
  const vocab: Vocabulary = {
    idf,
    defaultIdf: d.vocab.defaultIdf,
    avgBodyLength: d.vocab.avgBodyLength,
    dim: 0,
  };
  if (d.vectors) {
    const { words, dim, scales, data } = d.vectors;
    // One block for every vector (a view per word): a new array and a closure call per word took
    // longer at start-up.
    const block = dequantise(data, scales, dim);
    const vectors = new Map<string, Float32Array>();
    words.forEach((w, i) => vectors.set(w, block.subarray(i * dim, (i + 1) * dim)));
    vocab.vectors = vectors;
    vocab.dim = dim;
  }
  const e = d.ensemble;
  const m = d.mlp;
  return {
    card: d.card,
    vocab,
    featureNames: d.featureNames,
    ensemble: { numClass: e.numClass, numFeatures: e.numFeatures, baseScore: e.baseScore, trees: treesOf(e) },
    ...(m
      ? {
          mlp: {
            weight: m.weight,
            net: {
              inputs: m.inputs,
              hidden: m.hidden,
              numClass: LABELS.length,
              w1: m.w1,
              b1: m.b1,
              w2: m.w2,
              b2: m.b2,
            },
            norm: { mean: m.mean, std: m.std, dim: m.dim },
          },
        }
      : {}),
    calibration: d.calibration,
    ...(d.training ? { training: d.training } : {}),
  };
}
