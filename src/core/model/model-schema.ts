/**
 * The model file, described once: a zod schema of the JSON document (typed arrays travel as
 * base64) plus every invariant prediction relies on, checked here and nowhere else. A document
 * that passes is safe to predict with: every number is finite, every declared size matches the
 * array it describes and is bounded (so no declared size can make the loader allocate more than
 * the file holds), and every tree walk ends (a split's left child is the next node, its right
 * child lies further on in the same tree). zod is pure, so the schema lives in the core.
 */
import { z } from 'zod';
import { FEATURE_NAMES } from '../features/extract.js';
import { LABELS, NUM_LABELS } from '../labels.js';

/** Marker in every model file. */
export const MODEL_FORMAT = 'stancecheck-model';
/** The one format version this code reads and writes. */
export const MODEL_FORMAT_VERSION = 1;

/** Bounds on declared sizes, far above any real model's (100-d vectors, 64 hidden units, no bag). */
export const MODEL_LIMITS = { maxDim: 1024, maxHidden: 4096 } as const;

// --- base64 typed arrays (atob/btoa: Node and browsers) ---

type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array;
interface TypedArrayCtor<T> {
  new (buffer: ArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

/** Standard base64 with padding; checked by hand in one linear pass (atob alone is lenient). */
function base64Problem(s: string): string | undefined {
  if (s.length % 4 !== 0) return `a length that is a multiple of 4, found ${s.length} characters`;
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  if (bad) return `only A-Z a-z 0-9 + / =, found ${JSON.stringify(bad[0])} at character ${bad.index}`;
  const pad = s.indexOf('=');
  if (pad >= 0 && pad < s.length - 2) return `"=" only as padding at the end, found it at character ${pad}`;
  if (pad >= 0 && s[s.length - 1] !== '=')
    return `"=" only as padding at the end, found it at character ${pad}`;
  return undefined;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each character code's 6 bits, −1 for a character outside the alphabet. */
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUE[BASE64_ALPHABET.charCodeAt(i)] = i;

const sextet = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c < 128 ? (BASE64_VALUE[c] as number) : -1;
};

/**
 * Standard base64 with padding decoded in one pass, straight into bytes (atob builds a string of
 * them first, which took most of a model's decoding time); the same bytes as atob for every string
 * {@link base64Problem} accepts, and undefined for every string it refuses.
 */
export function decodeBase64(s: string): Uint8Array | undefined {
  const n = s.length;
  if (n % 4 !== 0) return undefined;
  const pad = n === 0 || s.charCodeAt(n - 1) !== 61 ? 0 : s.charCodeAt(n - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - pad);
  const whole = pad === 0 ? n : n - 4;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    const c = sextet(s, i + 2);
    const d = sextet(s, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad > 0) {
    const a = sextet(s, whole);
    const b = sextet(s, whole + 1);
    const c = pad === 1 ? sextet(s, whole + 2) : 0;
    if ((a | b | c) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o] = v >> 16;
    if (pad === 1) out[o + 1] = (v >> 8) & 255;
  }
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const CH = 0x8000;
  for (let i = 0; i < bytes.length; i += CH) s += String.fromCharCode(...bytes.subarray(i, i + CH));
  return btoa(s);
}

/** Base64 of a typed array's bytes (little-endian, as every supported platform stores them). */
export function encodeArray(a: TypedArray): string {
  return bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/**
 * A base64 string decoded into a typed array; float arrays must hold finite numbers only.
 * The array is as large as the string allows, never larger.
 */
function typedArray<T extends TypedArray>(Ctor: TypedArrayCtor<T>) {
  return z.string().transform((s, ctx): T => {
    const bytes = decodeBase64(s);
    if (!bytes) {
      const problem = base64Problem(s) ?? 'standard base64';
      ctx.issues.push({ code: 'custom', message: `expected base64 with ${problem}`, input: s });
      return z.NEVER;
    }
    if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) {
      ctx.issues.push({
        code: 'custom',
        message: `expected a whole number of ${Ctor.BYTES_PER_ELEMENT}-byte values, found ${bytes.length} bytes`,
        input: s,
      });
      return z.NEVER;
    }
    const buf = bytes.buffer as ArrayBuffer;
    const out = new Ctor(buf);
    if (out instanceof Float32Array || out instanceof Float64Array) {
      const i = out.findIndex((v) => !Number.isFinite(v));
      if (i >= 0) {
        ctx.issues.push({
          code: 'custom',
          message: `expected finite numbers, found ${out[i]} at index ${i}`,
          input: s,
        });
        return z.NEVER;
      }
    }
    return out;
  });
}
const f32 = typedArray(Float32Array);
const f64 = typedArray(Float64Array);
const i32 = typedArray(Int32Array);
const i16 = typedArray(Int16Array);
const i8 = typedArray(Int8Array);

/** Newline-separated words ('' = none). */
const wordList = z.string().transform((s) => (s === '' ? [] : s.split('\n')));

const sameList = (expected: readonly string[], what: string, hint = '') =>
  z.array(z.string()).refine((a) => a.length === expected.length && a.every((x, i) => x === expected[i]), {
    error: (iss) => {
      const found = Array.isArray(iss.input) ? (iss.input as unknown[]) : [];
      const diff = found.findIndex((x, i) => x !== expected[i]);
      const at =
        found.length !== expected.length
          ? `${found.length} ${what}`
          : `${JSON.stringify(found[diff])} at position ${diff + 1} where ${JSON.stringify(expected[diff])} belongs`;
      return `expected the ${expected.length} ${what} of this stancecheck, found ${at}${hint}`;
    },
  });

const count = z.int().nonnegative();
const perLabel = <T extends z.ZodType>(v: T) => z.object({ agree: v, disagree: v, discuss: v, unrelated: v });

const metricsSchema = z.object({
  fnc: z.number(),
  macroF1: z.number(),
  accuracy: z.number(),
  perClass: perLabel(z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: count })),
  confusion: z.array(z.array(count).length(NUM_LABELS)).length(NUM_LABELS),
  ece: z.number().optional(),
  reliability: z
    .array(
      z.object({ lower: z.number(), upper: z.number(), count, confidence: z.number(), accuracy: z.number() }),
    )
    .optional(),
  pairs: count,
});

