/**
 * Crafted model files: each is refused with MODEL_INVALID by the decoder and with exit 78 by the
 * real, built CLI (`node bin/stancecheck.js`, so `npm run build` first), within a generous hang
 * guard: none may loop, allocate from a declared size or print a verdict with NaN in it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadModel, maxJsonBytes } from '../src/adapters/fs/model-file.js';
import { decodeModel, encodeModel, type Model, type ModelDocument } from '../src/core/model/model.js';
import { isStanceError } from '../src/core/errors.js';
import { createChecker } from '../src/core/create-checker.js';
import { NUM_FEATURES } from '../src/core/features/extract.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'stancecheck.js');
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.model');
const SHIPPED = join(ROOT, 'models', 'stancecheck-fnc1.model');
/** Far above the few hundred milliseconds a refusal takes; a hang or a multi-GB allocation hits it. */
const HANG_GUARD_MS = 30_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `stancecheck check --model MODEL` on a tiny article, killed if it outlives the hang guard. */
function checkWith(model: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'check',
        '--model',
        model,
        '--headline',
        'Bridge opens',
        '--body',
        'The bridge opened today.',
        '--json',
      ],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// --- typed arrays inside a document ---
function bytesOf(b64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(b64, 'base64'));
}
function b64Of(a: Float32Array | Float64Array | Int32Array | Int16Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
const f32 = (b64: string): Float32Array => new Float32Array(bytesOf(b64).buffer);
const i32 = (b64: string): Int32Array => new Int32Array(bytesOf(b64).buffer);

type Doc = ModelDocument & Record<string, unknown>;

/** The first split node at position ≥ `minIndex` in its tree: its offset, index and tree size. */
function findSplit(doc: Doc, minIndex: number): { o: number; i: number; size: number } {
  const sizes = i32(doc.ensemble.sizes);
  const left = i32(doc.ensemble.left);
  let o = 0;
  for (const size of sizes) {
    for (let i = 0; i < size; i++, o++) if (left[o]! >= 0 && i >= minIndex) return { o, i, size };
  }
  throw new Error(`the fixture has no split at index ≥ ${minIndex}`);
}

function setF32(doc: Doc, key: 'value' | 'threshold', o: number, v: number): void {
  const a = f32(doc.ensemble[key]);
  a[o] = v;
  doc.ensemble[key] = b64Of(a);
}

/** A tiny neural learner (one input per feature, 2 hidden units) so MLP fields can be crafted too. */
function withMlp(model: Model): Model {
  const hidden = 2;
  return {
    ...model,
    mlp: {
      weight: 0.25,
      net: {
        inputs: NUM_FEATURES,
        hidden,
        numClass: 4,
        w1: new Float32Array(NUM_FEATURES * hidden).fill(0.01),
        b1: new Float32Array(hidden),
        w2: new Float32Array(hidden * 4).fill(0.1),
        b2: new Float32Array(4),
      },
      norm: {
        mean: new Float32Array(NUM_FEATURES),
        std: new Float32Array(NUM_FEATURES).fill(1),
        dim: 0,
      },
    },
  };
}

/** Each crafted document and what its refusal must mention. */
const CRAFTED: [name: string, craft: (doc: Doc) => void, message: RegExp][] = [
  [
    'a split whose right child is itself',
    (d) => {
      const s = findSplit(d, 0);
      setF32(d, 'value', s.o, s.i);
    },
    /right child .*found \d+/,
  ],
  [
    'a split whose right child points backwards',
    (d) => {
      const s = findSplit(d, 1);
      setF32(d, 'value', s.o, s.i - 1);
    },
    /right child/,
  ],
  [
    'a right child outside its tree',
    (d) => {
      const s = findSplit(d, 0);
      setF32(d, 'value', s.o, s.size + 1000);
    },
    /right child/,
  ],
  [
    'a fractional right child',
    (d) => {
      const s = findSplit(d, 0);
      setF32(d, 'value', s.o, s.i + 1.5);
    },
    /right child/,
  ],
  [
    'a misplaced left child',
    (d) => {
      const s = findSplit(d, 0);
      const left = i32(d.ensemble.left);
      left[s.o] = s.i + 2;
      d.ensemble.left = b64Of(left);
    },
    /left child .*found/,
  ],
  [
    'a split on a feature that does not exist',
    (d) => {
      const s = findSplit(d, 0);
      const feature = new Int16Array(bytesOf(d.ensemble.feature).buffer);
      feature[s.o] = 5000;
      d.ensemble.feature = b64Of(feature);
    },
    new RegExp(`feature index 0\\.\\.${NUM_FEATURES - 1}, found 5000`),
  ],
  [
    'tree sizes in the billions that still add up',
    (d) => {
      const sizes = i32(d.ensemble.sizes);
      const total = sizes.reduce((a, b) => a + b, 0);
      d.ensemble.sizes = b64Of(Int32Array.from([2_000_000_000, total - 2_000_000_000]));
    },
    /expected a tree of at least 1 node, found -/,
  ],
  [
    'tree sizes that do not match the node arrays',
    (d) => {
      const sizes = i32(d.ensemble.sizes);
      sizes[0] = sizes[0]! + 1;
      d.ensemble.sizes = b64Of(sizes);
    },
    /expected \d+ nodes \(the sum of the tree sizes\), found \d+/,
  ],
  [
    'a vector dimension of a billion with no words',
    (d) => {
      d.vectors = { words: '', dim: 1_000_000_000, scales: '', data: '' };
    },
    /vectors\.dim: .*1024/,
  ],
  ['NaN in a leaf', (d) => setF32(d, 'value', leafOffset(d), NaN), /expected finite numbers, found NaN/],
  [
    'Infinity in a threshold',
    (d) => setF32(d, 'threshold', 0, Infinity),
    /expected finite numbers, found Infinity/,
  ],
  [
    'Infinity in the idf table',
    (d) => {
      const idf = f32(d.vocab.idf);
      idf[0] = Infinity;
      d.vocab.idf = b64Of(idf);
    },
    /vocab\.idf: expected finite numbers, found Infinity at index 0/,
  ],
  [
    'an idf table shorter than the stems',
    (d) => {
      d.vocab.idf = b64Of(f32(d.vocab.idf).subarray(1).slice());
    },
    /expected \d+ idf values \(one per stem\), found \d+/,
  ],
  ['an empty baseScore', (d) => (d.ensemble.baseScore = []), /ensemble\.baseScore/],
  [
    'a null in baseScore',
    (d) => (d.ensemble.baseScore = [0, null as unknown as number, 0, 0]),
    /ensemble\.baseScore\[1\]/,
  ],
  ['a zero temperature', (d) => (d.calibration.temperature = 0), /calibration\.temperature/],
  ['bad base64', (d) => (d.ensemble.left = '!!!!'), /ensemble\.left: expected base64/],
  [
    'base64 with padding in the middle',
    (d) => (d.ensemble.left = 'AA==AAAA'),
    /ensemble\.left: expected base64/,
  ],
  ['a missing vocabulary', (d) => delete (d as Partial<Doc>).vocab, /vocab: /],
  [
    'different feature names',
    (d) => (d.featureNames = [...d.featureNames.slice(0, -1), 'extra.feature']),
    new RegExp(`feature names.*"extra\\.feature" at position ${NUM_FEATURES}.*retrain`),
  ],
  [
    'unordered training fingerprints',
    (d) => (d.training = { headlines: b64Of(Float64Array.from([2, 1])), bodies: '', pairs: '' }),
    /training\.headlines\[1\]: expected increasing whole numbers/,
  ],
];

/** Offset of the first leaf of the first tree. */
function leafOffset(d: Doc): number {
  return i32(d.ensemble.left).findIndex((l) => l < 0);
}

/** Crafted MLP documents (the tiny fixture has no neural learner; one is added). */
const CRAFTED_MLP: [name: string, craft: (doc: Doc) => void, message: RegExp][] = [
  [
    'NaN in the MLP weights',
    (d) => {
      const w1 = f32(d.mlp!.w1);
      w1[3] = NaN;
      d.mlp!.w1 = b64Of(w1);
    },
    /mlp\.w1: expected finite numbers, found NaN at index 3/,
  ],
  [
    'MLP sizes that disagree with its weights',
    (d) => (d.mlp!.hidden = 3),
    new RegExp(`mlp\\.w1: expected ${NUM_FEATURES * 3} first-layer weights`),
  ],
  ['an MLP with a billion hidden units', (d) => (d.mlp!.hidden = 1_000_000_000), /mlp\.hidden/],
  [
    'a zero feature deviation',
    (d) => {
      const std = f32(d.mlp!.std);
      std[7] = 0;
      d.mlp!.std = b64Of(std);
    },
    /mlp\.std\[7\]: expected a positive deviation, found 0/,
  ],
];

describe('crafted model files', () => {
  let dir = '';
  let tinyDoc: Doc;
  let mlpDoc: Doc;
  const fresh = (d: Doc): Doc => JSON.parse(JSON.stringify(d)) as Doc;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-crafted-'));
    tinyDoc = JSON.parse(gunzipSync(await readFile(TINY)).toString('utf8')) as Doc;
    mlpDoc = encodeModel(withMlp(decodeModel(tinyDoc)));
    const built = spawnSync(process.execPath, [BIN, '--version'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, `the CLI must be built first (npm run build): ${built.stderr}`);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('the decoder', () => {
    it('accepts the untouched fixture and the fixture with a neural learner', () => {
      decodeModel(fresh(tinyDoc));
      const m = decodeModel(fresh(mlpDoc));
      const v = createChecker(m).check({ headline: 'Bridge opens', body: 'The bridge opened today.' });
      for (const p of Object.values(v.probabilities)) assert.ok(Number.isFinite(p));
    });

    for (const [name, craft, message] of [...CRAFTED, ...CRAFTED_MLP]) {
      it(`refuses ${name} with MODEL_INVALID saying what it expected and found`, () => {
        const doc = fresh(CRAFTED_MLP.some(([n]) => n === name) ? mlpDoc : tinyDoc);
        craft(doc);
        assert.throws(
          () => decodeModel(doc),
          (e: unknown) => isStanceError(e) && e.code === 'MODEL_INVALID' && message.test(e.message),
        );
      });
    }

    it('keeps MODEL_VERSION for a format version it does not know', () => {
      const doc = fresh(tinyDoc);
      (doc as { formatVersion: number }).formatVersion = 7;
      assert.throws(
        () => decodeModel(doc),
        (e: unknown) => isStanceError(e) && e.code === 'MODEL_VERSION',
      );
    });
  });

  describe('the CLI exits 78 within the hang guard', { concurrency: 2 }, () => {
    for (const [name, craft] of [
      ...CRAFTED.slice(0, 2),
      ...CRAFTED.filter(([n]) =>
        /billions|NaN|Infinity in the idf|empty baseScore|bad base64|misplaced/.test(n),
      ),
      CRAFTED_MLP[0]!,
    ]) {
      it(`on ${name}`, async () => {
        const doc = fresh(name.includes('MLP') ? mlpDoc : tinyDoc);
        craft(doc);
        const path = join(dir, `${name.replace(/\W+/g, '-')}.model`);
        await writeFile(path, gzipSync(JSON.stringify(doc)));
        const r = await checkWith(path);
        assert.equal(r.signal, null, `killed by the hang guard after ${HANG_GUARD_MS} ms`);
        assert.equal(r.code, 78, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /MODEL_INVALID/);
      });
    }

    it('on a 600 KB gzip bomb, refused from the decompression cap', async () => {
      // 1 MB of zeros gzips to about 1 KB; 600 copies of that gzip member are one valid gzip stream of 600 MB.
      const member = gzipSync(Buffer.alloc(1 << 20), { level: 9 });
      const bomb = Buffer.concat(
        Array.from({ length: Math.ceil((600 * 1024) / member.length) }, () => member),
      );
      assert.ok(bomb.length < 700 * 1024 && maxJsonBytes(bomb.length) < 20 * (1 << 20));
      const path = join(dir, 'bomb.model');
      await writeFile(path, bomb);
      await assert.rejects(
        loadModel(path),
        (e: unknown) => isStanceError(e) && e.code === 'MODEL_INVALID' && /gzip bomb/.test(e.message),
      );
      const r = await checkWith(path);
      assert.equal(r.signal, null);
      assert.equal(r.code, 78, r.stderr);
      assert.match(r.stderr, /expected at most [\d.]+ MB of JSON/);
    });

    it('on /dev/zero, refused as not a regular file', async () => {
      const r = await checkWith('/dev/zero');
      assert.equal(r.signal, null);
      assert.equal(r.code, 78, r.stderr);
      assert.match(r.stderr, /expected a regular file, found a character device/);
    });

    it('on a FIFO, refused without waiting for a writer', async (t) => {
      const fifo = join(dir, 'model.fifo');
      if (spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('mkfifo is not available');
      const r = await checkWith(fifo);
      assert.equal(r.signal, null);
      assert.equal(r.code, 78, r.stderr);
      assert.match(r.stderr, /expected a regular file, found a FIFO/);
    });

    it('on a truncated gzip file', async () => {
      const bytes = await readFile(TINY);
      const path = join(dir, 'truncated.model');
      await writeFile(path, bytes.subarray(0, bytes.length >> 1));
      const r = await checkWith(path);
      assert.equal(r.code, 78, r.stderr);
      assert.match(r.stderr, /expected valid gzip data/);
    });

    it('on valid gzip of text that is not JSON', async () => {
      const path = join(dir, 'text.model');
      await writeFile(path, gzipSync('this is not a model\n'));
      const r = await checkWith(path);
      assert.equal(r.code, 78, r.stderr);
      assert.match(r.stderr, /expected gzip-compressed JSON, found gzip of text that is not JSON/);
    });
  });

  it(
    'still loads the tiny fixture and the shipped model and predicts with them',
    { timeout: HANG_GUARD_MS },
    async (t) => {
      for (const path of [TINY, SHIPPED]) {
        const r = await checkWith(path);
        if (path === SHIPPED && r.code === 78 && /no model file/.test(r.stderr))
          return t.skip('no shipped model');
        assert.equal(r.code, 0, r.stderr);
        const v = JSON.parse(r.stdout) as { probabilities: Record<string, number> };
        for (const p of Object.values(v.probabilities)) assert.ok(Number.isFinite(p));
      }
    },
  );
});
