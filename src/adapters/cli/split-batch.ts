/**
 * How `batch` cuts its pairs into chunks for its checking threads (batch-lanes.ts): each distinct
 * body text once, all the pairs of a body in the same chunk (so a thread prepares it once and drops
 * it after the chunk), chunks in the order their first pair appears in the input.
 */
import type { Pair } from '../../core/classify-pairs.js';

/** A batch pair: the headline and the index of its body in `bodies`. */
export interface BatchPair {
  headline: string;
  body: number;
}

/** Builds batch input from pairs: each distinct body text once, pairs pointing at it. */
export function toBatchInput(pairs: readonly Pair[]): { bodies: string[]; pairs: BatchPair[] } {
  const index = new Map<string, number>();
  const bodies: string[] = [];
  const out: BatchPair[] = [];
  for (const p of pairs) {
    let i = index.get(p.body);
    if (i === undefined) {
      i = bodies.length;
      bodies.push(p.body);
      index.set(p.body, i);
    }
    out.push({ headline: p.headline, body: i });
  }
  return { bodies, pairs: out };
}

/** One chunk: pairs grouped by body (keys are body indexes), their bodies, and their input positions. */
export interface BatchChunk {
  pairs: { headline: string; bodyKey: string }[];
  bodies: Record<string, string>;
  positions: number[];
}

/**
 * Cuts the pairs into chunks of about `target` pairs (at least one whole body each; a body is
 * never split), bodies in order of first appearance, each body's pairs in input order.
 */
export function chunkByBody(
  bodies: readonly string[],
  pairs: readonly BatchPair[],
  target: number,
): BatchChunk[] {
  const byBody: number[][] = bodies.map(() => []);
  pairs.forEach((p, i) => byBody[p.body]?.push(i));
  const chunks: BatchChunk[] = [];
  let chunk: BatchChunk | undefined;
  // Bodies are numbered in order of first appearance (toBatchInput).
  byBody.forEach((positions, b) => {
    if (positions.length === 0) return;
    chunk ??= { pairs: [], bodies: {}, positions: [] };
    const key = String(b);
    chunk.bodies[key] = bodies[b] as string;
    for (const i of positions) {
      chunk.pairs.push({ headline: (pairs[i] as BatchPair).headline, bodyKey: key });
      chunk.positions.push(i);
    }
    if (chunk.pairs.length >= target) {
      chunks.push(chunk);
      chunk = undefined;
    }
  });
  if (chunk) chunks.push(chunk);
  return chunks;
}
