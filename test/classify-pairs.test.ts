import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Checker, PreparedBody } from '../src/core/checker.js';
import { classifyPairs } from '../src/core/classify-pairs.js';
import type { ModelCard } from '../src/core/model/card.js';

/** A fake checker: "agree" when the headline's first word occurs in the body, else "unrelated". */
function fakeChecker(): { checker: Checker; prepared: string[] } {
  const prepared: string[] = [];
  const prepareBody = (body: string): PreparedBody => {
    prepared.push(body);
    return { sentenceCount: 1, sentences: [body] };
  };
  const classifyPrepared = (claim: string, body: PreparedBody) => {
    const hit = (body.sentences[0] ?? '').includes(claim.split(' ')[0] ?? '');
    return {
      label: hit ? ('agree' as const) : ('unrelated' as const),
      probabilities: hit ? [0.7, 0.1, 0.1, 0.1] : [0, 0, 0.2, 0.8],
      language: 'en',
      warnings: [],
    };
  };
  const checker: Checker = {
    card: { name: 'fake', version: '0.0.0' } as ModelCard,
    check: () => {
      throw new Error('not used');
    },
    prepareBody,
    checkPrepared: () => {
      throw new Error('not used');
    },
    checkPreparedWithRule: () => {
      throw new Error('not used');
    },
    classifyPrepared,
  };
  return { checker, prepared };
}

describe('classifyPairs', () => {
  it('yields one result per pair, in order, with probabilities as a record', () => {
    const { checker } = fakeChecker();
    const out = [
      ...classifyPairs(checker, [
        { headline: 'Wolf seen', body: 'A Wolf was seen.' },
        { headline: 'Bread prize', body: 'A Wolf was seen.' },
      ]),
    ];
    assert.deepEqual(
      out.map((r) => r.label),
      ['agree', 'unrelated'],
    );
    assert.deepEqual(out[1]?.probabilities, { agree: 0, disagree: 0, discuss: 0.2, unrelated: 0.8 });
  });

  it('prepares each body once per Body ID, or once per distinct text without one', () => {
    const { checker, prepared } = fakeChecker();
    const pairs = [
      { headline: 'a', body: 'X', bodyKey: '1' },
      { headline: 'b', body: 'X', bodyKey: '1' },
      { headline: 'c', body: 'Y', bodyKey: '2' },
      { headline: 'd', body: 'Z' },
      { headline: 'e', body: 'Z' },
    ];
    assert.equal([...classifyPairs(checker, pairs)].length, 5);
    assert.deepEqual(prepared, ['X', 'Y', 'Z']);
  });

  it('looks a body up in the cache once per run of pairs with that body, and keeps Body IDs apart', () => {
    const { checker, prepared } = fakeChecker();
    const keys: string[] = [];
    const map = new Map<string, PreparedBody>();
    const cache = {
      get: (key: string) => {
        keys.push(key);
        return map.get(key);
      },
      set: (key: string, p: PreparedBody) => map.set(key, p),
    };
    // Equal texts in separate strings, as a parser makes them; then one text under two Body IDs.
    const x = ['Wolf', 'seen.'].join(' ');
    const pairs = [
      { headline: 'Wolf a', body: x },
      { headline: 'Wolf b', body: ['Wolf', 'seen.'].join(' ') },
      { headline: 'Wolf c', body: x },
      { headline: 'Bread', body: 'Bread won.' },
      { headline: 'Wolf d', body: x },
      { headline: 'Wolf e', body: 'Wolf seen.', bodyKey: '1' },
      { headline: 'Wolf f', body: 'Wolf seen.', bodyKey: '1' },
      { headline: 'Wolf g', body: 'Wolf seen.', bodyKey: '2' },
    ];
    const out = [...classifyPairs(checker, pairs, { cache })];
    assert.deepEqual(
      out.map((r) => r.label),
      ['agree', 'agree', 'agree', 'agree', 'agree', 'agree', 'agree', 'agree'],
    );
    assert.deepEqual(keys, [`text:${x}`, 'text:Bread won.', `text:${x}`, 'id:1', 'id:2']);
    assert.deepEqual(prepared, [x, 'Bread won.', 'Wolf seen.', 'Wolf seen.']);
  });
});
