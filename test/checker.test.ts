import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { LABELS } from '../src/core/labels.js';
import type { Checker } from '../src/core/checker.js';
import { isStanceError } from '../src/core/errors.js';
import {
  CEASEFIRE_BODY,
  OTHER_WAR_HEADLINE,
  SHARK_CLAIM,
  SHARK_DISCUSSES,
  SHARK_REFUTES,
  SHARK_SUPPORTS,
  longOpEd,
} from './helpers/articles.js';

// These tests use the shipped model (models/), which is part of the repository.
let checker: Checker;
before(async () => {
  checker = createChecker(await loadModel());
});

describe('checker with the shipped model', () => {
  describe('verdict shape', () => {
    it('gives probabilities for all four labels that sum to 1, and the label is the most probable', () => {
      const v = checker.check({ headline: SHARK_CLAIM, body: SHARK_SUPPORTS });
      const ps = LABELS.map((l) => v.probabilities[l]);
      assert.ok(Math.abs(ps.reduce((a, b) => a + b, 0) - 1) < 1e-9);
      assert.equal(v.label, LABELS[ps.indexOf(Math.max(...ps))]);
    });
    it('lists evidence sentences with valid indexes, their text, a score and cues', () => {
      const v = checker.check({ headline: SHARK_CLAIM, body: SHARK_REFUTES });
      assert.ok(v.evidence.length > 0);
      for (const e of v.evidence) {
        assert.ok(e.index >= 0 && e.index < v.sentenceCount);
        assert.ok(e.text.length > 0 && e.score > 0 && e.score <= 1);
      }
      assert.ok(v.evidence.some((e) => e.cues.includes('refute')));
    });
    it('checks the subtitle against the body and reports it beside the headline', () => {
      const v = checker.check({
        headline: SHARK_CLAIM,
        subtitle: 'Police confirm a bull shark swam along the flooded road',
        body: SHARK_SUPPORTS,
      });
      assert.ok(v.subtitle);
      assert.equal(v.subtitle.claim, 'Police confirm a bull shark swam along the flooded road');
      assert.notEqual(v.subtitle.label, 'unrelated');
    });
    it('refuses an empty body with INPUT_EMPTY', () => {
      assert.throws(
        () => checker.check({ headline: 'x', body: '  \n ' }),
        (e: unknown) => isStanceError(e) && e.code === 'INPUT_EMPTY',
      );
    });
  });

  describe('swapped headlines', () => {
    it('calls a headline about one war over an article about another war unrelated, and says which words are missing', () => {
      const v = checker.check({ headline: OTHER_WAR_HEADLINE, body: CEASEFIRE_BODY });
      assert.equal(v.label, 'unrelated');
      assert.match(v.reason, /about .*Tarsa.*; the body never mentions/);
    });
    it('keeps the right headline over the same article related', () => {
      const v = checker.check({
        headline: 'Ceasefire between Morvania and rebels takes effect after Geneva talks',
        body: CEASEFIRE_BODY,
      });
      assert.notEqual(v.label, 'unrelated');
    });
  });

  describe('stance', () => {
    it('finds a body that states the claim and then calls it a hoax disagreeing', () => {
      assert.equal(checker.check({ headline: SHARK_CLAIM, body: SHARK_REFUTES }).label, 'disagree');
    });
    it('finds a body that confirms the claim agreeing', () => {
      assert.equal(checker.check({ headline: SHARK_CLAIM, body: SHARK_SUPPORTS }).label, 'agree');
    });
    it('gives the refuting body more disagree probability than the reporting or confirming ones', () => {
      const p = (body: string): number =>
        checker.check({ headline: SHARK_CLAIM, body }).probabilities.disagree;
      assert.ok(p(SHARK_REFUTES) > p(SHARK_DISCUSSES));
      assert.ok(p(SHARK_REFUTES) > p(SHARK_SUPPORTS));
    });
  });

  describe('robustness', () => {
    it('does not call a question headline unrelated when the body answers it', () => {
      const v = checker.check({
        headline: 'Was a shark really seen swimming on the flooded Dunmore motorway?',
        body: SHARK_SUPPORTS,
      });
      assert.notEqual(v.label, 'unrelated');
    });
    it('gives an all-caps headline the same label as its ordinary casing', () => {
      const a = checker.check({ headline: SHARK_CLAIM, body: SHARK_REFUTES });
      const b = checker.check({ headline: SHARK_CLAIM.toUpperCase(), body: SHARK_REFUTES });
      assert.equal(b.label, a.label);
    });
    it('handles a quoted headline like the bare claim', () => {
      const v = checker.check({ headline: `"${SHARK_CLAIM}"`, body: SHARK_SUPPORTS });
      assert.notEqual(v.label, 'unrelated');
    });
    it('finds the relevant passage in a 5,000-word op-ed and points its evidence there', () => {
      const body = longOpEd(SHARK_REFUTES, 5000);
      const v = checker.check({ headline: SHARK_CLAIM, body });
      assert.ok(v.sentenceCount > 250);
      assert.notEqual(v.label, 'unrelated');
      assert.match(v.evidence[0]?.text ?? '', /shark|Dunmore|hoax|motorway/i);
    });
    it('calls a 5,000-word op-ed that never mentions the claim unrelated', () => {
      const v = checker.check({
        headline: SHARK_CLAIM,
        body: longOpEd('The harbour festival returns next week.', 5000),
      });
      assert.equal(v.label, 'unrelated');
    });
  });

  describe('batch fast path', () => {
    it('gives the same label and probabilities as check', () => {
      const body = checker.prepareBody(SHARK_DISCUSSES);
      const fast = checker.classifyPrepared(SHARK_CLAIM, body);
      const full = checker.check({ headline: SHARK_CLAIM, body: SHARK_DISCUSSES });
      assert.equal(fast.label, full.label);
      LABELS.forEach((l, i) =>
        assert.ok(Math.abs((fast.probabilities[i] ?? 0) - full.probabilities[l]) < 1e-12),
      );
    });
  });
});
