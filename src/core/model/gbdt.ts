/**
 * Histogram-based gradient-boosted decision trees for multiclass softmax, written for this
 * project: features are bucketed into at most 255 quantile bins, each round grows one tree per
 * class depth-first with histogram subtraction (the larger child's histogram is the parent's minus
 * the smaller's), and leaves take Newton steps -G/(H+lambda). Trees are stored flat.
 */
import { createRandom } from './random.js';
import { softmaxInPlace } from './softmax.js';
import { StanceError } from '../errors.js';

/** One regression tree, flat: node i is a leaf when left[i] < 0. */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** A trained ensemble: tree t adds to class t % numClass. */
export interface TreeEnsemble {
  numClass: number;
  numFeatures: number;
  baseScore: number[];
  trees: Tree[];
}

/** Training options (defaults in brackets). */
export interface GbdtOptions {
  /** Boosting rounds [200]. */
  rounds?: number;
  /** Shrinkage [0.1]. */
  learningRate?: number;
  /** Maximum tree depth [6]. */
  maxDepth?: number;
  /** Minimum hessian sum in a child [1]. */
  minChildWeight?: number;
  /** L2 regularisation on leaf values [1]. */
  lambda?: number;
  /** Minimum gain to split [0]. */
  gamma?: number;
  /** Bins per feature, at most 255 [64]. */
  maxBins?: number;
  /** Row subsample per round, 0..1 [1]. */
  subsample?: number;
  /** Feature subsample per tree, 0..1 [1]. */
  colsample?: number;
  /** Seed for subsampling [1]. */
  seed?: number;
  /** Called after each round. */
  onRound?: (round: number, rounds: number) => void;
}

/** Quantile cut points per feature: a value v falls in bin = number of cuts < v. */
export function computeCuts(columns: readonly Float64Array[], maxBins: number): Float64Array[] {
  return columns.map((col) => {
    const sorted = Float64Array.from(col).sort();
    const cuts: number[] = [];
    const n = sorted.length;
    for (let b = 1; b < maxBins; b++) {
      const v = sorted[Math.min(n - 1, Math.floor((b * n) / maxBins))] as number;
      // cut between distinct values: the largest value strictly below v
      if (cuts.length === 0 || v > (cuts[cuts.length - 1] as number)) cuts.push(v);
    }
    // Use midpoints between a cut value and the next distinct value below it for stable thresholds.
    const out: number[] = [];
    for (const c of cuts) {
      // last index with sorted[i] < c
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sorted[mid] as number) < c) lo = mid + 1;
        else hi = mid;
      }
      if (lo === 0) continue;
      const below = sorted[lo - 1] as number;
      out.push((below + c) / 2);
    }
    return Float64Array.from(out);
  });
}

