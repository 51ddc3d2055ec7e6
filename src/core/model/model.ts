/**
 * The in-memory model and its versioned, compact serialised form (a JSON document with typed
 * arrays in base64; adapters gzip it). decodeModel checks the format and version and refuses
 * anything else with a plain message.
 */
import { StanceError } from '../errors.js';
import { FEATURE_NAMES } from '../features/extract.js';
import type { Vocabulary } from '../features/vocabulary.js';
import type { Tree, TreeEnsemble } from './gbdt.js';
import type { ModelCard } from './card.js';
import { LABELS, NUM_LABELS } from '../labels.js';
import type { Mlp } from './mlp.js';
import type { NeuralNorm } from '../features/neural-inputs.js';

/** Marker in every model file. */
export const MODEL_FORMAT = 'stancecheck-model';
/** The one format version this code reads and writes. */
export const MODEL_FORMAT_VERSION = 1;

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
}

/** Serialised model (what goes into the file, before gzip). */
export interface ModelDocument {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  labels: readonly string[];
  card: ModelCard;
  featureNames: string[];
  vocab: { stems: string; idf: string; defaultIdf: number; avgBodyLength: number };
  vectors?: { words: string; dim: number; scales: string; data: string };
  ensemble: {
    numClass: number;
    numFeatures: number;
    baseScore: number[];
    /** Nodes per tree. */
    sizes: string;
    feature: string;
    threshold: string;
    left: string;
    value: string;
  };
  mlp?: {
    weight: number;
    inputs: number;
    hidden: number;
    w1: string;
    b1: string;
    w2: string;
    b2: string;
    mean: string;
    std: string;
    dim: number;
    hashBits: number;
  };
  calibration: Calibration;
}

// --- base64 typed arrays (works in Node and browsers via atob/btoa fallbacks) ---
function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const CH = 0x8000;
  for (let i = 0; i < bytes.length; i += CH) s += String.fromCharCode(...bytes.subarray(i, i + CH));
  return btoa(s);
}
function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
const enc = (a: Float32Array | Int32Array | Int16Array | Int8Array | Uint16Array): string =>
  bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
function dec<T>(b64: string, Ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, what: string): T {
  const bytes = base64ToBytes(b64);
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
    throw new StanceError('MODEL_INVALID', `stancecheck: model file is damaged: ${what} has ${bytes.byteLength} bytes, not a multiple of ${Ctor.BYTES_PER_ELEMENT}`);
  }
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
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
    labels: LABELS,
    card: model.card,
    featureNames: [...model.featureNames],
    vocab: {
      stems: stems.join('\n'),
      idf: enc(idf),
      defaultIdf: model.vocab.defaultIdf,
      avgBodyLength: model.vocab.avgBodyLength,
    },
    ensemble: {
      numClass: model.ensemble.numClass,
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
      hashBits: norm.hashBits,
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
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
  return v;
}

function fail(what: string): never {
  throw new StanceError('MODEL_INVALID', `stancecheck: not a usable stancecheck model: ${what}`);
}

