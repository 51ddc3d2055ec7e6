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
 * Prints, for P(unrelated) alone and for the audit's own score (auditScore in
 * src/core/corpus/rank.ts), precision / recall of "wrong story" at a range of thresholds; then the
 * audit's findings with its cross-check (findingOf with CROSS_CHECK: where else in the archive the
 * headline fits), the candidates being the other bodies of the same draw closest to the headline by
 * lexicalScore (the store's full-text search stands in), once with every story in the archive and
 * once with the story a swapped headline came from taken out (an archive that does not hold it),
 * once with the other articles of the article's own story taken out (one article per story);
 * and for "contradicted" (P(disagree) ≥ t, alone and with the own-voice contradiction rule as the
 * audit reads it) on the dev part's agree/disagree pairs.
 *
 * With --store, each draw is also ingested into a fresh SQLite store and audited by the corpus code
 * itself (full-text search, stored analyses, the cross-check as `corpus audit` makes it), and its
 * wrong-story findings are scored the same way; then ingested in two parts with an audit after each
 * (the second run's refresh looks the first part's doubted headlines up among the second part).
 *
 * With --misses, lists the audit's errors at its threshold (cross-check, every story stored): the
 * swapped headlines it missed and its false alarms, with their scores and best cross-check match.
 *
 *   node --import tsx scripts/audit-proxy.ts --model /tmp/split/stancecheck-fnc1.model [--data ../shared/data/fnc1] [--rounds 6] [--store] [--misses]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/index.js';
import { claimsOf } from '../src/core/train/folds.js';
import { createRandom } from '../src/core/model/random.js';
import { isStopword, tokenize } from '../src/core/text/tokenize.js';
import { analyzeBody, restoreBody } from '../src/core/corpus/analysis.js';
import { guessLanguage } from '../src/adapters/language/tinyld.js';
import {
  addCrossMatch,
  auditScore,
  bodySimilarity,
  findingOf,
  headlineTermsMissing,
  lexicalScore,
  CROSS_CHECK,
  DEFAULT_AUDIT_THRESHOLDS,
  type CrossCheck,
} from '../src/core/corpus/rank.js';
import { normalizeText } from '../src/core/text/normalize.js';
import { stem } from '../src/core/text/tokenize.js';
import { toProbabilities } from '../src/core/labels.js';
import { idfOf } from '../src/core/features/vocabulary.js';
import { prepareClaim } from '../src/core/features/extract.js';
import { sharedNameOnly } from '../src/core/features/shared-name.js';
import { absentNames } from '../src/core/features/absent-names.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    data: { type: 'string', default: process.env.STANCECHECK_DATA ?? '../shared/data/fnc1' },
    rounds: { type: 'string', default: '6' },
    store: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
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
  p: number[];
  /** A rule after the model found another story: shared-name or absent-names (the audit flags it as a wrong story). */
  shared: boolean;
  /** The cross-check with every story in the archive, and without the swapped headline's own story. */
  cross: CrossCheck;
  crossAbsent: CrossCheck;
  /** …and with the article's own story told by no other stored article (one article per story). */
  crossAlone: CrossCheck;
}
const items: Item[] = [];
const ids = [...own.keys()].sort();
const analyses = new Map(ids.map((id) => [id, analyzeBody(bodies.get(id) as string, guessLanguage)]));
// The bodies as the corpus restores them from its stored analysis.
const prepared = new Map(
  ids.map((id) => [id, restoreBody(analyses.get(id) as ReturnType<typeof analyzeBody>, model.vocab)]),
);
const tokensOf = new Map(ids.map((id) => [id, (analyses.get(id) as ReturnType<typeof analyzeBody>).t]));
const relatedness = new Map<string, number>();
const related = (headline: string, id: string): number => {
  const k = `${id}\u0000${headline}`;
  let r = relatedness.get(k);
  if (r === undefined) {
    r =
      1 -
      (checker.classifyPrepared(headline, prepared.get(id) as ReturnType<typeof restoreBody>)
        .probabilities[3] as number);
    relatedness.set(k, r);
  }
  return r;
};
/** The cross-check as the corpus makes it, over the other bodies of the draw (not those in `skip`). */
function crossCheck(headline: string, id: string, skip: (other: string) => boolean): CrossCheck {
  const weights = new Map<string, number>();
  for (const t of tokenize(normalizeText(headline))) if (!isStopword(t)) weights.set(stem(t), idf(stem(t)));
  const check: CrossCheck = {};
  const own = prepared.get(id) as ReturnType<typeof restoreBody>;
  ids
    .filter((o) => o !== id && !skip(o))
    .map((o) => ({ o, l: lexicalScore(weights, tokensOf.get(o) as string[]) }))
    .sort((x, y) => y.l - x.l || (x.o < y.o ? -1 : 1))
    .slice(0, CROSS_CHECK.candidates)
    .forEach(({ o }) =>
      addCrossMatch(check, {
        id: o,
        headline: '',
        relatedness: related(headline, o),
        similarity: bodySimilarity(own, prepared.get(o) as ReturnType<typeof restoreBody>, idf),
        shared: 1 - headlineTermsMissing(headline, tokensOf.get(o) as string[], idf),
      }),
    );
  return check;
}
for (let round = 0; round < ROUNDS; round++) {
  const rnd = createRandom(20261126 + round);
  const drawn: { id: string; headline: string; kind: Item['kind'] }[] = [];
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
    drawn.push({ id, headline, kind });
  }
  for (const { id, headline, kind } of drawn) {
    const body = prepared.get(id) as ReturnType<typeof restoreBody>;
    const v = checker.classifyPrepared(headline, body);
    // A rule after the model found another story (shared-name or absent-names), as the audit reads it.
    const claim = prepareClaim(headline, model.vocab);
    const shared =
      sharedNameOnly(claim, body, model.vocab) !== undefined || absentNames(claim, body) !== undefined;
    const pu = v.probabilities[3] as number;
    const missing = headlineTermsMissing(headline, tokensOf.get(id) as string[], idf);
    const story = claims.headline.get(headline);
    const cross = pu >= CROSS_CHECK.minUnrelated ? crossCheck(headline, id, () => false) : {};
    const crossAbsent =
      pu >= CROSS_CHECK.minUnrelated
        ? crossCheck(headline, id, (o) => kind !== 'own' && claims.body.get(o) === story)
        : {};
    const crossAlone =
      pu >= CROSS_CHECK.minUnrelated
        ? crossCheck(headline, id, (o) => claims.body.get(o) === claims.body.get(id))
        : {};
    items.push({
      crossAlone,
      id,
      headline,
      swapped: kind !== 'own',
      kind,
      pu,
      missing,
      shared,
      score: auditScore(pu, missing),
      p: v.probabilities,
      cross,
      crossAbsent,
    });
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
console.log(
  `\nwrong story as the audit finds it (findingOf) at wrong-story threshold t, without and with the cross-check (${items.filter((i) => i.pu >= CROSS_CHECK.minUnrelated).length} of ${items.length} articles cross-checked)`,
);
console.log(
  '| threshold | own score only | cross-check | cross-check, swapped stories not in the archive | cross-check, no other article of the own story |\n|---|---|---|---|---|',
);
for (const t of [0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8, 0.9]) {
  const th = { ...DEFAULT_AUDIT_THRESHOLDS, wrongStory: t };
  const cell = (cross: (i: Item) => CrossCheck | undefined): string => {
    const flagged = items.filter(
      (i) =>
        findingOf(toProbabilities(i.p), th, i.missing, false, cross(i), i.shared).finding === 'wrong-story',
    );
    const tp = flagged.filter((i) => i.swapped).length;
    const p = flagged.length ? tp / flagged.length : 1;
    const r = swapped ? tp / swapped : 0;
    return `${p.toFixed(3)} / ${r.toFixed(3)} (${((2 * p * r) / (p + r || 1)).toFixed(3)})`;
  };
  console.log(
    `| ${t} | ${cell(() => undefined)} | ${cell((i) => i.cross)} | ${cell((i) => i.crossAbsent)} | ${cell((i) => i.crossAlone)} |`,
  );
}

if (args.misses) {
  // The audit's errors at its threshold with the cross-check (every story stored), to read.
  const judged = items.map((i) => ({
    i,
    f: findingOf(toProbabilities(i.p), DEFAULT_AUDIT_THRESHOLDS, i.missing, false, i.cross, i.shared),
  }));
  const show = (title: string, list: typeof judged): void => {
    console.log(`\n${title}: ${list.length}`);
    for (const { i, f } of list) {
      const best = i.cross.otherStory ?? i.cross.sameStory;
      console.log(
        `- [${i.kind}] body ${i.id} · P(unrelated) ${i.pu.toFixed(3)} · missing ${i.missing.toFixed(2)} · score ${f.score.toFixed(3)}` +
          (best
            ? ` · best match ${best.id} (${i.cross.otherStory ? 'other story' : 'same story'}, related ${best.relatedness.toFixed(3)}, similarity ${best.similarity.toFixed(2)})`
            : ' · no match') +
          `\n  headline: ${i.headline}\n  body: ${(bodies.get(i.id) ?? '').replace(/\s+/g, ' ').slice(0, 160)}`,
      );
    }
  };
  show(
    "missed (another story's headline, not flagged)",
    judged.filter((x) => x.i.swapped && x.f.finding !== 'wrong-story'),
  );
  show(
    'false alarms (own headline, flagged)',
    judged.filter((x) => !x.i.swapped && x.f.finding === 'wrong-story'),
  );
}

if (args.store) {
  // The same draws through the corpus: a real SQLite store per draw, `audit` as the CLI runs it.
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { audit, ingest, openCorpus } = await import('../src/adapters/corpus/corpus.js');
  // Each draw stored at once and audited; and stored in two parts, audited after each (an archive
  // that grows: the second run's refresh looks the first part's doubted headlines up among the rest).
  for (const parts of [1, 2]) {
    let tp = 0;
    let flagged = 0;
    let crossChecked = 0;
    let refreshed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const draw = items.slice(round * ids.length, (round + 1) * ids.length);
      const dir = mkdtempSync(join(tmpdir(), 'stancecheck-audit-proxy-'));
      const corpus = await openCorpus(join(dir, 'proxy.db'), args.model);
      try {
        let report: Awaited<ReturnType<typeof audit>> | undefined;
        const size = Math.ceil(draw.length / parts);
        for (let from = 0; from < draw.length; from += size) {
          await ingest(
            corpus,
            (async function* () {
              for (const i of draw.slice(from, from + size))
                yield { id: i.id, headline: i.headline, body: bodies.get(i.id) as string };
            })(),
          );
          report = await audit(corpus);
          crossChecked += report.crossChecked;
          refreshed += report.refreshed;
        }
        const swappedIds = new Set(draw.filter((i) => i.swapped).map((i) => i.id));
        for (const f of report?.flagged ?? [])
          if (f.finding === 'wrong-story') {
            flagged++;
            if (swappedIds.has(f.id)) tp++;
          }
      } finally {
        await corpus.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const p = flagged ? tp / flagged : 1;
    const r = swapped ? tp / swapped : 0;
    console.log(
      `${parts === 1 ? '\nthe same draws audited in SQLite stores by the corpus code' : 'the same draws stored in two parts, audited after each'} (threshold ${DEFAULT_AUDIT_THRESHOLDS.wrongStory}): ${flagged} flagged, precision ${p.toFixed(3)}, recall ${r.toFixed(3)} (${((2 * p * r) / (p + r || 1)).toFixed(3)}), ${crossChecked} cross-checked${parts > 1 ? `, ${refreshed} refreshed` : ''}`,
    );
  }
}

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