/** The model card (see card.ts). */
export const cardSchema = z.object({
  name: z.string().min(1),
  version: z.string(),
  trainedAt: z.string(),
  command: z.string(),
  data: z.object({ bodies: z.string(), stances: z.string(), pairs: count, labelCounts: perLabel(count) }),
  dev: metricsSchema.extend({ stances: z.string() }).optional(),
  trainingSeconds: z.number().nonnegative(),
  seed: z.number(),
  notes: z.array(z.string()).optional(),
});

const numberList = (n: number) => z.array(z.number()).length(n);

/** The serialised model, as a zod schema (before the invariants that span several fields). */
const documentShape = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.literal(MODEL_FORMAT_VERSION),
  labels: sameList(LABELS, 'labels'),
  card: cardSchema,
  featureNames: sameList(FEATURE_NAMES, 'feature names', '; retrain with `stancecheck train`'),
  vocab: z.object({
    stems: wordList,
    idf: f32,
    defaultIdf: z.number().positive(),
    avgBodyLength: z.number().positive(),
  }),
  vectors: z
    .object({ words: wordList, dim: z.int().min(1).max(MODEL_LIMITS.maxDim), scales: f32, data: i8 })
    .optional(),
  ensemble: z.object({
    numClass: z.literal(NUM_LABELS),
    numFeatures: z.literal(FEATURE_NAMES.length),
    baseScore: numberList(NUM_LABELS),
    /** Nodes per tree. */
    sizes: i32,
    feature: i16,
    threshold: f32,
    left: i32,
    /** Leaf value, or for a split its right child's index. */
    value: f32,
  }),
  mlp: z
    .object({
      weight: z.number(),
      inputs: z.int().positive(),
      hidden: z.int().min(1).max(MODEL_LIMITS.maxHidden),
      w1: f32,
      b1: f32,
      w2: f32,
      b2: f32,
      mean: f32,
      std: f32,
      dim: z.int().min(0).max(MODEL_LIMITS.maxDim),
      /** Always 0: a hashed bag of claim stems was an experiment, its code is gone. */
      hashBits: z.literal(0),
    })
    .optional(),
  calibration: z.object({ temperature: z.number().positive(), bias: numberList(NUM_LABELS) }),
  /** Fingerprints of the training data (fingerprints.ts); optional, older models lack them. */
  training: z.object({ headlines: f64, bodies: f64, pairs: f64 }).optional(),
});

/** A decoded document: what the schema gives once every check passed. */
export type DecodedDocument = z.output<typeof documentShape>;

type Issue = { path: (string | number)[]; message: string };

