import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../src/index.js';
import type { Verdict, Label } from '../src/index.js';

describe('the package entry', () => {
  it('exports the verbs a user needs and nothing unnamed', () => {
    for (const name of [
      'createChecker',
      'loadModel',
      'parseArticle',
      'classifyPairs',
      'evaluate',
      'trainCalibrated',
      'extractArticle',
      'StanceError',
    ]) {
      assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
    }
    assert.deepEqual([...api.LABELS], ['agree', 'disagree', 'discuss', 'unrelated']);
  });
  it('checks a parsed article end to end with the bundled model', async () => {
    const checker = api.createChecker(await api.loadModel());
    const v: Verdict = checker.check(
      api.parseArticle(
        'Shark seen on flooded motorway\n\nPolice confirmed that a shark was seen swimming on the flooded motorway on Tuesday.',
      ),
    );
    const label: Label = v.label;
    assert.ok(api.isLabel(label));
  });
});
