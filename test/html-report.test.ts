import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../src/adapters/report/html-report.js';
import { evaluate } from '../src/core/eval/evaluate.js';
import type { Label } from '../src/core/labels.js';

const gold: Label[] = ['agree', 'disagree', 'discuss', 'unrelated', 'unrelated'];
const predicted: Label[] = ['agree', 'discuss', 'discuss', 'unrelated', 'agree'];

describe('renderReport', () => {
  const withProbs = evaluate({
    gold,
    predicted,
    probabilities: [
      [0.7, 0.1, 0.1, 0.1],
      [0.1, 0.2, 0.6, 0.1],
      [0.1, 0.1, 0.7, 0.1],
      [0, 0, 0.05, 0.95],
      [0.5, 0.1, 0.1, 0.3],
    ],
  });
  const html = renderReport(withProbs, { model: 'test-model <1.0>', data: 'bodies.csv + stances.csv' });

  it('is one self-contained HTML page with no external assets', () => {
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /<script|<link|src="http|href="http|url\(/i);
  });

  it('contains a confusion-matrix heatmap with one cell per gold/predicted pair', () => {
    assert.match(html, /<svg class="heatmap"[^>]*role="img"/);
    assert.equal(html.match(/<g class="cell"/g)?.length, 16);
    assert.match(html, /data-gold="unrelated" data-pred="agree"/);
  });

  it('shows the headline figures', () => {
    assert.match(html, /FNC-1 score/);
    assert.match(html, /Macro-F1/);
    assert.match(html, /Accuracy/);
    assert.match(html, /ECE/);
  });

  it('has accessible tables with captions and header scopes', () => {
    assert.match(html, /<caption>Per-class scores<\/caption>/);
    assert.match(html, /<th scope="row">disagree<\/th>/);
    assert.match(html, /<th scope="col">precision<\/th>/);
  });

  it('draws a reliability diagram when probabilities were given, and none otherwise', () => {
    assert.match(html, /<svg class="reliability"/);
    const plain = renderReport(evaluate({ gold, predicted }));
    assert.doesNotMatch(plain, /class="reliability"/);
    assert.doesNotMatch(plain, /ECE/);
  });

  it('escapes text from the metadata', () => {
    assert.match(html, /test-model &lt;1\.0&gt;/);
  });
});