/** The invariants that span fields: sizes against arrays, tree structure, fingerprints. */
function invariants(d: DecodedDocument): Issue | undefined {
  const sizeIssue = (
    path: (string | number)[],
    what: string,
    expected: number,
    found: number,
  ): Issue | undefined =>
    expected === found ? undefined : { path, message: `expected ${expected} ${what}, found ${found}` };

  const v = d.vocab;
  const vocabIssue = sizeIssue(['vocab', 'idf'], 'idf values (one per stem)', v.stems.length, v.idf.length);
  if (vocabIssue) return vocabIssue;

  if (d.vectors) {
    const { words, dim, scales, data } = d.vectors;
    const issue =
      sizeIssue(['vectors', 'scales'], 'scales (one per word)', words.length, scales.length) ??
      sizeIssue(
        ['vectors', 'data'],
        `vector components (${words.length} words × ${dim})`,
        words.length * dim,
        data.length,
      );
    if (issue) return issue;
  }

  const e = d.ensemble;
  let total = 0;
  for (let t = 0; t < e.sizes.length; t++) {
    const size = e.sizes[t] as number;
    if (size < 1)
      return { path: ['ensemble', 'sizes', t], message: `expected a tree of at least 1 node, found ${size}` };
    total += size;
  }
  for (const key of ['feature', 'threshold', 'left', 'value'] as const) {
    const issue = sizeIssue(['ensemble', key], 'nodes (the sum of the tree sizes)', total, e[key].length);
    if (issue) return issue;
  }
  let o = 0;
  for (let t = 0; t < e.sizes.length; t++) {
    const size = e.sizes[t] as number;
    for (let i = 0; i < size; i++, o++) {
      const at = (key: string, message: string): Issue => ({
        path: ['ensemble', key, o],
        message: `tree ${t}, node ${i}: ${message}`,
      });
      const left = e.left[o] as number;
      if (left === -1) continue; // a leaf: its value is finite (checked on decoding)
      if (left !== i + 1) {
        return at(
          'left',
          `expected -1 (a leaf) or the next node ${i + 1} as left child (trees are stored depth-first), found ${left}`,
        );
      }
      if (i + 1 >= size) return at('left', `left child ${left} lies outside the tree's ${size} nodes`);
      const right = e.value[o] as number;
      if (!Number.isInteger(right) || right <= i + 1 || right >= size) {
        return at(
          'value',
          `expected a right child after the left child and inside the tree (${i + 2}..${size - 1}), found ${right}`,
        );
      }
      const f = e.feature[o] as number;
      if (f < 0 || f >= e.numFeatures)
        return at('feature', `expected a feature index 0..${e.numFeatures - 1}, found ${f}`);
    }
  }

  if (d.mlp) {
    const m = d.mlp;
    const dim = d.vectors?.dim ?? 0;
    const inputs = e.numFeatures + 5 * m.dim;
    const issue =
      sizeIssue(['mlp', 'dim'], "as vector dimension (the vocabulary's)", dim, m.dim) ??
      sizeIssue(
        ['mlp', 'inputs'],
        `inputs (${e.numFeatures} features + 5 × ${m.dim} vector components)`,
        inputs,
        m.inputs,
      ) ??
      sizeIssue(
        ['mlp', 'w1'],
        `first-layer weights (${m.inputs} × ${m.hidden})`,
        m.inputs * m.hidden,
        m.w1.length,
      ) ??
      sizeIssue(['mlp', 'b1'], 'first-layer biases', m.hidden, m.b1.length) ??
      sizeIssue(
        ['mlp', 'w2'],
        `output weights (${m.hidden} × ${NUM_LABELS})`,
        m.hidden * NUM_LABELS,
        m.w2.length,
      ) ??
      sizeIssue(['mlp', 'b2'], 'output biases', NUM_LABELS, m.b2.length) ??
      sizeIssue(['mlp', 'mean'], 'feature means', e.numFeatures, m.mean.length) ??
      sizeIssue(['mlp', 'std'], 'feature deviations', e.numFeatures, m.std.length);
    if (issue) return issue;
    const k = m.std.findIndex((s) => !(s > 0));
    if (k >= 0)
      return { path: ['mlp', 'std', k], message: `expected a positive deviation, found ${m.std[k]}` };
  }

  if (d.training) {
    for (const key of ['headlines', 'bodies', 'pairs'] as const) {
      const a = d.training[key];
      for (let i = 0; i < a.length; i++) {
        const x = a[i] as number;
        if (
          !Number.isInteger(x) ||
          x < 0 ||
          x > Number.MAX_SAFE_INTEGER ||
          (i > 0 && x <= (a[i - 1] as number))
        ) {
          return {
            path: ['training', key, i],
            message: `expected increasing whole numbers below 2^53, found ${x}${i > 0 ? ` after ${a[i - 1]}` : ''}`,
          };
        }
      }
    }
  }
  return undefined;
}

/** The model document schema: shape, sizes, finiteness and tree structure. */
export const modelDocumentSchema = documentShape.superRefine((d, ctx) => {
  const issue = invariants(d);
  if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** What goes into the file (before gzip). */
export type ModelDocument = z.input<typeof modelDocumentSchema>;

/** `ensemble.left[37]` style path of an issue. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
    '',
  );
}
