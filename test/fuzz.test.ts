/**
 * Fuzzing: random and adversarial text (punctuation runs, abbreviations, nested markup, control
 * characters, long tokens, mixed scripts) through the checker and the HTML extractor. Every
 * input must end in a verdict with finite probabilities summing to 1, or a StanceError; never
 * another exception, and never a hang (each input runs under a guard in a worker thread).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createRandom } from '../src/core/model/random.js';
import type { FuzzCase, FuzzOutcome } from './helpers/fuzz-worker.js';

/** Generous per-input limit: the machine may be busy; a hang is minutes. */
const PER_INPUT_MS = 30_000;

const random = createRandom(20_26);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const int = (n: number): number => Math.floor(random() * n);

const PIECES = [
  '.',
  '...',
  '!',
  '?',
  '?!',
  '."',
  ".'",
  ')',
  '(',
  '[',
  ']',
  '"',
  "'",
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\t',
  ',',
  'Dr.',
  'Mr.',
  'J.',
  'U.S.',
  'e.g.',
  'Jan.',
  'No.',
  'etc.',
  'A.B.C.',
  'St.',
  'The',
  'bridge',
  'not',
  'denied',
  'fake',
  'reportedly',
  'confirmed',
  'hoax',
  'shark',
  '2014',
  '5',
  'Zürich',
  'São',
  'Москва',
  'القاهرة',
  '北京',
  '東京',
  'ह',
  '😀',
  '👍🏽',
  'é',
  'é',
  '\u200b',
  '\u200f',
  '\u00a0',
  '\ud800',
  '\udc00',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '&bogus;',
  '<',
  '>',
  '</p>',
  '<p>',
  '\u0000',
  '\u001b[31m',
  '\u0085',
  '\u2028',
];

function randomText(maxPieces: number): string {
  let s = '';
  const n = 1 + int(maxPieces);
  for (let i = 0; i < n; i++) s += pick(PIECES) + (random() < 0.5 ? ' ' : '');
  return s;
}

const control = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(int(32))).join('');

/** Bodies built to hit the slow paths seen before (each about 100–400 KB). */
const ADVERSARIAL: string[] = [
  `The bridge opened ${'.'.repeat(100_000)}`,
  'Dr. Smith '.repeat(40_000),
  'J. '.repeat(40_000),
  `Really${'?!")'.repeat(30_000)} Yes.`,
  'bridge,not,'.repeat(20_000),
  'bridge'.repeat(100_000),
  `A${'.A'.repeat(60_000)}. Next.`,
  '\u0000'.repeat(50_000),
  `The bridge opened. ${control(2_000)}`,
  [...'The bridge opened on Monday.']
    .map((c) => `${c}\u0000`)
    .join('')
    .repeat(1_000),
  '北京'.repeat(50_000),
  'é'.repeat(30_000),
  `${'('.repeat(20_000)}bridge${')'.repeat(20_000)}`,
  `${'"'.repeat(50_000)}Bridge`,
  `${'-'.repeat(50_000)}\n${'='.repeat(50_000)}`,
  'http://example.com/' + 'a/'.repeat(50_000),
  '\n'.repeat(100_000) + 'Bridge.',
  ' '.repeat(100_000) + 'x',
];

const HTML: string[] = [
  `<title>Deep</title>${'<div>'.repeat(3_000)}<p>The bridge opened.</p>${'</div>'.repeat(3_000)}`,
  `<title>Unclosed</title>${'<div><span><b>'.repeat(2_000)}Bridge text here.`,
  `<title>Stray closers</title>${'<div>'.repeat(70)}${'</span>'.repeat(50_000)}<p>Text.</p>`,
  `<title>Comments</title>${'<!--'.repeat(20_000)}<p>Text.</p>`,
  `<title>Tags</title>${'<'.repeat(50_000)}<p>Text.</p>`,
  `<title>Attrs</title><p ${'a="b" '.repeat(20_000)}>Text.</p>`,
  `<h1>${'<i>'.repeat(5_000)}Headline</h1><p>Body.</p>`,
  `<title>Tables</title>${'<table><tr><td>'.repeat(1_000)}Cell text.`,
  `<title>Articles</title>${'<article>'.repeat(1_000)}<p>${'Long text. '.repeat(50)}</p>`,
  `<title>Script</title><script>${'<p>'.repeat(20_000)}`,
  `<title>Banners</title>${'<div class="cookie consent subtitle">Accept all cookies please.</div>'.repeat(5_000)}<p>Text.</p>`,
  `<meta property="og:title" content="${'x'.repeat(100_000)}"><p>Text.</p>`,
  `${control(5_000)}<p>Text</p>`,
  '',
  '<title></title>',
];

function fuzzCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const body of ADVERSARIAL) {
    cases.push({ kind: 'pair', headline: 'Bridge not opened, doctor says', input: body });
    cases.push({ kind: 'text', input: `Bridge opened\n\n${body}` });
  }
  for (let i = 0; i < 150; i++) {
    cases.push({ kind: 'pair', headline: randomText(12), input: randomText(300) });
    cases.push({ kind: 'text', input: randomText(400) });
  }
  for (const html of HTML) cases.push({ kind: 'html', input: html });
  for (let i = 0; i < 60; i++) {
    let html = '';
    for (let k = 0; k < 200; k++) {
      html += pick([
        '<div>',
        '</div>',
        '<p>',
        '</p>',
        '<h1>',
        '</h1>',
        '<title>',
        '<br>',
        '<script>',
        '</script>',
        '<!--',
        '-->',
        '<b>',
        '<a href="x">',
        '&amp;',
      ]);
      html += randomText(3);
    }
    cases.push({ kind: 'html', input: html });
  }
  return cases;
}

/** Runs the cases in a worker; resolves with one outcome per case or rejects naming the case that hung. */
function runGuarded(cases: FuzzCase[]): Promise<FuzzOutcome[]> {
  return new Promise((resolve, reject) => {
    // Workers do not inherit tsx's loader: register it first, then load the TypeScript worker.
    const url = new URL('./helpers/fuzz-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { cases, model: 'test/fixtures/tiny.model' } });
    const outcomes: FuzzOutcome[] = [];
    let timer: NodeJS.Timeout | undefined;
    const arm = (first = false) => {
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          void worker.terminate();
          const c = cases[outcomes.length];
          reject(
            new Error(
              `input ${outcomes.length} (${c?.kind}, ${c?.input.length} chars, starts ${JSON.stringify(c?.input.slice(0, 40))}) did not finish in ${(first ? 2 : 1) * PER_INPUT_MS} ms`,
            ),
          );
        },
        (first ? 2 : 1) * PER_INPUT_MS,
      );
    };
    arm(true);
    worker.on('message', (o: FuzzOutcome) => {
      outcomes.push(o);
      if (outcomes.length === cases.length) {
        clearTimeout(timer);
        void worker.terminate();
        resolve(outcomes);
      } else arm();
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('fuzzing the checker and the HTML extractor', () => {
  it('ends every random or adversarial input in a verdict or a StanceError, without hanging', async () => {
    const cases = fuzzCases();
    const outcomes = await runGuarded(cases);
    const bad = outcomes.filter((o) => o.outcome === 'bad');
    assert.deepEqual(
      bad.map((o) => `${o.index} (${cases[o.index]?.kind}): ${o.detail}`),
      [],
    );
    // The fuzzing reaches both ends: verdicts and coded refusals.
    assert.ok(outcomes.some((o) => o.outcome === 'verdict'));
    assert.ok(outcomes.some((o) => o.outcome === 'stance-error' && o.detail.startsWith('INPUT_ENCODING')));
  });
});
