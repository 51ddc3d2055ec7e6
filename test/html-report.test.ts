import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MISCLASSIFIED_SHOWN,
  renderReport,
  type MisclassifiedPair,
} from '../src/adapters/report/html-report.js';
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

  it('lists the misclassified pairs in a capped table, escaping their text', () => {
    const pairs: MisclassifiedPair[] = Array.from({ length: MISCLASSIFIED_SHOWN + 50 }, (_, i) => ({
      row: i + 1,
      headline: i === 0 ? '<script>alert("x")</script> & co' : `headline ${i}`,
      bodyId: i === 0 ? '<b>7</b>' : String(i),
      gold: 'agree',
      predicted: 'unrelated',
      confidence: 0.9,
    }));
    const page = renderReport(withProbs, {}, { misclassified: pairs });
    assert.match(
      page,
      /<caption>Misclassified pairs \(200 of 250, the most confident mistakes first\)<\/caption>/,
    );
    assert.equal(page.match(/<tr><td>\d+<\/td><td class="text">/g)?.length, MISCLASSIFIED_SHOWN);
    assert.doesNotMatch(page, /<script|<b>7/);
    assert.match(page, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; co/);
    assert.match(page, /<td>90\.0%<\/td>/);
    assert.doesNotMatch(renderReport(withProbs), /Misclassified pairs/);
  });

  it('shows warnings and notes above the figures, escaped', () => {
    const page = renderReport(
      withProbs,
      {},
      { warnings: ['12 of 12 pairs <seen>'], notes: ['no fingerprints'] },
    );
    assert.match(
      page,
      /<p class="warning" role="alert"><strong>Warning:<\/strong> 12 of 12 pairs &lt;seen&gt;<\/p>/,
    );
    assert.match(page, /<p class="note">Note: no fingerprints<\/p>/);
    assert.ok(page.indexOf('class="warning"') < page.indexOf('id="fig-h"'));
  });
});
