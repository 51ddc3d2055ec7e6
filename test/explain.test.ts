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
import { explain, type ClaimRole } from '../src/core/explain.js';
import { pairFeatures, prepareBody, prepareClaim } from '../src/core/features/extract.js';
import type { Label } from '../src/core/labels.js';
import { reasonChecks } from '../scripts/lib/score-challenge.js';

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
  it('calls a Ukraine op-ed under an Israel cease-fire headline and subtitle unrelated for both lines', () => {
    const v = checker.check(opEd());
    assert.equal(v.label, 'unrelated', v.reason);
    assert.equal(v.subtitle?.label, 'unrelated', v.subtitle?.reason);
  });
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
        assert.match(cv.reason, /never mentions .*(Israel|Hamas|Gaza|Netanyahu)/, cv.reason);
        assert.match(cv.reason, /it is about .*(Ukraine|Russia)/, cv.reason);
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

/** Explains a verdict of `label` directly from the core (whatever the shipped model would say). */
function explainAs(label: Label, headline: string, body: string, role: ClaimRole = 'headline') {
  const claim = prepareClaim(headline, model.vocab);
  const prepared = prepareBody(body, model.vocab);
  const { alignment } = pairFeatures(claim, prepared, model.vocab);
  const idf = (st: string): number => model.vocab.idf.get(st) ?? model.vocab.defaultIdf;
  const out = explain({ label, confidence: 0.6, claim, body: prepared, alignment, role, limit: 3, idf });
  const failed = reasonChecks(
    {
      ...out,
      label,
      claim: claim.text,
      probabilities: { agree: 0, disagree: 0, discuss: 0, unrelated: 0 },
      language: 'en',
      warnings: [],
      sentenceCount: prepared.sentenceCount,
    },
    { headline, body },
  );
  assert.deepEqual(failed, [], `${out.reason}`);
  return out;
}

/** Explains `label`; checks that sentence `n` is the top evidence and, when given, that the reason matches `reason`. */
function explainTop(label: Label, headline: string, body: string, n: number, reason?: RegExp) {
  const out = explainAs(label, headline, body);
  assert.equal(out.evidence[0]?.number, n, out.reason);
  if (reason) assert.match(out.reason, reason, out.reason);
  return out;
}

