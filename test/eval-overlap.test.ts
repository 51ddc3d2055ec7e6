/**
 * Training-data fingerprints: `train` records them in the model file, and `eval` warns (stderr,
 * --json, --report) when the pairs it scores were trained on — and only then.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintTraining, trainingOverlap } from '../src/core/model/fingerprints.js';
import { decodeModel, encodeModel } from '../src/core/model/model.js';
import { loadModel } from '../src/adapters/fs/model-file.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'stancecheck.js');
const PAIRS = join(ROOT, 'examples', 'pairs');
const FIX = join(ROOT, 'test', 'fixtures', 'fnc');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

const bodies = new Map([
  ['1', 'The new cycle bridge opened in Nordhavn on Monday.'],
  ['2', 'A bakery won the national bread prize.'],
]);
const training = [
  { headline: 'Cycle bridge opens', bodyId: '1' },
  { headline: 'Bakery wins bread prize', bodyId: '2' },
];

describe('training fingerprints', () => {
  const fp = fingerprintTraining(training, bodies);

  it('count a pair as seen when its headline and body were trained on together', () => {
    const o = trainingOverlap(fp, training, bodies);
    assert.deepEqual(o, { pairs: 2, seenPairs: 2, share: 1, seenHeadlines: 2, seenBodies: 2 });
  });

  it('see through case, quotes and white space, but not through different words', () => {
    const other = new Map([
      ['a', '  the NEW cycle bridge opened in Nordhavn   on Monday '],
      ['b', 'The new cycle bridge closed in Nordhavn on Monday.'],
    ]);
    const o = trainingOverlap(
      fp,
      [
        { headline: '“Cycle  bridge” OPENS', bodyId: 'a' },
        { headline: 'Cycle bridge opens', bodyId: 'b' },
      ],
      other,
    );
    assert.equal(o.seenPairs, 1);
    assert.equal(o.seenHeadlines, 2);
    assert.equal(o.seenBodies, 1);
  });

  it('do not count a training headline with another training body as a seen pair', () => {
    const o = trainingOverlap(fp, [{ headline: 'Cycle bridge opens', bodyId: '2' }], bodies);
    assert.equal(o.seenPairs, 0);
    assert.equal(o.share, 0);
    assert.equal(o.seenHeadlines, 1);
    assert.equal(o.seenBodies, 1);
  });

  it('cost 8 bytes per distinct pair and survive the model file round trip', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({
      headline: `headline ${i}`,
      bodyId: String(i % 2 ? 1 : 2),
    }));
    const big = fingerprintTraining(many, bodies);
    assert.equal(big.pairs.length, 5000);
    assert.equal(big.pairs.byteLength, 5000 * 8);
    const tiny = await loadModel(join(ROOT, 'test', 'fixtures', 'tiny.model'));
    const back = decodeModel(JSON.parse(JSON.stringify(encodeModel({ ...tiny, training: big }))));
    assert.deepEqual(back.training, big);
    const { training: _drop, ...without } = tiny;
    assert.equal(decodeModel(JSON.parse(JSON.stringify(encodeModel(without)))).training, undefined);
  });
});

describe('stancecheck eval and the training data', () => {
  let dir = '';
  let model = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-overlap-'));
    const r = await run([
      'train',
      '--bodies',
      join(PAIRS, 'bodies.csv'),
      '--stances',
      join(PAIRS, 'stances.csv'),
      '--out',
      dir,
      '--no-vectors',
      '--no-progress',
    ]);
    assert.equal(r.code, 0, r.stderr);
    model = join(dir, 'stancecheck-fnc1.model');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('warns on stderr, in --json and in the report when the pairs were trained on', async () => {
    const report = join(dir, 'seen.html');
    const args = [
      '--model',
      model,
      'eval',
      '--bodies',
      join(PAIRS, 'bodies.csv'),
      '--stances',
      join(PAIRS, 'stances.csv'),
    ];
    const r = await run([...args, '--json', '--report', report]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning: 12 of 12 evaluated pairs \(100\.0%\) were in this model's training data/,
    );
    const out = JSON.parse(r.stdout) as {
      trainingOverlap: { seenPairs: number; share: number };
      warnings: { code: string }[];
    };
    assert.equal(out.trainingOverlap.seenPairs, 12);
    assert.equal(out.trainingOverlap.share, 1);
    assert.deepEqual(
      out.warnings.map((w) => w.code),
      ['TRAINING_OVERLAP'],
    );
    const html = await readFile(report, 'utf8');
    assert.match(
      html,
      /<p class="warning" role="alert"><strong>Warning:<\/strong> 12 of 12 evaluated pairs \(100\.0%\)/,
    );
    const text = await run(args);
    assert.match(text.stderr, /warning: 12 of 12/);
  });

  it('does not warn when none of the pairs were trained on', async () => {
    const report = join(dir, 'unseen.html');
    const r = await run([
      '--model',
      model,
      'eval',
      '--bodies',
      join(FIX, 'bodies.csv'),
      '--stances',
      join(FIX, 'stances.csv'),
      '--json',
      '--report',
      report,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    const out = JSON.parse(r.stdout) as { trainingOverlap: { seenPairs: number }; warnings: unknown[] };
    assert.equal(out.trainingOverlap.seenPairs, 0);
    assert.deepEqual(out.warnings, []);
    assert.doesNotMatch(await readFile(report, 'utf8'), /class="warning"/);
  });

  it('says so when the model records no fingerprints', async () => {
    const doc = JSON.parse(gunzipSync(await readFile(model)).toString('utf8')) as { training?: unknown };
    assert.ok(doc.training, 'train records fingerprints');
    delete doc.training;
    const old = join(dir, 'old.model');
    await writeFile(old, gzipSync(JSON.stringify(doc)));
    const r = await run([
      '--model',
      old,
      'eval',
      '--bodies',
      join(PAIRS, 'bodies.csv'),
      '--stances',
      join(PAIRS, 'stances.csv'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /note: this model records no fingerprints of its training data/);
    assert.doesNotMatch(r.stderr, /warning/);
  });
});
