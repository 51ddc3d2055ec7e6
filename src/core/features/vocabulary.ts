/**
 * Corpus statistics a model carries: inverse document frequencies of stems (and, optionally,
 * word vectors). Built at training time from training bodies and headlines only.
 */
export interface Vocabulary {
  /** Stem → inverse document frequency, ln((N + 1) / (df + 1)) + 1. */
  idf: ReadonlyMap<string, number>;
  /** IDF given to a stem never seen in training (as rare as it gets). */
  defaultIdf: number;
  /** Mean body length in content stems (for BM25). */
  avgBodyLength: number;
  /** Word → unit-length vector (lower-cased words), when the model uses word vectors. */
  vectors?: ReadonlyMap<string, Float32Array>;
  /** Dimension of the vectors (0 when none). */
  dim: number;
}

/** A stem's IDF under the vocabulary (the default for a stem never seen in training). */
export function idfOf(vocab: Pick<Vocabulary, 'idf' | 'defaultIdf'>): (stem: string) => number {
  return (stem) => vocab.idf.get(stem) ?? vocab.defaultIdf;
}

/** Builds IDF statistics from documents given as arrays of content stems. */
export function buildIdf(
  docs: Iterable<readonly string[]>,
  minDf = 1,
): { idf: Map<string, number>; defaultIdf: number; docCount: number } {
  const df = new Map<string, number>();
  let n = 0;
  for (const d of docs) {
    n++;
    for (const s of new Set(d)) df.set(s, (df.get(s) ?? 0) + 1);
  }
  const idf = new Map<string, number>();
  for (const [s, c] of df) if (c >= minDf) idf.set(s, Math.log((n + 1) / (c + 1)) + 1);
  return { idf, defaultIdf: Math.log((n + 1) / 1) + 1, docCount: n };
}