function binColumn(col: Float64Array, cuts: Float64Array): Uint8Array {
  const out = new Uint8Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col[i] as number;
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cuts[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return out;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
}

/**
 * Trains a multiclass ensemble. `columns[f][r]` is feature f of row r; `labels[r]` in 0..numClass-1;
 * `weights[r]` optional per-row weights (class weights go here).
 */
export function trainGbdt(
  columns: readonly Float64Array[],
  labels: Int32Array,
  numClass: number,
  weights: Float64Array | undefined,
  options: GbdtOptions = {},
): TreeEnsemble {
  const rounds = options.rounds ?? 200;
  const eta = options.learningRate ?? 0.1;
  const maxDepth = options.maxDepth ?? 6;
  const minChild = options.minChildWeight ?? 1;
  const lambda = options.lambda ?? 1;
  const gamma = options.gamma ?? 0;
  const maxBins = Math.min(255, options.maxBins ?? 64);
  const subsample = options.subsample ?? 1;
  const colsample = options.colsample ?? 1;
  const rand = createRandom(options.seed ?? 1);
  const F = columns.length;
  const n = labels.length;
  const w = weights ?? new Float64Array(n).fill(1);

  const cuts = computeCuts(columns, maxBins);
  const bins = columns.map((c, f) => binColumn(c, cuts[f] as Float64Array));
  const nb = maxBins;

  // Base score: log class priors (weighted).
  const prior = new Float64Array(numClass);
  let wsum = 0;
  for (let r = 0; r < n; r++) {
    prior[labels[r] as number] = (prior[labels[r] as number] as number) + (w[r] as number);
    wsum += w[r] as number;
  }
  const baseScore = Array.from(prior, (p) => Math.log(Math.max(p / wsum, 1e-6)));

  const scores = new Float64Array(n * numClass);
  for (let r = 0; r < n; r++)
    for (let k = 0; k < numClass; k++) scores[r * numClass + k] = baseScore[k] as number;
  const probs = new Float64Array(n * numClass);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees: Tree[] = [];
  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const p = new Float64Array(numClass);

  for (let round = 0; round < rounds; round++) {
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < numClass; k++) p[k] = scores[r * numClass + k] as number;
      softmaxInPlace(p);
      for (let k = 0; k < numClass; k++) probs[r * numClass + k] = p[k] as number;
    }
    let rows = allRows;
    if (subsample < 1) {
      const picked: number[] = [];
      for (let r = 0; r < n; r++) if (rand() < subsample) picked.push(r);
      rows = Int32Array.from(picked);
    }
    for (let k = 0; k < numClass; k++) {
      for (let r = 0; r < n; r++) {
        const pk = probs[r * numClass + k] as number;
        const y = labels[r] === k ? 1 : 0;
        g[r] = (pk - y) * (w[r] as number);
        h[r] = Math.max(pk * (1 - pk), 1e-6) * (w[r] as number);
      }
      let feats: number[] = Array.from({ length: F }, (_, f) => f);
      if (colsample < 1) {
        feats = feats.filter(() => rand() < colsample);
        if (feats.length === 0) feats = [Math.floor(rand() * F)];
      }
      const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
      const hist = buildHist(rows, feats);
      grow(tree, rows, hist, feats, 0);
      trees.push(tree);
      // update scores for all rows
      for (let r = 0; r < n; r++) {
        let node = 0;
        while ((tree.left[node] as number) >= 0) {
          const f = tree.feature[node] as number;
          node =
            ((bins[f] as Uint8Array)[r] as number) <= (tree.threshold[node] as number)
              ? (tree.left[node] as number)
              : (tree.right[node] as number);
        }
        scores[r * numClass + k] = (scores[r * numClass + k] as number) + (tree.value[node] as number);
      }
    }
    options.onRound?.(round + 1, rounds);
  }

  // Convert bin thresholds to raw-value thresholds: bin <= b  <=>  value <= cuts[b] (value < next)
  for (const t of trees) {
    for (let i = 0; i < t.feature.length; i++) {
      if ((t.left[i] as number) < 0) continue;
      const f = t.feature[i] as number;
      const c = cuts[f] as Float64Array;
      const b = t.threshold[i] as number;
      t.threshold[i] = b < c.length ? (c[b] as number) : Infinity;
    }
  }
  return { numClass, numFeatures: F, baseScore, trees };

  function buildHist(rows: Int32Array, feats: readonly number[]): Float64Array {
    // layout: [f][bin][0=g,1=h]
    const hist = new Float64Array(F * nb * 2);
    for (const f of feats) {
      const bf = bins[f] as Uint8Array;
      const off = f * nb * 2;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as number;
        const o = off + (bf[r] as number) * 2;
        hist[o] = (hist[o] as number) + (g[r] as number);
        hist[o + 1] = (hist[o + 1] as number) + (h[r] as number);
      }
    }
    return hist;
  }

  function bestSplit(hist: Float64Array, feats: readonly number[], G: number, H: number): Split {
    const parent = (G * G) / (H + lambda);
    let best: Split = { gain: gamma, feature: -1, bin: -1 };
    for (const f of feats) {
      const off = f * nb * 2;
      let gl = 0;
      let hl = 0;
      for (let b = 0; b < nb - 1; b++) {
        gl += hist[off + b * 2] as number;
        hl += hist[off + b * 2 + 1] as number;
        if (hl < minChild) continue;
        const hr = H - hl;
        if (hr < minChild) break;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > best.gain) best = { gain, feature: f, bin: b };
      }
    }
    return best;
  }

  function grow(
    tree: Tree,
    rows: Int32Array,
    hist: Float64Array,
    feats: readonly number[],
    depth: number,
  ): number {
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    let G = 0;
    let H = 0;
    for (let i = 0; i < rows.length; i++) {
      G += g[rows[i] as number] as number;
      H += h[rows[i] as number] as number;
    }
    const split = depth < maxDepth && rows.length >= 2 ? bestSplit(hist, feats, G, H) : undefined;
    if (!split || split.feature < 0) {
      tree.value[id] = (-G / (H + lambda)) * eta;
      return id;
    }
    const bf = bins[split.feature] as Uint8Array;
    let nl = 0;
    for (let i = 0; i < rows.length; i++) if ((bf[rows[i] as number] as number) <= split.bin) nl++;
    const lrows = new Int32Array(nl);
    const rrows = new Int32Array(rows.length - nl);
    let li = 0;
    let ri = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      if ((bf[r] as number) <= split.bin) lrows[li++] = r;
      else rrows[ri++] = r;
    }
    const smallIsLeft = lrows.length <= rrows.length;
    const small = buildHist(smallIsLeft ? lrows : rrows, feats);
    const large = hist; // reuse parent's buffer: parent - small
    for (const f of feats) {
      const off = f * nb * 2;
      for (let j = off; j < off + nb * 2; j++) large[j] = (large[j] as number) - (small[j] as number);
    }
    tree.feature[id] = split.feature;
    tree.threshold[id] = split.bin;
    const lhist = smallIsLeft ? small : large;
    const rhist = smallIsLeft ? large : small;
    tree.left[id] = grow(tree, lrows, lhist, feats, depth + 1);
    tree.right[id] = grow(tree, rrows, rhist, feats, depth + 1);
    return id;
  }
}

