import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { examplePairs } from './helpers/example-pairs.js';
import { createChecker } from '../src/core/create-checker.js';
import { evaluateChecker } from '../src/core/eval/evaluate-checker.js';
import { evaluate } from '../src/core/eval/evaluate.js';

describe('evaluateChecker', () => {
  it('gives the metrics of checking every pair one by one, and reports progress to the end', async () => {
    const checker = createChecker(await loadModel('test/fixtures/tiny.model'));
    const { bodies, pairs } = await examplePairs();
    const seen: number[] = [];
    const m = evaluateChecker(checker, pairs, bodies, (done) => seen.push(done));
    const one = pairs.map((p) => checker.check({ headline: p.headline, body: bodies.get(p.bodyId) ?? '' }));
    assert.deepEqual(
      m,
      evaluate({
        gold: pairs.map((p) => p.label),
        predicted: one.map((v) => v.label),
        probabilities: one.map((v) => v.probabilities),
      }),
    );
    assert.equal(seen.at(-1), pairs.length);
  });
});
