/**
 * The audit's proxy archive and its thresholds (docs/CORPUS.md).
 *
 * Bodies the model did not train on: the claim split's DEV bodies, scored with a model trained on
 * the claim split's TRAIN part only (pass it with --model). Each dev body is put under one of its
 * own headlines (a dev headline labelled agree or discuss with it: editorial headlines state the
 * story or report it); 10 % get another story's headline instead — half a random other story's,
 * half the most similar other story's ("same topic": the own headline of another claim with the
 * highest IDF-weighted word overlap with the body). Another story = another claim (connected
 * component of headlines and bodies through related pairs). The draw is repeated with --rounds
 * seeds and pooled, so the few dev bodies give more swapped headlines.
 *
 * Prints, for P(unrelated) alone and for the audit's combined score (auditScore in
 * src/core/corpus/rank.ts), precision / recall of "wrong story" at a range of thresholds, and for
 * "contradicted" (P(disagree) ≥ t, alone and with the own-voice contradiction rule as the audit
 * reads it) on the dev part's agree/disagree pairs.
 *
 *   node --import tsx scripts/audit-proxy.ts --model /tmp/split/stancecheck-fnc1.model [--data ../shared/data/fnc1] [--rounds 6]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { claimsOf } from '../src/core/train/folds.js';
import { createRandom } from '../src/core/model/random.js';
import { isStopword, tokenize } from '../src/core/text/tokenize.js';
import { analyzeBody } from '../src/core/corpus/analysis.js';
import { auditScore, headlineTermsMissing, DEFAULT_AUDIT_THRESHOLDS } from '../src/core/corpus/rank.js';
import { idfOf } from '../src/core/features/vocabulary.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: process.env.STANCECHECK_DATA ?? '../shared/data/fnc1' },
    rounds: { type: 'string', default: '6' },
  },
});
const DATA = args.data as string;
const ROUNDS = Number(args.rounds);
const model = await loadModel(args.model);
const checker = createChecker(model);
const idf = idfOf(model.vocab);
const bodies = await readBodies(join(DATA, 'train_bodies.csv'));
const dev = await readStances(join(DATA, 'claim-split', 'dev_stances.csv'));
const claims = claimsOf(
  dev.map((r) => ({ headline: r.headline, bodyId: r.bodyId, label: r.stance ?? 'unrelated' })),
);

const own = new Map<string, string[]>();
for (const r of dev)
  if (r.stance === 'agree' || r.stance === 'discuss')
    own.set(r.bodyId, [...(own.get(r.bodyId) ?? []), r.headline]);
const ownPairs = dev.filter((r) => r.stance === 'agree' || r.stance === 'discuss');
// Document frequencies over the dev bodies for the "same topic" choice.
const df = new Map<string, number>();
for (const id of own.keys())
  for (const t of new Set(tokenize(bodies.get(id) as string))) df.set(t, (df.get(t) ?? 0) + 1);
const dfIdf = (t: string): number => Math.log(own.size / (1 + (df.get(t) ?? 0)));

interface Item {
  id: string;
  headline: string;
  swapped: boolean;
  kind: 'own' | 'random' | 'same-topic';
  pu: number;
  missing: number;
  score: number;
}
const items: Item[] = [];
const ids = [...own.keys()].sort();
const prepared = new Map(ids.map((id) => [id, checker.prepareBody(bodies.get(id) as string)]));
const tokensOf = new Map(ids.map((id) => [id, analyzeBody(bodies.get(id) as string).t]));
for (let round = 0; round < ROUNDS; round++) {
  const rnd = createRandom(20261126 + round);
  for (const id of ids) {
    const body = bodies.get(id) as string;
    const mine = own.get(id) as string[];
    let headline = mine[Math.floor(rnd() * mine.length)] as string;
    let kind: Item['kind'] = 'own';
    const u = rnd();
    if (u < 0.1) {
      const comp = claims.body.get(id);
      const others = ownPairs.filter((r) => claims.headline.get(r.headline) !== comp);
      if (u < 0.05) {
        headline = (others[Math.floor(rnd() * others.length)] as { headline: string }).headline;
        kind = 'random';
      } else {
        const bodyTokens = new Set(tokenize(body));
        let best = -1;
        for (const r of others) {
          let s = 0;
          for (const t of new Set(tokenize(r.headline)))
            if (!isStopword(t) && bodyTokens.has(t)) s += dfIdf(t);
          if (s > best) {
            best = s;
            headline = r.headline;
          }
        }
        kind = 'same-topic';
      }
    }
    const v = checker.classifyPrepared(headline, prepared.get(id) as ReturnType<typeof checker.prepareBody>);
    const pu = v.probabilities[3] as number;
    const missing = headlineTermsMissing(headline, tokensOf.get(id) as string[], idf);
    items.push({ id, headline, swapped: kind !== 'own', kind, pu, missing, score: auditScore(pu, missing) });
  }
}
const swapped = items.filter((i) => i.swapped).length;
console.log(
  `proxy archive: ${ids.length} dev bodies × ${ROUNDS} draws = ${items.length} articles, ${swapped} with another story's headline (${items.filter((i) => i.kind === 'same-topic').length} same topic); model ${model.card.name}@${model.card.version} (${model.card.data?.stances ?? '?'})`,
);
function table(title: string, key: 'pu' | 'score', ts: number[]): void {
  console.log(`\nwrong story: ${title}`);
  console.log(
    '| threshold | flagged | precision | recall | missed random | missed same topic |\n|---|---|---|---|---|---|',
  );
  for (const t of ts) {
    const flagged = items.filter((i) => i[key] >= t);
    const tp = flagged.filter((i) => i.swapped).length;
    const missed = items.filter((i) => i.swapped && i[key] < t);
    console.log(
      `| ${t} | ${flagged.length} | ${(flagged.length ? tp / flagged.length : 1).toFixed(3)} | ${(swapped ? tp / swapped : 0).toFixed(3)} | ${missed.filter((i) => i.kind === 'random').length} | ${missed.filter((i) => i.kind === 'same-topic').length} |`,
    );
  }
}
const grid = [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9];
table('P(unrelated) ≥ t', 'pu', grid);
table(`audit score ≥ t (chosen: ${DEFAULT_AUDIT_THRESHOLDS.wrongStory})`, 'score', grid);

// Contradicted: the dev part's agree/disagree pairs (bodies under a headline they back or dispute).
const pairs = dev.filter((r) => r.stance === 'agree' || r.stance === 'disagree');
const scored = pairs.map((r) => {
  // The verdict and the checker's own-voice contradiction rule together, as the audit reads them
  // (the rule flags an article whatever P(disagree) says).
  const { verdict, contradiction } = checker.checkPreparedWithRule(
    r.headline,
    prepared.get(r.bodyId) ?? checker.prepareBody(bodies.get(r.bodyId) as string),
  );
  return {
    disagree: r.stance === 'disagree',
    pd: verdict.probabilities.disagree,
    rule: contradiction !== undefined,
  };
});
const nd = scored.filter((s) => s.disagree).length;
for (const withRule of [false, true]) {
  console.log(
    `\ncontradicted: ${scored.length} agree/disagree pairs of the dev part, ${nd} disagree; P(disagree) ≥ t${withRule ? ' or the contradiction rule holds (the audit, chosen: ' + DEFAULT_AUDIT_THRESHOLDS.contradicted + ')' : ''}`,
  );
  console.log('| threshold | flagged | precision | recall |\n|---|---|---|---|');
  for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
    const f = scored.filter((s) => s.pd >= t || (withRule && s.rule));
    const tp = f.filter((s) => s.disagree).length;
    console.log(
      `| ${t} | ${f.length} | ${(f.length ? tp / f.length : 1).toFixed(3)} | ${(nd ? tp / nd : 0).toFixed(3)} |`,
    );
  }
}
if (process.env.AUDIT_PROXY_DUMP) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.AUDIT_PROXY_DUMP, JSON.stringify(items));
}