describe('explanations for each label, from the core', () => {
  const CEREAL = 'Popular cereal withdrawn over glass fragments';
  const CEREAL_BODY = [
    'Posts on social media say a popular breakfast cereal has been withdrawn from sale because glass fragments were found in it.',
    'The food safety agency said it had received no reports of glass in the cereal and that no product had been withdrawn.',
    'The manufacturer called the posts "completely false" and asked the platforms to remove them.',
  ].join(' ');
  it('ranks first for disagree the sentence that denies the claim, not the one that reports it ("Posts say …")', () => {
    const { evidence, reason } = explainAs('disagree', CEREAL, CEREAL_BODY);
    assert.notEqual(evidence[0]?.number, 1, reason);
    assert.match(reason, new RegExp(`^Sentence ${evidence[0]?.number} (calls|denies)`), reason);
  });
  it('ranks first for agree a plain statement of the claim, and for discuss the sentence that attributes it', () => {
    const body = [
      'A shark was seen swimming on the flooded motorway in Dunmore on Tuesday.',
      'Some residents claimed that a shark was swimming on the flooded motorway, but none of them had a photograph.',
      'The motorway reopened on Wednesday.',
    ].join(' ');
    assert.equal(explainAs('agree', SHARK_CLAIM, body).evidence[0]?.number, 1);
    const discuss = explainAs('discuss', SHARK_CLAIM, body);
    assert.equal(discuss.evidence[0]?.number, 2);
    assert.match(discuss.reason, /without vouching for it/);
  });
  it('ranks first for agree, under a headline that denies something, the sentence that denies it too, and says so', () => {
    const body = [
      'A celebrity website reported on Sunday that the singer had been arrested at the airport after a fight with a photographer.',
      'The report is completely false.',
      'The singer landed in Madrid on Sunday evening and went straight to a rehearsal.',
    ].join(' ');
    const { evidence } = explainTop(
      'agree',
      'Police deny the singer was arrested at the airport',
      body,
      2,
      /^Sentence 2 denies it as the headline does \("false"\)/,
    );
    assert.ok(evidence[0]?.spans.some((s) => s.cue === 'refute'));
  });
  it('ranks first for disagree, under a headline that denies something, the sentence that states what it denies', () => {
    const body = [
      'Rumours that the singer would not play had spread online last week.',
      'The singer will play at the festival this summer, the organisers confirmed on Monday.',
      'Tickets go on sale on Friday.',
    ].join(' ');
    explainTop(
      'disagree',
      'Singer will not play at the festival this summer',
      body,
      2,
      /^The headline denies what sentence 2 states as fact/,
    );
    // Without the denial the same sentence backs the headline, and refuting words do not.
    explainTop('agree', 'Singer will play at the festival this summer', body, 2);
  });
  it('hears the body\'s own voice after a concessive report ("Despite messages claiming …, no such ban exists")', () => {
    const body = [
      'Despite messages claiming the school has banned mobile phones in class, no such ban exists, the head teacher said.',
      'Pupils may still bring their phones.',
      'The school is only asking parents about a quiet hour, which would not begin before next year.',
    ].join(' ');
    const { evidence } = explainTop('agree', 'No, the school did not ban mobile phones in class', body, 1);
    assert.ok(
      evidence[0]?.spans.some(
        (s) => s.cue === 'negation' && evidence[0]?.text.slice(s.start, s.end) === 'no',
      ),
    );
  });
  it('says a sentence with under half of the headline states part of it, and names what it leaves out', () => {
    const body = ['Forty pupils went on a school trip on Friday.', 'The weather was warm all day.'].join(' ');
    explainTop(
      'agree',
      'Seven pupils poisoned by mushrooms on school trip to the woods',
      body,
      1,
      /^Sentence 1 states part of the headline's claim as fact: .*; it leaves out [^.]*\b(poisoned|mushrooms)\b/,
    );
    const whole = explainAs('agree', 'Pupils go on school trip', body);
    assert.match(whole.reason, /^Sentence 1 states the headline's claim as fact/, whole.reason);
  });
  it('says a discussing sentence reports the claim as disputed when what it reports is a denial', () => {
    const body = [
      'The actor will not play the president in the new film, a trade magazine reports.',
      'Filming starts in the spring.',
    ].join(' ');
    const { evidence } = explainTop(
      'discuss',
      'Actor in talks to play the president in new film',
      body,
      1,
      /^Sentence 1 reports the headline's claim as disputed, without vouching either way \("not"; attribution or hedging: "reports"\)/,
    );
    assert.ok(evidence[0]?.spans.some((s) => s.cue === 'negation'));
  });
  it('takes "It has not." right after the sentence that carries the claim as the refutation in a long op-ed', () => {
    const filler = [
      'People can handle being told that something is not yet known.',
      'What they resent is being told it was certain and then finding out it was not.',
    ];
    const body = [
      'Politicians love a policy that sounds simple.',
      ...filler,
      'Supporters of the rent cap now claim it has brought rents down in the capital.',
      'It has not.',
      'Average rents for new lets rose by 11% in the two years after the cap was introduced.',
      ...filler,
    ].join(' ');
    const { evidence } = explainAs('disagree', 'Rent controls have brought down rents in the capital', body);
    assert.equal(evidence[0]?.text, 'It has not.');
  });
  it('cites the sentence closest in meaning when no sentence shares a word with the headline', () => {
    const body = [
      'Officers have detained a 41-year-old man over the robbery of paintings from the city gallery last month.',
      'The gallery reopened on Friday with extra guards.',
    ].join(' ');
    const { evidence, reason } = explainAs('agree', 'Police arrest suspect in museum theft', body);
    assert.equal(evidence[0]?.number, 1);
    assert.match(reason, /closest in meaning is sentence 1\b/);
  });
  it('never says "as fact" of a sentence with a hedge, an attribution or a question', () => {
    const claim = 'Actor arrested over unpaid taxes';
    for (const body of [
      'The actor was arrested amid reports of unpaid taxes.',
      'The actor has claimed to have had his taxes paid, but was arrested over unpaid taxes.',
      'Was the actor arrested over unpaid taxes?',
    ]) {
      const { reason } = explainAs('agree', claim, body);
      assert.doesNotMatch(reason, /as fact/, reason);
    }
    assert.match(
      explainAs('agree', claim, 'The actor was arrested over unpaid taxes on Monday.').reason,
      /as fact/,
    );
  });
  it('does not say "no sentence confirms or refutes it" of a body that calls the story a hoax', () => {
    const body = [
      'Reports claimed that a shark was seen swimming on the flooded motorway in Dunmore.',
      'The coastguard said the story was a hoax.',
    ].join(' ');
    const { reason } = explainAs('discuss', SHARK_CLAIM, body);
    assert.doesNotMatch(reason, /confirms or refutes/, reason);
  });
  it('says "subtitle" and never "headline" in a subtitle\'s reason, for every label', () => {
    for (const label of ['agree', 'disagree', 'discuss', 'unrelated'] as const) {
      const { reason } = explainAs(label, SHARK_CLAIM, SHARK_REFUTES, 'subtitle');
      assert.match(reason, /subtitle/, reason);
      assert.doesNotMatch(reason, /headline/, reason);
    }
  });
  it('names a word family once in what the body is about ("Ukraine" and "Ukrainian" together)', () => {
    const body = [
      'Ukrainian farmers began the harvest early this year.',
      'Ukraine exported more grain in August than in any month since the war began, and Ukrainian ports were busy.',
      'Grain prices in Ukraine fell as a result, while Odesa port handled record volumes.',
      'Farmers in Odesa region said the Odesa terminals were full.',
    ].join(' ');
    const { reason } = explainAs('unrelated', 'Israel and Hamas agree to cease-fire deal', body);
    assert.match(reason, /it is about Ukraine/, reason);
    assert.doesNotMatch(reason, /Ukrainian/, reason);
    assert.match(reason, /never mentions/, reason);
  });
  it('says what a short body is about from its own words when it repeats few of them, and never by a day or a month', () => {
    // Three sentences that repeat one word family ("agencies", "agency") and nothing else.
    const quake = [
      'Earthquake relief efforts continued in the mountain villages of the north on Friday, as aid agencies warned that thousands of families were still without shelter.',
      'Rescue teams have reached most of the affected areas, but landslides have cut off several roads, the civil protection agency said.',
      'The government has appealed for tents and blankets as night-time temperatures fall below freezing.',
    ].join(' ');
    const { reason } = explainAs('unrelated', 'Striker joins rivals in record transfer', quake);
    assert.match(reason, /it is about [^.;]*earthquake/, reason);
    assert.doesNotMatch(reason, /Friday/, reason);
    // A name written only at the start of sentences is still a name when its family is one inside a
    // sentence ("Ukraine's air force …" and "… Ukrainian officials said").
    const kyiv =
      "Russian forces launched a wave of drones at Kyiv overnight, Ukrainian officials said, damaging power stations. Ukraine's air force said it shot down most of the drones.";
    const other = explainAs('unrelated', 'Israel and Hamas agree to ceasefire in Gaza', kyiv).reason;
    assert.match(other, /it is about [^.;]*Ukraine/, other);
    assert.doesNotMatch(other, /ukraine/, other);
  });
  it('marks a number written with a point or a comma as one word, and not the part of another number', () => {
    const { evidence } = explainAs(
      'agree',
      'Rail fares to rise by 4.6% as 1,200 stations raise prices',
      'Rail fares will rise by 4.6% from March at 1,200 stations, up from 4.2% last year and 4,100 fares.',
    );
    const e = evidence[0];
    assert.ok(e);
    const marked = e.spans.map((s) => e.text.slice(s.start, s.end));
    assert.ok(marked.includes('4.6') && marked.includes('1,200'), marked.join(' | '));
    // The "4" of "4.2" and of "4,100" is not the headline's "4.6".
    assert.equal(marked.filter((w) => /^\d/.test(w)).length, 2, marked.join(' | '));
  });
  it('names two names the body writes side by side as one ("Tel Aviv", "Kim Jong-un"), in its order', () => {
    const body = [
      'Sirens sounded in Tel Aviv on Monday as rockets were fired from Gaza.',
      'Residents of Tel Aviv took shelter, and the army said most rockets were intercepted over Tel Aviv and Ashkelon.',
      'In Ashkelon a house was damaged. Gaza officials reported strikes on Gaza City overnight.',
    ].join(' ');
    const { reason } = explainAs('unrelated', 'Striker joins rivals in record transfer', body);
    assert.match(reason, /it is about [^.;]*Tel Aviv/, reason);
    assert.doesNotMatch(reason, /Aviv, Tel|Tel, |Tel and|and Tel/, reason);
    const korea = [
      'North Korean leader Kim Jong-un watched a missile test on Sunday, state media said.',
      'Kim Jong-un called the launch a success. South Korea and Japan said the missile fell into the sea.',
      'Pyongyang has tested missiles five times this year; Seoul and Tokyo condemned the launch.',
    ].join(' ');
    const other = explainAs('unrelated', 'Striker joins rivals in record transfer', korea).reason;
    assert.match(other, /it is about [^.;]*Kim Jong-un/, other);
    // Names that only stand near each other now and then stay apart.
    assert.doesNotMatch(other, /Korea Kim|Jong-un Korea/, other);
  });
  it('explains the seed case as unrelated by naming Israel, Hamas, Gaza and Netanyahu as absent and Ukraine and Russia as the subject', () => {
    const article = parseArticle(
      readFileSync(new URL('./fixtures/other-war-op-ed.txt', import.meta.url), 'utf8'),
    );
    const { reason } = explainAs('unrelated', article.headline, article.body);
    assert.match(
      reason,
      /^The headline is about Israel, Hamas, Gaza and Netanyahu; the body never mentions them/,
      reason,
    );
    assert.match(reason, /it is about Ukraine, Russia/, reason);
  });
});