/**
 * An ensemble laid out for fast prediction (built once with compileEnsemble; the model file keeps
 * its own format). Every tree is padded to a complete binary tree of the ensemble's depth D:
 * tree t's internal node i (0 ≤ i < 2^D − 1) sits at t·(2^D − 1) + i with children 2i + 1 and
 * 2i + 2, and its leaves at t·2^D, so a walk is D steps of index arithmetic with no test for
 * leaves and no branch on the comparison. A leaf above depth D becomes a subtree whose leaves all
 * carry its value, so every path through the padding ends at that value whatever the comparisons
 * say (NaN included): predictions are exactly those of the plain walk, summed in the same tree
 * order. Thresholds and leaf values are the float32 values model files store, kept in float32
 * arrays (read back as the same float64 values, so comparisons and sums are unchanged) and split
 * features in 16 bits: half the memory a walk touches. An ensemble deeper than
 * {@link MAX_PADDED_DEPTH}, or over more features than 16 bits number, keeps the sparse layout
 * (`split`/`value`), walked node by node.
 */
export interface CompiledEnsemble {
  numClass: number;
  baseScore: Float64Array;
  trees: number;
  /** Depth of the padded trees, or -1 for the sparse layout. */
  depth: number;
  /** Padded: split feature of each internal node. */
  feature: Uint16Array;
  /** Padded: threshold of each internal node (go left when x <= threshold). */
  threshold: Float32Array;
  /** Padded: the 2^D leaf values of each tree. */
  leaf: Float32Array;
  /** Sparse: node index of each tree's root. */
  roots: Int32Array;
  /** Sparse: per node, `split[2n]` feature (-1 for a leaf) and `split[2n+1]` the right child. */
  split: Int32Array;
  /** Sparse: threshold or leaf value of each node. */
  value: Float64Array;
}

/** Ensembles up to this depth are padded to complete trees (2^10 leaves a tree at most). */
export const MAX_PADDED_DEPTH = 10;

/** Padded trees number split features in 16 bits: ensembles over more features stay sparse. */
export const MAX_PADDED_FEATURES = 0xffff;

