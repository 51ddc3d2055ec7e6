import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { parseArticle } from '../src/core/article.js';
import type { Checker } from '../src/core/checker.js';
import type { ClaimVerdict } from '../src/core/verdict.js';
import { isStanceError } from '../src/core/errors.js';
import { SHARK_CLAIM, SHARK_REFUTES, SHARK_SUPPORTS } from './helpers/articles.js';

let checker: Checker;
let model: Awaited<ReturnType<typeof loadModel>>;
before(async () => {
  model = await loadModel();
  checker = createChecker(model);
});

const GHOST_CLAIM = 'Ghost ship filled with Ebola-infected rats is heading towards Florida';
const GHOST_BODY = [
  'Claim: a ghost ship filled with Ebola-infected rats is heading towards Florida and will reach the coast within days.',
  'Rating: FALSE.',
  'The story is a hoax that first appeared on a website known for fabricated news.',
  'The ship in the photo was towed to a scrapyard two years ago, the coastguard said, and no such vessel is heading towards Florida.',
].join('\n');

function assertSpansPointAtWords(v: ClaimVerdict): void {
  for (const e of v.evidence) {
    for (const s of e.spans) {
      const w = e.text.slice(s.start, s.end);
      assert.ok(
        s.start >= 0 && s.end <= e.text.length && s.end > s.start,
        `span ${s.start}-${s.end} in "${e.text}"`,
      );
      assert.match(w, /^[\p{L}\p{N}'?-]+$/u, `span "${w}" is one word`);
    }
  }
}

describe('explanations', () => {
  it('puts the refuting sentence first for a disagree verdict, not the sentence that repeats the claim', () => {
    const v = checker.check({ headline: GHOST_CLAIM, body: GHOST_BODY });
    assert.equal(v.label, 'disagree');
    const top = v.evidence[0];
    assert.ok(top);
    assert.ok(!top.text.startsWith('Claim:'), `top evidence: ${top.text}`);
    assert.ok(top.spans.some((s) => s.cue === 'refute' || s.cue === 'negation'));
    assert.match(v.reason, new RegExp(`[Ss]entence ${top.number}\\b`));
  });
  it('numbers evidence from 1 and cites in the reason the sentence whose words it names', () => {
    const v = checker.check({ headline: SHARK_CLAIM, body: SHARK_REFUTES });
    for (const e of v.evidence) assert.equal(e.number, e.index + 1);
    const cited = /[Ss]entence (\d+)/.exec(v.reason);
    assert.ok(cited, v.reason);
    const sentence = v.evidence.find((e) => e.number === Number(cited[1]));
    assert.ok(sentence, 'the cited sentence is in the evidence');
    for (const m of v.reason.matchAll(/"([^"]+)"/g))
      assert.ok(
        sentence.text.toLowerCase().includes((m[1] ?? '').toLowerCase()),
        `"${m[1]}" in "${sentence.text}"`,
      );
  });
  it('gives spans whose offsets point at the cue words', () => {
    const v = checker.check({ headline: SHARK_CLAIM, body: `🦈 ${SHARK_REFUTES}` });
    assert.ok(v.evidence.some((e) => e.spans.length > 0));
    assertSpansPointAtWords(v);
    const refuting = v.evidence.flatMap((e) =>
      e.spans.filter((s) => s.cue === 'refute').map((s) => e.text.slice(s.start, s.end).toLowerCase()),
    );
    assert.ok(
      refuting.some((w) => ['hoax', 'false', 'fake', 'doctored', 'fabricated'].includes(w)),
      refuting.join(','),
    );
  });
  it('never counts "satirical" in "the satirical magazine" as the refuting word', () => {
    const body = [
      'The satirical magazine Le Grelot published a new cover on Wednesday showing the prime minister as a lighthouse keeper.',
      'The cover went on sale in Paris on Wednesday morning and sold out within hours, the magazine said.',
      "Its editor said the drawing was meant to mock the government's handling of the storm.",
    ].join(' ');
    const v = checker.check({
      headline: 'Magazine publishes new cover showing prime minister as lighthouse keeper',
      body,
    });
    for (const e of v.evidence)
      assert.ok(
        !e.spans.some(
          (s) => e.text.slice(s.start, s.end).toLowerCase() === 'satirical' && s.cue === 'refute',
        ),
      );
    assert.doesNotMatch(v.reason, /"satirical"/);
  });
  it('never says "as fact" of a hedged, attributed or questioning sentence', () => {
    const claim = 'Mayor of Eastbridge arrested over stolen council funds';
    const bodies = [
      'The mayor of Eastbridge was arrested on Monday amid reports that council funds had been stolen, local media said.',
      'Was the mayor of Eastbridge arrested over stolen council funds? Police would not say.',
      'The mayor of Eastbridge has allegedly been arrested over stolen council funds, according to a local newspaper.',
      'The mayor of Eastbridge was arrested on Monday over stolen council funds. Officers took him from the town hall in the morning.',
    ];
    for (const body of bodies) {
      const v = checker.check({ headline: claim, body });
      if (!/as fact/.test(v.reason)) continue;
      const n = Number(/[Ss]entence (\d+)/.exec(v.reason)?.[1]);
      const cited = v.evidence.find((e) => e.number === n);
      assert.ok(cited, v.reason);
      assert.ok(
        !cited.text.includes('?') &&
          !/\b(said|says|reports?|allegedly|according|claims?)\b/i.test(cited.text),
        `"as fact" of: ${cited.text}`,
      );
    }
  });
  it('says "subtitle" in the subtitle\'s reason', () => {
    const v = checker.check({
      headline: SHARK_CLAIM,
      subtitle: 'Police confirm a bull shark swam along the flooded road',
      body: SHARK_SUPPORTS,
    });
    assert.ok(v.subtitle);
    assert.match(v.subtitle.reason, /subtitle/);
    assert.doesNotMatch(v.subtitle.reason, /headline/);
  });
  it('names in an unrelated reason what the body is about', () => {
    const body = [
      'The Caldbeck village choir will sing at the opening of the national concert hall next spring.',
      "Caldbeck's choir has thirty-one members, and its director, Rosalind Achebe, read the invitation out at rehearsal.",
      'Achebe said the choir would raise money for the trip with concerts in the Caldbeck village hall.',
    ].join(' ');
    const v = checker.check({ headline: 'Rebels seize mountain pass as ceasefire talks collapse', body });
    assert.equal(v.label, 'unrelated');
    assert.match(v.reason, /Caldbeck|choir|Achebe/);
    assert.match(v.reason, /never mentions/);
  });
  const opEd = (): ReturnType<typeof parseArticle> =>
    parseArticle(readFileSync(new URL('./fixtures/other-war-op-ed.txt', import.meta.url), 'utf8'));
  it(
    'calls a Ukraine op-ed under an Israel cease-fire headline and subtitle unrelated for both lines',
    {
      todo: 'the shipped model (v2) calls the headline discuss (40 %, unrelated 35 %); a later stance model must make it unrelated',
    },
    () => {
      const v = checker.check(opEd());
      assert.equal(v.label, 'unrelated', v.reason);
      assert.equal(v.subtitle?.label, 'unrelated', v.subtitle?.reason);
    },
  );
  it("names Israel as absent and Ukraine or Russia as the body's subject when it calls the war op-ed unrelated, and never claims a sentence carries the headline", () => {
    const article = opEd();
    assert.ok(article.subtitle, 'the fixture has a subtitle');
    assert.ok(article.body.split(/\s+/).length > 1400);
    const v = checker.check(article);
    const lines = [
      ['headline', v],
      ['subtitle', v.subtitle],
    ] as const;
    assert.ok(lines.some(([, cv]) => cv?.label === 'unrelated'));
    for (const [what, cv] of lines) {
      assert.ok(cv);
      if (cv.label !== 'unrelated') {
        assert.doesNotMatch(cv.reason, /states|reports the|calls the/, cv.reason);
        continue;
      }
      assert.match(cv.reason, new RegExp(`^The ${what} is about .*Israel`), cv.reason);
      assert.match(cv.reason, /never mentions/);
      assert.match(cv.reason, /it is about .*(Ukraine|Russia)/, cv.reason);
      const shares = /shares only (\d+) of the \w+'s (\d+) key words \(([^)]*)\)/.exec(cv.reason);
      if (shares)
        assert.equal(
          (shares[3] ?? '').split(', ').filter((w) => w !== '…').length,
          Math.min(5, Number(shares[1])),
          'the count matches the words listed',
        );
    }
  });
  it('lists as many evidence sentences as asked, and none for 0, per call and per checker', () => {
    const body = SHARK_REFUTES;
    assert.equal(checker.check({ headline: SHARK_CLAIM, body }, { evidence: 0 }).evidence.length, 0);
    assert.equal(checker.check({ headline: SHARK_CLAIM, body }, { evidence: 1 }).evidence.length, 1);
    assert.ok(checker.check({ headline: SHARK_CLAIM, body }, { evidence: 5 }).evidence.length > 3);
    const one = createChecker(model, { evidence: 1 });
    const v = one.check({ headline: SHARK_CLAIM, subtitle: 'Police say a shark photo is fake', body });
    assert.equal(v.evidence.length, 1);
    assert.equal(v.subtitle?.evidence.length, 1);
    assert.throws(
      () => checker.check({ headline: SHARK_CLAIM, body }, { evidence: -1 }),
      (e: unknown) => isStanceError(e) && e.code === 'USAGE',
    );
    assert.throws(
      () => createChecker(model, { evidence: 1.5 }),
      (e: unknown) => isStanceError(e) && e.code === 'USAGE',
    );
  });
  it('keeps a "See more at" link line out of the evidence', () => {
    const body = `${SHARK_SUPPORTS}\n- See more at: http://www.example-news.com/2026/shark-seen-swimming-on-flooded-motorway-in-dunmore/`;
    const v = checker.check({ headline: SHARK_CLAIM, body });
    assert.ok(v.evidence.every((e) => !/See more at/.test(e.text)));
  });
});
