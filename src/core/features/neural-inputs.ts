/**
 * The input of the neural learner for a pair, built from what extract.ts already computed:
 * the dense features standardised (mean/std fitted on training rows, clipped), word-vector blocks
 * (claim vector, best-aligned sentence vector, their elementwise product and |difference|, the
 * claim × body product). Pure.
 */
import { sentenceDots, type BodyFeatures, type ClaimFeatures } from './extract.js';

/** What the input builder needs besides the pair: fitted on training rows, stored with the model. */
export interface NeuralNorm {
  /** Mean of each dense feature over the training rows. */
  mean: Float32Array;
  /** Standard deviation of each dense feature (1 where constant). */
  std: Float32Array;
  /** Word-vector dimension (0: no vector blocks). */
  dim: number;
}

/** Standardised features are clipped to ±CLIP. */
const CLIP = 5;

/** Number of vector blocks (claim, sentence, product, |difference|, claim × body). */
const VECTOR_BLOCKS = 5;

/** Options of {@link fitNeuralNorm}. */
export interface NeuralNormOptions {
  /** Word-vector dimension (0 when the vocabulary has no vectors). */
  dim: number;
}

/** Fits the standardisation of the dense features on training rows (each of the same length). */
export function fitNeuralNorm(featureRows: Iterable<ArrayLike<number>>, opts: NeuralNormOptions): NeuralNorm {
  let sum: Float64Array | undefined;
  let sq: Float64Array | undefined;
  let n = 0;
  for (const row of featureRows) {
    if (!sum || !sq) {
      sum = new Float64Array(row.length);
      sq = new Float64Array(row.length);
    }
    for (let f = 0; f < sum.length; f++) {
      const v = row[f] as number;
      sum[f] = (sum[f] as number) + v;
      sq[f] = (sq[f] as number) + v * v;
    }
    n++;
  }
  const F = sum?.length ?? 0;
  const mean = new Float32Array(F);
  const std = new Float32Array(F);
  for (let f = 0; f < F; f++) {
    const m = n > 0 ? (sum?.[f] ?? 0) / n : 0;
    const v = n > 0 ? (sq?.[f] ?? 0) / n - m * m : 0;
    mean[f] = m;
    std[f] = v > 1e-12 ? Math.sqrt(v) : 1;
  }
  return { mean, std, dim: opts.dim };
}

/** Length of the input vectors {@link neuralInput} builds. */
export function neuralInputSize(norm: NeuralNorm): number {
  return norm.mean.length + VECTOR_BLOCKS * norm.dim;
}

/** Scratch of {@link bestSentence}: the claim's dot product with each sentence vector. */
let sims = new Float64Array(64);

/**
 * Index of the body sentence best aligned with the claim (stem alignment, ties broken by vector
 * similarity); -1 for an empty body. `vecSims`, when given, are the claim's dot products with the
 * sentence vectors (pairFeatures' `vecSims`); otherwise they are computed here.
 */
export function bestSentence(
  claim: ClaimFeatures,
  body: BodyFeatures,
  alignment: ArrayLike<number>,
  vecSims?: ArrayLike<number>,
): number {
  let best = -1;
  let bestScore = -Infinity;
  const n = body.info.length;
  let dots = vecSims;
  if (!dots) {
    if (sims.length < n) sims = new Float64Array(Math.max(n, 2 * sims.length));
    dots = sentenceDots(claim.vector, body.info, sims);
  }
  for (let i = 0; i < n; i++) {
    const s = (alignment[i] as number) + 1e-3 * (dots[i] as number);
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}

/** The neural learner's input for a pair (`features`, `alignment` and, optionally, `vecSims` from pairFeatures). */
export function neuralInput(
  claim: ClaimFeatures,
  body: BodyFeatures,
  features: ArrayLike<number>,
  alignment: ArrayLike<number>,
  norm: NeuralNorm,
  out: Float32Array = new Float32Array(neuralInputSize(norm)),
  vecSims?: ArrayLike<number>,
): Float32Array {
  out.fill(0);
  const F = norm.mean.length;
  for (let f = 0; f < F; f++) {
    const z = ((features[f] as number) - (norm.mean[f] as number)) / (norm.std[f] as number);
    out[f] = z > CLIP ? CLIP : z < -CLIP ? -CLIP : z;
  }
  const o = F;
  const d = norm.dim;
  if (d > 0) {
    const c = claim.vector;
    const bi = bestSentence(claim, body, alignment, vecSims);
    const s = bi >= 0 ? (body.info[bi]?.vector ?? c.subarray(0, 0)) : c.subarray(0, 0);
    const b = body.vector;
    // Unit vectors have components of about 1/sqrt(d); scale to about 1, products to about 1.
    const r = Math.sqrt(d);
    if (c.length === d) {
      for (let i = 0; i < d; i++) out[o + i] = (c[i] as number) * r;
      if (s.length === d) {
        for (let i = 0; i < d; i++) {
          out[o + d + i] = (s[i] as number) * r;
          out[o + 2 * d + i] = (c[i] as number) * (s[i] as number) * d;
          out[o + 3 * d + i] = Math.abs((c[i] as number) - (s[i] as number)) * r;
        }
      }
      if (b.length === d)
        for (let i = 0; i < d; i++) out[o + 4 * d + i] = (c[i] as number) * (b[i] as number) * d;
    } else if (s.length === d) {
      for (let i = 0; i < d; i++) out[o + d + i] = (s[i] as number) * r;
    }
  }
  return out;
}
