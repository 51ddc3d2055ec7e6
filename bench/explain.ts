/**
 * `npm run bench:explain`: what explanations cost in a single check. For each article, the CPU
 * time of `check` (verdicts, evidence and reasons for the headline and the subtitle) over the CPU
 * time of the same work without explanations (`prepareBody` + `classifyPrepared` per line),
 * interleaved round by round in one process; the median of the rounds' ratios is printed, with
 * the range. CPU time, not wall time: on a busy machine waiting for a core is not work.
 * Articles: test/http-articles.ts (written for the project) and the seed op-ed of issue 8.
 *
 *   npm run bench:explain [-- --rounds 30] [-- --json]
 */
import { readFileSync } from 'node:fs';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/index.js';
import { parseArticle } from '../src/core/article.js';
import type { Article } from '../src/core/verdict.js';
import {
  LONG_BODY,
  TYPICAL_BODY,
  TYPICAL_HEADLINE,
  TYPICAL_SUBTITLE,
  SWAPPED_HEADLINE,
} from '../test/http-articles.js';

const args = process.argv.slice(2);
const at = args.indexOf('--rounds');
const ROUNDS = at >= 0 ? Number(args[at + 1]) : 30;
const PER_ROUND = 8;

const checker = createChecker(await loadModel());
const seed = parseArticle(
  readFileSync(new URL('../test/fixtures/other-war-op-ed.txt', import.meta.url), 'utf8'),
);
const articles: { name: string; article: Article }[] = [
  {
    name: 'typical story, headline + subtitle',
    article: { headline: TYPICAL_HEADLINE, subtitle: TYPICAL_SUBTITLE, body: TYPICAL_BODY },
  },
  { name: 'long story (4,000 words)', article: { headline: TYPICAL_HEADLINE, body: LONG_BODY } },
  { name: 'seed op-ed, headline + subtitle', article: seed },
  { name: 'swapped headline (unrelated)', article: { headline: SWAPPED_HEADLINE, body: TYPICAL_BODY } },
];

const cpu = (fn: () => void): number => {
  const t0 = process.cpuUsage();
  for (let k = 0; k < PER_ROUND; k++) fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / PER_ROUND;
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const rows = articles.map(({ name, article }) => {
  const full = (): void => void checker.check(article);
  const bare = (): void => {
    const body = checker.prepareBody(article.body);
    checker.classifyPrepared(article.headline, body);
    if (article.subtitle !== undefined) checker.classifyPrepared(article.subtitle, body);
  };
  for (let w = 0; w < 10; w++) {
    full();
    bare();
  }
  const ratios: number[] = [];
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = cpu(full);
    const b = cpu(bare);
    withMs.push(a);
    withoutMs.push(b);
    ratios.push(a / b);
  }
  return {
    name,
    withMs: median(withMs),
    withoutMs: median(withoutMs),
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  };
});

if (args.includes('--json')) console.log(JSON.stringify({ rounds: ROUNDS, perRound: PER_ROUND, rows }));
else {
  console.log(
    `explanation cost: CPU time of check / the same without explanations (median of ${ROUNDS} rounds of ${PER_ROUND} checks)`,
  );
  for (const r of rows)
    console.log(
      `  ${r.name.padEnd(36)} ${r.withMs.toFixed(2).padStart(7)} ms / ${r.withoutMs.toFixed(2).padStart(7)} ms = ${r.ratio.toFixed(3)} (range ${r.min.toFixed(2)}–${r.max.toFixed(2)})`,
    );
}
