/**
 * The quorum search both stores use for a long OR query: a claim's words match most of a large
 * store, and neither FTS5 nor a GIN index can rank only the best of their matches (each ranks every
 * match). So a store first asks its index for the articles that hold all of the first
 * {@link QUORUM_TERMS} terms (the terms come most telling first), then all but one, and so on
 * ({@link quorumLevels}); the first level with enough articles is ranked and is the answer. Where
 * none has enough (a small store), that last level's articles come first and the plain OR search
 * of every term fills the rest.
 */

/** The quorum counts the first this many terms. */
export const QUORUM_TERMS = 6;

/** At most this many AND clauses in a quorum query (the index checks each against every match). */
const MAX_QUORUM_CLAUSES = 64;

/** n choose k, exactly for the small numbers here. */
function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * The quorums tried for `n` distinct search terms, most demanding first: every term, all but
 * one, … down to two, while the query stays within {@link MAX_QUORUM_CLAUSES} clauses.
 */
export function quorumLevels(n: number): number[] {
  const out: number[] = [];
  for (let m = n; m >= 2 && choose(n, m) <= MAX_QUORUM_CLAUSES; m--) out.push(m);
  return out;
}

/**
 * A query matching the texts that hold at least `m` of the (already quoted) terms: an OR of every
 * m-term AND, written with the backend's operators.
 */
export function quorumQuery(quoted: readonly string[], m: number, ops: { and: string; or: string }): string {
  const clauses: string[] = [];
  const pick: number[] = [];
  const walk = (from: number): void => {
    if (pick.length === m) {
      clauses.push(`(${pick.map((i) => quoted[i]).join(ops.and)})`);
      return;
    }
    for (let i = from; i <= quoted.length - (m - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return clauses.join(ops.or);
}

/**
 * The quorum search over a backend's ranked query, `ranked(level, except)`: its best `limit` hits
 * for a level's query, or (`undefined`) for the plain OR search without the `except` keys. The
 * answer is the first level with `limit` hits, or that last level's hits followed by the OR
 * search's others.
 */
export async function quorumSearch<H extends { key: number }>(
  quoted: readonly string[],
  limit: number,
  ops: { and: string; or: string },
  ranked: (level: string | undefined, except: readonly number[]) => Promise<H[]>,
): Promise<H[]> {
  // Each level's articles include the previous level's: the last one tried holds them all.
  let most: H[] = [];
  const first = quoted.slice(0, QUORUM_TERMS);
  for (const m of quorumLevels(first.length)) {
    most = await ranked(quorumQuery(first, m, ops), []);
    if (most.length >= limit) return most;
  }
  // Too few hold that many of the terms: they come first, then the rest of the OR search.
  const rest = await ranked(
    undefined,
    most.map((h) => h.key),
  );
  return [...most, ...rest].slice(0, limit);
}