function treeDepth(t: Tree, ti: number): number {
  // Iterative (a malformed deep tree must not overflow the stack); checks the depth-first layout.
  const stack: [number, number][] = [[0, 0]];
  let depth = 0;
  while (stack.length > 0) {
    const [i, d] = stack.pop() as [number, number];
    const l = t.left[i] as number;
    if (l < 0) {
      if (d > depth) depth = d;
      continue;
    }
    if (l !== i + 1) {
      throw new StanceError(
        'MODEL_INVALID',
        `tree ${ti}, node ${i}: expected the next node ${i + 1} as left child (trees are stored depth-first), found ${l}`,
      );
    }
    stack.push([l, d + 1], [t.right[i] as number, d + 1]);
  }
  return depth;
}

const NO_INT = new Int32Array(0);
const NO_U16 = new Uint16Array(0);
const NO_FLOAT = new Float64Array(0);
const NO_FLOAT32 = new Float32Array(0);

/** Lays all trees out in typed arrays (see {@link CompiledEnsemble}). */
export function compileEnsemble(model: TreeEnsemble): CompiledEnsemble {
  const T = model.trees.length;
  const D = model.trees.reduce((m, t, ti) => Math.max(m, treeDepth(t, ti)), 0);
  const base = { numClass: model.numClass, baseScore: Float64Array.from(model.baseScore), trees: T };
  if (D > MAX_PADDED_DEPTH || model.numFeatures > MAX_PADDED_FEATURES) {
    const total = model.trees.reduce((n, t) => n + t.feature.length, 0);
    const split = new Int32Array(total * 2);
    const value = new Float64Array(total);
    const roots = new Int32Array(T);
    let o = 0;
    model.trees.forEach((t, ti) => {
      roots[ti] = o;
      for (let i = 0; i < t.feature.length; i++) {
        if ((t.left[i] as number) < 0) {
          split[(o + i) * 2] = -1;
          value[o + i] = Math.fround(t.value[i] as number);
        } else {
          split[(o + i) * 2] = t.feature[i] as number;
          split[(o + i) * 2 + 1] = (t.right[i] as number) + o;
          value[o + i] = Math.fround(t.threshold[i] as number);
        }
      }
      o += t.feature.length;
    });
    return {
      ...base,
      depth: -1,
      feature: NO_U16,
      threshold: NO_FLOAT32,
      leaf: NO_FLOAT32,
      roots,
      split,
      value,
    };
  }
  const inner = 2 ** D - 1;
  const feature = new Uint16Array(T * inner);
  const threshold = new Float32Array(T * inner);
  const leaf = new Float32Array(T * (inner + 1));
  model.trees.forEach((t, ti) => {
    const nb = ti * inner;
    const lb = ti * (inner + 1) - inner; // leaf of heap index h (≥ 2^D − 1) at lb + h
    // (node in the file, its heap index in the complete tree, its level)
    const stack: [number, number, number][] = [[0, 0, 0]];
    while (stack.length > 0) {
      const [i, h, level] = stack.pop() as [number, number, number];
      if ((t.left[i] as number) < 0) {
        // Every leaf of the complete subtree under h (levels below D) gets this leaf's value;
        // the padding's internal nodes keep feature 0 and threshold 0: either way leads here.
        const span = 2 ** (D - level);
        const first = (h + 1) * span - 1;
        leaf.fill(Math.fround(t.value[i] as number), lb + first, lb + first + span);
        continue;
      }
      feature[nb + h] = t.feature[i] as number;
      threshold[nb + h] = Math.fround(t.threshold[i] as number);
      stack.push([i + 1, 2 * h + 1, level + 1], [t.right[i] as number, 2 * h + 2, level + 1]);
    }
  });
  return { ...base, depth: D, feature, threshold, leaf, roots: NO_INT, split: NO_INT, value: NO_FLOAT };
}

