import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATEGORIES, loadChallenge, parseChallenge } from '../scripts/lib/challenge.js';

describe('the challenge set', () => {
  const open = loadChallenge('open');
  const frozen = loadChallenge('frozen');

  it('has at least 200 pairs over both halves, with unique ids', () => {
    assert.ok(open.length + frozen.length >= 200, `${open.length + frozen.length} pairs`);
    const ids = [...open, ...frozen].map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('has every category in both halves, at least 3 pairs each', () => {
    for (const half of [open, frozen]) {
      for (const c of CATEGORIES) assert.ok(half.filter((x) => x.category === c).length >= 3, c);
    }
  });

  it('marks the carrying sentence of every related non-language pair, and the mark is in the body', () => {
    for (const x of [...open, ...frozen]) {
      if (x.label === 'unrelated' || x.category === 'language') continue;
      assert.ok(x.evidence.length > 0, `${x.id} has no E: line`);
      for (const e of x.evidence) assert.ok(x.body.includes(e), `${x.id}: "${e}" is not in its body`);
    }
  });

  it('expects unrelated for wrong-story, other-event and same-place pairs and a language for language pairs', () => {
    for (const x of [...open, ...frozen]) {
      if (x.category === 'wrong-story' || x.category === 'other-event' || x.category === 'same-place')
        assert.equal(x.label, 'unrelated', x.id);
      if (x.category === 'language') assert.match(x.language ?? '', /^[a-z]{2}$/, x.id);
    }
  });

  it('makes long op-eds: every op-ed body has over 900 words', () => {
    for (const x of [...open, ...frozen, ...loadChallenge('evidence')].filter(
      (y) => y.category === 'op-ed',
    )) {
      assert.ok(x.body.split(/\s+/).length > 900, `${x.id}: ${x.body.split(/\s+/).length} words`);
    }
  });

  it('shares no headline between the open and the frozen half', () => {
    const heads = new Set(open.map((x) => x.headline.toLowerCase()));
    for (const x of frozen) assert.ok(!heads.has(x.headline.toLowerCase()), x.id);
  });

  it('gives the evidence measure at least 150 pairs with marked sentences, each mark in its body, ids unique over all files', () => {
    const extra = loadChallenge('evidence');
    const all = [...open, ...frozen, ...extra];
    const marked = all.filter((x) => x.evidence.length > 0);
    assert.ok(marked.length >= 150, `${marked.length} marked pairs`);
    for (const x of extra) {
      assert.ok(x.evidence.length > 0, `${x.id} has no E: line`);
      for (const e of x.evidence) assert.ok(x.body.includes(e), `${x.id}: "${e}" is not in its body`);
    }
    const ids = all.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('shares no headline between the extra evidence pairs and either half', () => {
    const heads = new Set([...open, ...frozen].map((x) => x.headline.toLowerCase()));
    for (const x of loadChallenge('evidence')) assert.ok(!heads.has(x.headline.toLowerCase()), x.id);
  });

  it('refuses a malformed line with its line number', () => {
    assert.throws(() => parseChallenge('=== a | newsroom | agree\nX: oops\n', [], 't.txt'), /t\.txt line 2/);
    assert.throws(() => parseChallenge('=== a | nosuch | agree\n', [], 't.txt'), /line 1/);
  });
});