/** Checks and decodes a parsed model file. */
export function decodeModel(raw: unknown): Model {
  if (typeof raw !== 'object' || raw === null) fail('expected a JSON object');
  const doc = raw as Partial<ModelDocument>;
  if (doc.format !== MODEL_FORMAT) fail(`expected format "${MODEL_FORMAT}", found ${JSON.stringify(doc.format ?? null)}`);
  if (doc.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new StanceError(
      'MODEL_VERSION',
      `stancecheck: this model file has format version ${String(doc.formatVersion)}, but this stancecheck reads version ${MODEL_FORMAT_VERSION} only; ` +
        `use the stancecheck release that wrote it, or retrain with \`stancecheck train\``,
    );
  }
  if (!Array.isArray(doc.labels) || doc.labels.join() !== LABELS.join()) fail(`expected labels ${LABELS.join(',')}, found ${String(doc.labels)}`);
  if (!Array.isArray(doc.featureNames) || doc.featureNames.join() !== FEATURE_NAMES.join()) {
    fail('its feature set differs from this stancecheck\'s; retrain with `stancecheck train`');
  }
  const card = doc.card;
  const v = doc.vocab;
  const e = doc.ensemble;
  const cal = doc.calibration;
  if (!card || typeof card !== 'object' || typeof card.name !== 'string') fail('missing model card');
  if (!v || typeof v.stems !== 'string' || typeof v.idf !== 'string') fail('missing vocabulary');
  if (!e || e.numClass !== NUM_LABELS || e.numFeatures !== FEATURE_NAMES.length || !Array.isArray(e.baseScore)) fail('missing or wrong tree ensemble');
  if (!cal || typeof cal.temperature !== 'number' || !(cal.temperature > 0) || !Array.isArray(cal.bias) || cal.bias.length !== NUM_LABELS) fail('missing calibration');

  const stems = v.stems === '' ? [] : v.stems.split('\n');
  const idfValues = dec(v.idf, Float32Array, 'idf');
  if (idfValues.length !== stems.length) fail(`vocabulary has ${stems.length} stems but ${idfValues.length} idf values`);
  const idf = new Map<string, number>();
  stems.forEach((s, i) => idf.set(s, idfValues[i] as number));

  const sizes = dec(e.sizes, Int32Array, 'tree sizes');
  const feature = dec(e.feature, Int16Array, 'tree features');
  const threshold = dec(e.threshold, Float32Array, 'tree thresholds');
  const left = dec(e.left, Int32Array, 'tree children');
  const value = dec(e.value, Float32Array, 'tree values');
  const total = sizes.reduce((a, b) => a + b, 0);
  if (feature.length !== total || threshold.length !== total || left.length !== total || value.length !== total) fail('tree arrays disagree in length');
  const trees: Tree[] = [];
  let o = 0;
  for (const size of sizes) {
    const t: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    for (let i = 0; i < size; i++, o++) {
      const l = left[o] as number;
      const isLeaf = l < 0;
      const f = feature[o] as number;
      if (!isLeaf && (f < 0 || f >= e.numFeatures || l >= size || (value[o] as number) >= size)) fail('a tree node points outside its tree');
      t.feature.push(f);
      t.threshold.push(threshold[o] as number);
      t.left.push(l);
      t.right.push(isLeaf ? -1 : (value[o] as number));
      t.value.push(isLeaf ? (value[o] as number) : 0);
    }
    trees.push(t);
  }

  const vocab: Vocabulary = { idf, defaultIdf: v.defaultIdf, avgBodyLength: v.avgBodyLength, dim: 0 };
  if (doc.vectors) {
    const { words, dim, scales, data } = doc.vectors;
    const ws = words === '' ? [] : words.split('\n');
    const sc = dec(scales, Float32Array, 'vector scales');
    const q = dec(data, Int8Array, 'vectors');
    if (sc.length !== ws.length || q.length !== ws.length * dim) fail('word vectors disagree in length');
    const vectors = new Map<string, Float32Array>();
    ws.forEach((w, i) => {
      const vec = new Float32Array(dim);
      const s = sc[i] as number;
      for (let d = 0; d < dim; d++) vec[d] = (q[i * dim + d] as number) * s;
      vectors.set(w, normalise(vec));
    });
    vocab.vectors = vectors;
    vocab.dim = dim;
  }
  let mlp: Model['mlp'];
  if (doc.mlp) {
    const m = doc.mlp;
    const net: Mlp = {
      inputs: m.inputs,
      hidden: m.hidden,
      numClass: NUM_LABELS,
      w1: dec(m.w1, Float32Array, 'mlp w1'),
      b1: dec(m.b1, Float32Array, 'mlp b1'),
      w2: dec(m.w2, Float32Array, 'mlp w2'),
      b2: dec(m.b2, Float32Array, 'mlp b2'),
    };
    const norm: NeuralNorm = { mean: dec(m.mean, Float32Array, 'mlp mean'), std: dec(m.std, Float32Array, 'mlp std'), dim: m.dim, hashBits: m.hashBits };
    if (
      typeof m.weight !== 'number' ||
      net.w1.length !== m.inputs * m.hidden ||
      net.b1.length !== m.hidden ||
      net.w2.length !== m.hidden * NUM_LABELS ||
      net.b2.length !== NUM_LABELS ||
      norm.mean.length !== e.numFeatures ||
      norm.std.length !== e.numFeatures ||
      m.inputs !== norm.mean.length + 5 * m.dim + (m.hashBits > 0 ? 2 << m.hashBits : 0) ||
      m.dim !== vocab.dim
    ) {
      fail('the neural learner\'s arrays disagree in size');
    }
    mlp = { weight: m.weight, net, norm };
  }
  return {
    card,
    vocab,
    featureNames: doc.featureNames,
    ...(mlp ? { mlp } : {}),
    ensemble: { numClass: e.numClass, numFeatures: e.numFeatures, baseScore: e.baseScore, trees },
    calibration: cal,
  };
}
