/**
 * The audit's proxy archive and its thresholds (docs/CORPUS.md). From FNC-1 training data only:
 * every training body that has an agreeing headline is put under one of its
 * own agreeing headlines; 10 % of them get another story's headline instead (half a random other
 * story's, half the most similar other story's — "same topic": the agreeing headline of another
 * claim with the highest IDF-weighted word overlap with the body). Another story = another claim
 * (connected component of headlines and bodies through related pairs, over all training pairs).
 * The shipped model was trained on all FNC-1 training pairs, so own-headline scores are in-sample
 * (optimistic); the swapped headlines were mostly never paired with these bodies in training.
 * Prints precision / recall of "wrong story" (P(unrelated) ≥ t) and of "contradicted"
 * (P(disagree) ≥ t, on the dev part's agree/disagree pairs) for a range of thresholds.
 *
 *   node --import tsx scripts/audit-proxy.ts [../shared/data/fnc1]
 */
import { join } from 'node:path';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import { loadChecker } from '../src/adapters/fs/load-checker.js';
import { claimsOf } from '../src/core/train/folds.js';
import { createRandom } from '../src/core/model/random.js';
import { isStopword, tokenize } from '../src/core/text/tokenize.js';

const DATA = process.argv[2] ?? process.env.STANCECHECK_DATA ?? '../shared/data/fnc1';
const bodies = await readBodies(join(DATA, 'train_bodies.csv'));
const all = await readStances(join(DATA, 'train_stances.csv'));
const dev = await readStances(join(DATA, 'claim-split', 'dev_stances.csv'));
const claims = claimsOf(
  all.map((r) => ({ headline: r.headline, bodyId: r.bodyId, label: r.stance ?? 'unrelated' })),
);
const rnd = createRandom(20261126);

const agreeing = new Map<string, string[]>();
for (const r of all)
  if (r.stance === 'agree') agreeing.set(r.bodyId, [...(agreeing.get(r.bodyId) ?? []), r.headline]);
const allAgree = all.filter((r) => r.stance === 'agree');
// IDF over bodies for the "same topic" choice.
const df = new Map<string, number>();
for (const b of bodies.values()) for (const t of new Set(tokenize(b))) df.set(t, (df.get(t) ?? 0) + 1);
const idf = (t: string): number => Math.log(bodies.size / (1 + (df.get(t) ?? 0)));

const checker = await loadChecker();
interface Item {
  swapped: boolean;
  kind: 'own' | 'random' | 'same-topic';
  pu: number;
}
const items: Item[] = [];
const ids = [...agreeing.keys()].sort();
for (const id of ids) {
  const body = bodies.get(id) as string;
  const own = agreeing.get(id) as string[];
  let headline = own[Math.floor(rnd() * own.length)] as string;
  let kind: Item['kind'] = 'own';
  const u = rnd();
  if (u < 0.1) {
    const comp = claims.body.get(id);
    const others = allAgree.filter((r) => claims.headline.get(r.headline) !== comp);
    if (u < 0.05) {
      headline = (others[Math.floor(rnd() * others.length)] as { headline: string }).headline;
      kind = 'random';
    } else {
      const bodyTokens = new Set(tokenize(body));
      let best = -1;
      for (const r of others) {
        let s = 0;
        for (const t of new Set(tokenize(r.headline))) if (!isStopword(t) && bodyTokens.has(t)) s += idf(t);
        if (s > best) {
          best = s;
          headline = r.headline;
        }
      }
      kind = 'same-topic';
    }
  }
  const v = checker.check({ headline, body });
  items.push({ swapped: kind !== 'own', kind, pu: v.probabilities.unrelated });
}
const swapped = items.filter((i) => i.swapped).length;
console.log(
  `proxy archive: ${items.length} articles, ${swapped} with another story's headline (${items.filter((i) => i.kind === 'same-topic').length} same topic)`,
);
console.log('wrong story: threshold on P(unrelated)');
console.log('| threshold | flagged | precision | recall | F1 |\n|---|---|---|---|---|');
for (const t of [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]) {
  const flagged = items.filter((i) => i.pu >= t);
  const tp = flagged.filter((i) => i.swapped).length;
  const p = flagged.length ? tp / flagged.length : 1;
  const r = swapped ? tp / swapped : 0;
  console.log(
    `| ${t} | ${flagged.length} | ${p.toFixed(3)} | ${r.toFixed(3)} | ${((2 * p * r) / (p + r || 1)).toFixed(3)} |`,
  );
}

// Contradicted: the dev part's agree/disagree pairs (bodies under a headline they back or dispute).
const pairs = dev.filter((r) => r.stance === 'agree' || r.stance === 'disagree');
const scored = pairs.map((r) => ({
  disagree: r.stance === 'disagree',
  pd: checker.check({ headline: r.headline, body: bodies.get(r.bodyId) as string }).probabilities.disagree,
}));
const nd = scored.filter((s) => s.disagree).length;
console.log(
  `\ncontradicted: ${scored.length} agree/disagree pairs of the dev part, ${nd} disagree; threshold on P(disagree)`,
);
console.log('| threshold | flagged | precision | recall |\n|---|---|---|---|');
for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
  const f = scored.filter((s) => s.pd >= t);
  const tp = f.filter((s) => s.disagree).length;
  console.log(
    `| ${t} | ${f.length} | ${(f.length ? tp / f.length : 1).toFixed(3)} | ${(nd ? tp / nd : 0).toFixed(3)} |`,
  );
}