/** Raw class scores (before softmax) for one feature vector. */
export function predictScores(
  model: CompiledEnsemble,
  x: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  const K = model.numClass;
  const s = out ?? new Float64Array(K);
  for (let k = 0; k < K; k++) s[k] = model.baseScore[k] as number;
  if (model.depth < 0) return walkSparse(model, x, s);
  const { feature: f, threshold: h, leaf, trees: T, depth: D } = model;
  const inner = (1 << D) - 1;
  const stride = inner + 1;
  // A step goes to the left child 2i+1 when x <= threshold, else to the right one 2i+2, by
  // arithmetic (no branch). Eight trees are walked side by side (eight independent chains of
  // loads for the processor to overlap); their leaves are then added in tree order, so every
  // class sums the same values in the same order as a walk of one tree at a time.
  let t = 0;
  for (; t + 8 <= T; t += 8) {
    const n0 = t * inner;
    const n1 = n0 + inner;
    const n2 = n1 + inner;
    const n3 = n2 + inner;
    const n4 = n3 + inner;
    const n5 = n4 + inner;
    const n6 = n5 + inner;
    const n7 = n6 + inner;
    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    let i4 = 0;
    let i5 = 0;
    let i6 = 0;
    let i7 = 0;
    for (let d = 0; d < D; d++) {
      i0 = 2 * i0 + 2 - +((x[f[n0 + i0] as number] as number) <= (h[n0 + i0] as number));
      i1 = 2 * i1 + 2 - +((x[f[n1 + i1] as number] as number) <= (h[n1 + i1] as number));
      i2 = 2 * i2 + 2 - +((x[f[n2 + i2] as number] as number) <= (h[n2 + i2] as number));
      i3 = 2 * i3 + 2 - +((x[f[n3 + i3] as number] as number) <= (h[n3 + i3] as number));
      i4 = 2 * i4 + 2 - +((x[f[n4 + i4] as number] as number) <= (h[n4 + i4] as number));
      i5 = 2 * i5 + 2 - +((x[f[n5 + i5] as number] as number) <= (h[n5 + i5] as number));
      i6 = 2 * i6 + 2 - +((x[f[n6 + i6] as number] as number) <= (h[n6 + i6] as number));
      i7 = 2 * i7 + 2 - +((x[f[n7 + i7] as number] as number) <= (h[n7 + i7] as number));
    }
    // Leaf of heap index i (≥ 2^D − 1) of tree t at t·2^D + i − (2^D − 1).
    const l0 = t * stride - inner;
    s[t % K] = (s[t % K] as number) + (leaf[l0 + i0] as number);
    s[(t + 1) % K] = (s[(t + 1) % K] as number) + (leaf[l0 + stride + i1] as number);
    s[(t + 2) % K] = (s[(t + 2) % K] as number) + (leaf[l0 + 2 * stride + i2] as number);
    s[(t + 3) % K] = (s[(t + 3) % K] as number) + (leaf[l0 + 3 * stride + i3] as number);
    s[(t + 4) % K] = (s[(t + 4) % K] as number) + (leaf[l0 + 4 * stride + i4] as number);
    s[(t + 5) % K] = (s[(t + 5) % K] as number) + (leaf[l0 + 5 * stride + i5] as number);
    s[(t + 6) % K] = (s[(t + 6) % K] as number) + (leaf[l0 + 6 * stride + i6] as number);
    s[(t + 7) % K] = (s[(t + 7) % K] as number) + (leaf[l0 + 7 * stride + i7] as number);
  }
  // The last trees (fewer than eight), one at a time.
  for (; t < T; t++) {
    const nb = t * inner;
    let i = 0;
    for (let d = 0; d < D; d++)
      i = 2 * i + 2 - +((x[f[nb + i] as number] as number) <= (h[nb + i] as number));
    const k = t % K;
    s[k] = (s[k] as number) + (leaf[t * stride - inner + i] as number);
  }
  return s;
}

function walkSparse(model: CompiledEnsemble, x: ArrayLike<number>, s: Float64Array): Float64Array {
  const { roots, split, value, numClass: K } = model;
  for (let t = 0; t < roots.length; t++) {
    let n = roots[t] as number;
    let f = split[n * 2] as number;
    while (f >= 0) {
      n = (x[f] as number) <= (value[n] as number) ? n + 1 : (split[n * 2 + 1] as number);
      f = split[n * 2] as number;
    }
    const k = t % K;
    s[k] = (s[k] as number) + (value[n] as number);
  }
  return s;
}

/** Class probabilities for one feature vector. */
export function predictProba(model: CompiledEnsemble, x: ArrayLike<number>): Float64Array {
  return softmaxInPlace(predictScores(model, x));
}
