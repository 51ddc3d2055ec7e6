import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { loadModel, saveModel } from '../src/adapters/fs/model-file.js';
import {
  encodeModel,
  decodeModel,
  MODEL_FORMAT_VERSION,
  quantiseVectors,
  type Model,
} from '../src/core/model/model.js';
import { isStanceError } from '../src/core/errors.js';
import { createChecker } from '../src/core/create-checker.js';

const TINY = 'test/fixtures/tiny.model';

async function rejectsWith(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => isStanceError(e) && e.code === code && text.test(e.message));
}

describe('model files', () => {
  let dir = '';
  let tiny: Model;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-model-'));
    tiny = await loadModel(TINY);
  });

  it('round-trip through save and load without changing any prediction', async () => {
    const path = join(dir, 'copy.model');
    await saveModel(tiny, path);
    const again = await loadModel(path);
    const a = createChecker(tiny).check({
      headline: 'Cycle bridge opens',
      body: 'The cycle bridge opened today in Nordhavn.',
    });
    const b = createChecker(again).check({
      headline: 'Cycle bridge opens',
      body: 'The cycle bridge opened today in Nordhavn.',
    });
    assert.deepEqual(b.probabilities, a.probabilities);
  });

  it('refuse an unknown format version with a message that says what to do', async () => {
    const doc = JSON.parse(gunzipSync(await readFile(TINY)).toString('utf8')) as { formatVersion: number };
    doc.formatVersion = MODEL_FORMAT_VERSION + 1;
    const path = join(dir, 'future.model');
    await writeFile(path, gzipSync(JSON.stringify(doc)));
    await rejectsWith(
      loadModel(path),
      'MODEL_VERSION',
      /format version 2, but this stancecheck reads version 1 only.*retrain/,
    );
  });

  it('refuse a file that is not a model, naming the file', async () => {
    const path = join(dir, 'notes.model');
    await writeFile(path, 'hello');
    await rejectsWith(loadModel(path), 'MODEL_INVALID', /notes\.model is not a stancecheck model/);
  });

  it('refuse a model whose tree arrays were truncated', async () => {
    const doc = JSON.parse(gunzipSync(await readFile(TINY)).toString('utf8')) as {
      ensemble: { value: string };
    };
    doc.ensemble.value = doc.ensemble.value.slice(0, 8);
    assert.throws(
      () => decodeModel(doc),
      (e: unknown) => isStanceError(e) && e.code === 'MODEL_INVALID',
    );
  });

  it('save through the atomic writer: no temporary file left, OUTPUT_FAILED for a missing directory', async () => {
    const sub = await mkdtemp(join(dir, 'save-'));
    await saveModel(tiny, join(sub, 'a.model'));
    assert.deepEqual(await readdir(sub), ['a.model']);
    await rejectsWith(saveModel(tiny, join(sub, 'missing', 'b.model')), 'OUTPUT_FAILED', /missing/);
    assert.deepEqual(await readdir(sub), ['a.model']);
  });

  it('report a missing model file as MODEL_NOT_FOUND with its path', async () => {
    await rejectsWith(loadModel(join(dir, 'nope.model')), 'MODEL_NOT_FOUND', /nope\.model/);
  });

  it('keep word vectors to within int8 rounding', () => {
    const v = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i + 1));
    const model: Model = {
      ...tiny,
      vocab: { ...tiny.vocab, vectors: quantiseVectors(new Map([['bridge', v]])), dim: 8 },
    };
    const back = decodeModel(JSON.parse(JSON.stringify(encodeModel(model))));
    const a = model.vocab.vectors?.get('bridge');
    const b = back.vocab.vectors?.get('bridge');
    assert.ok(a && b);
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 0.01);
  });
});
