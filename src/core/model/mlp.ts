/**
 * A small multiclass perceptron, written for this project: one hidden ReLU layer, softmax output,
 * weighted cross-entropy, Adam on shuffled mini-batches, optional inverted dropout on the inputs
 * and the hidden layer, L2 on the weights (not the biases), seeded initialisation and shuffling.
 * Zero inputs are skipped in the first layer, so sparse input blocks cost little.
 * Parameters are plain typed arrays so the model can be serialised as they are. Pure.
 */
import { createRandom } from './random.js';
import { softmaxInPlace } from './softmax.js';
import { StanceError } from '../errors.js';

/** A trained network. `w1` is input-major: w1[i * hidden + h]; `w2` is hidden-major: w2[h * numClass + k]. */
export interface Mlp {
  inputs: number;
  hidden: number;
  numClass: number;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

/** Training options (defaults in brackets). */
export interface MlpOptions {
  /** Hidden units [64]. */
  hidden?: number;
  /** Passes over the data [10]. */
  epochs?: number;
  /** Rows per mini-batch [64]. */
  batchSize?: number;
  /** Adam step size [1e-3]. */
  learningRate?: number;
  /** L2 penalty on weights, added to the gradient as l2 * w [1e-4]. */
  l2?: number;
  /** Dropout probability of the hidden units during training [0]. */
  dropout?: number;
  /** Dropout probability of the inputs during training [0]. */
  inputDropout?: number;
  /** Seed for initialisation, shuffling and dropout [1]. */
  seed?: number;
  /** Called after each epoch with the mean weighted training loss. */
  onEpoch?: (epoch: number, epochs: number, loss: number) => void;
}

/** Adds hidden unit `j`'s output `a` (after ReLU) times its output weights to the logits. */
function addHidden(out: Float64Array, w2: Float32Array, K: number, j: number, a: number): void {
  if (a <= 0) return;
  const o = j * K;
  for (let k = 0; k < K; k++) out[k] = (out[k] as number) + a * (w2[o + k] as number);
}

/** Scratch: positions and values of a row's non-zero inputs. */
let nonZero = new Int32Array(0);
let nonZeroValue = new Float64Array(0);

/**
 * Logits of one row (length numClass); `out` is reused when given. Hidden units are summed eight
 * at a time in registers over the row's non-zero inputs in input order: each unit gets the same
 * additions in the same order as a plain input-major pass, so the same values.
 */
export function mlpScores(
  model: Mlp,
  x: ArrayLike<number>,
  out: Float64Array = new Float64Array(model.numClass),
): Float64Array {
  const { inputs, hidden: H, numClass: K, w1, b1, w2, b2 } = model;
  if (nonZero.length < inputs) {
    nonZero = new Int32Array(inputs);
    nonZeroValue = new Float64Array(inputs);
  }
  const nz = nonZero;
  const xv = nonZeroValue;
  let nnz = 0;
  for (let i = 0; i < inputs; i++) {
    const v = x[i] as number;
    if (v === 0) continue;
    nz[nnz] = i * H;
    xv[nnz++] = v;
  }
  for (let k = 0; k < K; k++) out[k] = b2[k] as number;
  let j = 0;
  for (; j + 8 <= H; j += 8) {
    let a0 = b1[j] as number;
    let a1 = b1[j + 1] as number;
    let a2 = b1[j + 2] as number;
    let a3 = b1[j + 3] as number;
    let a4 = b1[j + 4] as number;
    let a5 = b1[j + 5] as number;
    let a6 = b1[j + 6] as number;
    let a7 = b1[j + 7] as number;
    for (let t = 0; t < nnz; t++) {
      const v = xv[t] as number;
      const o = (nz[t] as number) + j;
      a0 += v * (w1[o] as number);
      a1 += v * (w1[o + 1] as number);
      a2 += v * (w1[o + 2] as number);
      a3 += v * (w1[o + 3] as number);
      a4 += v * (w1[o + 4] as number);
      a5 += v * (w1[o + 5] as number);
      a6 += v * (w1[o + 6] as number);
      a7 += v * (w1[o + 7] as number);
    }
    addHidden(out, w2, K, j, a0);
    addHidden(out, w2, K, j + 1, a1);
    addHidden(out, w2, K, j + 2, a2);
    addHidden(out, w2, K, j + 3, a3);
    addHidden(out, w2, K, j + 4, a4);
    addHidden(out, w2, K, j + 5, a5);
    addHidden(out, w2, K, j + 6, a6);
    addHidden(out, w2, K, j + 7, a7);
  }
  for (; j < H; j++) {
    let a = b1[j] as number;
    for (let t = 0; t < nnz; t++) a += (xv[t] as number) * (w1[(nz[t] as number) + j] as number);
    addHidden(out, w2, K, j, a);
  }
  return out;
}

/** Class probabilities of one row (softmax of {@link mlpScores}). */
export function mlpProba(model: Mlp, x: ArrayLike<number>): Float64Array {
  return softmaxInPlace(mlpScores(model, x));
}

/** Adam state of one parameter block. */
interface Block {
  w: Float64Array;
  g: Float64Array;
  m: Float64Array;
  v: Float64Array;
  decay: boolean;
}

const block = (w: Float64Array, decay: boolean): Block => ({
  w,
  g: new Float64Array(w.length),
  m: new Float64Array(w.length),
  v: new Float64Array(w.length),
  decay,
});

/**
 * Trains a network on dense rows (all the same length) with labels 0..numClass-1 and optional
 * per-row weights (e.g. for class imbalance; rescaled to mean 1).
 */
export function trainMlp(
  rows: readonly ArrayLike<number>[],
  labels: Int32Array,
  numClass: number,
  weights: Float64Array | undefined,
  opts: MlpOptions = {},
): Mlp {
  const n = rows.length;
  if (n === 0)
    throw new StanceError(
      'INPUT_EMPTY',
      'cannot train the neural learner: expected at least one training row, found none',
    );
  if (labels.length !== n) {
    throw new StanceError(
      'USAGE',
      `cannot train the neural learner: expected one label per row (${n}), found ${labels.length} labels`,
    );
  }
  const D = (rows[0] as ArrayLike<number>).length;
  const H = opts.hidden ?? 64;
  const K = numClass;
  const epochs = opts.epochs ?? 10;
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  const lr = opts.learningRate ?? 1e-3;
  const l2 = opts.l2 ?? 1e-4;
  const drop = opts.dropout ?? 0;
  const inDrop = opts.inputDropout ?? 0;
  const rand = createRandom(opts.seed ?? 1);

  // Mean-1 sample weights.
  const sw = new Float64Array(n);
  let wsum = 0;
  for (let r = 0; r < n; r++) {
    sw[r] = weights ? (weights[r] as number) : 1;
    wsum += sw[r] as number;
  }
  for (let r = 0; r < n; r++) sw[r] = ((sw[r] as number) * n) / wsum;

  // He-uniform initialisation for the ReLU layer, Glorot-uniform for the output layer.
  const w1 = new Float64Array(D * H);
  const a1 = Math.sqrt(6 / Math.max(1, D));
  for (let i = 0; i < w1.length; i++) w1[i] = (rand() * 2 - 1) * a1;
  const w2 = new Float64Array(H * K);
  const a2 = Math.sqrt(6 / (H + K));
  for (let i = 0; i < w2.length; i++) w2[i] = (rand() * 2 - 1) * a2;
  const b1 = new Float64Array(H).fill(0.01);
  const b2 = new Float64Array(K);
  const P = { w1: block(w1, true), b1: block(b1, false), w2: block(w2, true), b2: block(b2, false) };
  const blocks = [P.w1, P.b1, P.w2, P.b2];

  const order = Int32Array.from({ length: n }, (_, i) => i);
  const x = new Float64Array(D);
  const nz = new Int32Array(D);
  const h = new Float64Array(H);
  const mask = new Float64Array(H);
  const z = new Float64Array(K);
  const dh = new Float64Array(H);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    let lossSum = 0;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const scale = 1 / (end - start);
      for (const b of blocks) b.g.fill(0);
      for (let q = start; q < end; q++) {
        const r = order[q] as number;
        const row = rows[r] as ArrayLike<number>;
        // Forward, remembering the nonzero inputs.
        let nnz = 0;
        for (let i = 0; i < D; i++) {
          let v = row[i] as number;
          if (v === 0) continue;
          if (inDrop > 0) {
            if (rand() < inDrop) continue;
            v /= 1 - inDrop;
          }
          x[i] = v;
          nz[nnz++] = i;
        }
        for (let j = 0; j < H; j++) h[j] = b1[j] as number;
        for (let t = 0; t < nnz; t++) {
          const i = nz[t] as number;
          const v = x[i] as number;
          const base = i * H;
          for (let j = 0; j < H; j++) h[j] = (h[j] as number) + v * (w1[base + j] as number);
        }
        for (let j = 0; j < H; j++) {
          let m = (h[j] as number) > 0 ? 1 : 0;
          if (m && drop > 0) m = rand() < drop ? 0 : 1 / (1 - drop);
          mask[j] = m;
          h[j] = (h[j] as number) * m;
        }
        for (let k = 0; k < K; k++) {
          let s = b2[k] as number;
          for (let j = 0; j < H; j++) s += (h[j] as number) * (w2[j * K + k] as number);
          z[k] = s;
        }
        softmaxInPlace(z, K);
        const y = labels[r] as number;
        const wr = (sw[r] as number) * scale;
        lossSum -= (sw[r] as number) * Math.log(Math.max(1e-12, z[y] as number));
        // Backward: dz = w (p - onehot).
        for (let k = 0; k < K; k++) z[k] = wr * ((z[k] as number) - (k === y ? 1 : 0));
        const gw2 = P.w2.g;
        const gb2 = P.b2.g;
        for (let k = 0; k < K; k++) gb2[k] = (gb2[k] as number) + (z[k] as number);
        for (let j = 0; j < H; j++) {
          const hj = h[j] as number;
          let d = 0;
          for (let k = 0; k < K; k++) {
            const zk = z[k] as number;
            if (hj !== 0) gw2[j * K + k] = (gw2[j * K + k] as number) + hj * zk;
            d += (w2[j * K + k] as number) * zk;
          }
          dh[j] = d * (mask[j] as number);
        }
        const gb1 = P.b1.g;
        for (let j = 0; j < H; j++) gb1[j] = (gb1[j] as number) + (dh[j] as number);
        const gw1 = P.w1.g;
        for (let t = 0; t < nnz; t++) {
          const i = nz[t] as number;
          const v = x[i] as number;
          x[i] = 0;
          const base = i * H;
          for (let j = 0; j < H; j++) gw1[base + j] = (gw1[base + j] as number) + v * (dh[j] as number);
        }
      }
      // Adam step.
      step++;
      const c1 = 1 - Math.pow(beta1, step);
      const c2 = 1 - Math.pow(beta2, step);
      for (const b of blocks) {
        const { w, g, m, v } = b;
        for (let i = 0; i < w.length; i++) {
          const gi = (g[i] as number) + (b.decay ? l2 * (w[i] as number) : 0);
          const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
          const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
          m[i] = mi;
          v[i] = vi;
          w[i] = (w[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
        }
      }
    }
    opts.onEpoch?.(epoch + 1, epochs, lossSum / n);
  }
  return {
    inputs: D,
    hidden: H,
    numClass: K,
    w1: Float32Array.from(w1),
    b1: Float32Array.from(b1),
    w2: Float32Array.from(w2),
    b2: Float32Array.from(b2),
  };
}
