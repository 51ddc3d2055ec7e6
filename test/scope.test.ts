import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeSentence,
  EXPLAIN_SCOPE_RULES,
  FEATURE_SCOPE_RULES,
  scopeSentence,
  type CueKind,
  type ScopeRules,
} from '../src/core/features/scope.js';
import { contentStems, tokenize } from '../src/core/text/tokenize.js';

const claimSet = (claim: string): Set<string> => new Set(contentStems(tokenize(claim)));
const scoped = (sentence: string, claim: string, rules: ScopeRules = EXPLAIN_SCOPE_RULES) =>
  scopeSentence(analyzeSentence(sentence), claimSet(claim), rules);
const words = (
  sentence: string,
  claim: string,
  kind: CueKind,
  rules: ScopeRules = EXPLAIN_SCOPE_RULES,
): string[] =>
  scoped(sentence, claim, rules)
    .cues.filter((c) => c.kind === kind && c.voice !== 'claim')
    .map((c) => c.word);

describe('cue scoping', () => {
  it('does not count "satirical" in "the satirical magazine Charlie Hebdo" as refuting', () => {
    const s = 'The cartoon was published on Wednesday by the satirical magazine Charlie Hebdo in Paris.';
    assert.deepEqual(words(s, 'Charlie Hebdo publishes new cartoon on Wednesday', 'refute'), []);
  });
  it('does not count "fake" in "a fake nipple" as refuting a claim about a third breast', () => {
    const s = 'The woman said she wore a fake nipple on the third breast for the photo shoot.';
    assert.deepEqual(words(s, 'Woman has third breast added by surgeons', 'refute'), []);
  });
  it("does not count a refuting word that names what the story is about (explanations), as the model's features still do", () => {
    const cases: [string, string, string][] = [
      [
        'Teachers will strike on Wednesday in a long-running dispute over pay.',
        'Teachers strike over pay on Wednesday',
        'dispute',
      ],
      [
        'A council officer has been dismissed after six years of absence from work.',
        'Council officer sacked after six years of absence from work',
        'dismissed',
      ],
      [
        'The manager admitted fraud and was jailed for stealing from customers.',
        'Manager jailed for stealing from customers',
        'fraud',
      ],
      [
        'A man who sold fake tickets for music festivals has been jailed.',
        'Man jailed for festival ticket con',
        'fake',
      ],
    ];
    for (const [sentence, claim, word] of cases) {
      assert.deepEqual(words(sentence, claim, 'refute'), [], sentence);
      assert.deepEqual(
        words(sentence, claim, 'refute', FEATURE_SCOPE_RULES),
        [word],
        `features: ${sentence}`,
      );
    }
  });
  it('still counts refuting verbs and verdicts on the claim ("disputes the figures", "dismissed reports", "is fake")', () => {
    assert.deepEqual(
      words(
        'The police chief disputes the figures on crime in the capital.',
        'Crime in the capital fell',
        'refute',
      ),
      ['disputes'],
    );
    assert.deepEqual(
      words('The club dismissed reports it is selling its stadium.', 'Club is selling its stadium', 'refute'),
      ['dismissed'],
    );
    assert.deepEqual(
      words('The photo of a shark on the motorway is fake.', 'Photo shows shark on motorway', 'refute'),
      ['fake'],
    );
  });
  it('does not count "without" in "six boys without any girls" as negating', () => {
    const s = 'The couple now have six boys without any girls, the hospital said.';
    assert.deepEqual(words(s, 'Couple welcome their sixth boy at the city hospital', 'negation'), []);
  });
  it('counts "turned" as a reversal only in "turned down", "turned away" or "turned back" (explanations)', () => {
    const claim = 'Seven pupils pregnant after school trip';
    const s = 'After the school trip it turned out that seven pupils were pregnant.';
    assert.deepEqual(words(s, claim, 'reversal'), []);
    // The model's features keep the rule they were trained with.
    assert.deepEqual(words(s, claim, 'reversal', FEATURE_SCOPE_RULES), ['turned']);
    const offer = 'Singer signs deal for a stadium tour';
    assert.deepEqual(words('The singer turned down the deal for a stadium tour.', offer, 'reversal'), [
      'turned',
    ]);
  });
  it('ends a report inside a concessive clause with that clause ("Despite posts claiming …, no such ban exists")', () => {
    const s =
      'Despite posts claiming the city has banned cars from its centre, no such ban exists, the council said.';
    const claim = 'City bans cars from its centre';
    assert.deepEqual(words(s, claim, 'negation'), ['no']);
    // Without the concession the report runs on: "Posts claim the city has banned cars, and no ban …".
    const report = scoped(
      'Posts claim the city has banned cars from its centre and that no car may enter.',
      claim,
    );
    assert.equal(report.cues.find((c) => c.word === 'no')?.voice, 'claim');
  });
  it('counts "without any evidence" as negating', () => {
    const s = 'The website made the claim about the shark without any evidence.';
    assert.deepEqual(words(s, 'Shark seen on flooded motorway', 'negation'), ['without']);
  });
  it("counts a refuting word in the clause that carries the claim's words", () => {
    const s = 'The photo of a shark on the motorway is fake, police said.';
    assert.deepEqual(words(s, 'Shark photographed on flooded motorway', 'refute'), ['fake']);
  });
  it('counts a bare verdict clause next to the claim\'s words ("…, which spread online, is a hoax")', () => {
    const s = 'The shark photo, which spread quickly online, is a complete hoax.';
    assert.deepEqual(words(s, 'Shark photographed on flooded motorway', 'refute'), ['hoax']);
  });
  it('does not count the claim\'s own word as a cue ("withdrawn" under a headline about a withdrawal), but keeps negations', () => {
    const s = 'The agency said no cereal had been withdrawn from sale.';
    const claim = 'Popular cereal withdrawn over glass fragments';
    assert.deepEqual(words(s, claim, 'reversal'), []);
    assert.deepEqual(words(s, claim, 'negation'), ['no']);
    assert.deepEqual(words('The minister denied the report.', 'Minister denies report', 'refute'), []);
    assert.deepEqual(words('The minister denied the report.', 'Minister resigns over report', 'refute'), [
      'denied',
    ]);
  });
  it("feeds the model's features with the rules the shipped model was trained on (the claim's own word and reported claims as before)", () => {
    assert.deepEqual(
      words('The minister denied the report.', 'Minister denies report', 'refute', FEATURE_SCOPE_RULES),
      ['denied'],
    );
    const s =
      'Posts on social media say a popular breakfast cereal was pulled from sale because glass fragments were found in it.';
    const claim = 'Popular cereal withdrawn over glass fragments';
    assert.deepEqual(
      scoped(s, claim, FEATURE_SCOPE_RULES).cues.filter((c) => c.voice === 'claim'),
      [],
      'no reported-claim voice for the features',
    );
    assert.deepEqual(
      scopeSentence(analyzeSentence(s), claimSet(claim)),
      scoped(s, claim, FEATURE_SCOPE_RULES),
    );
  });
  it('puts the cues of a claim that a carrier reports ("Posts say …") in the claim\'s voice, not the body\'s', () => {
    const claim = 'Popular cereal withdrawn over glass fragments';
    const s =
      'Posts on social media say a popular breakfast cereal was pulled from sale because glass fragments were found in it.';
    assert.deepEqual(words(s, claim, 'reversal'), []);
    const inClaim = scoped(s, claim)
      .cues.filter((c) => c.voice === 'claim')
      .map((c) => c.word);
    assert.ok(inClaim.includes('found') && inClaim.includes('pulled'), inClaim.join(','));
  });
  it('keeps in the body\'s voice what the body says of a reported claim ("Reports that … are untrue")', () => {
    const claim = 'Pop star arrested at airport with fake passport';
    const s =
      'Reports that the pop star was arrested at the airport with a fake passport are untrue, police said.';
    assert.deepEqual(words(s, claim, 'refute'), ['untrue']);
    const inClaim = scoped(s, claim)
      .cues.filter((c) => c.voice === 'claim')
      .map((c) => c.word);
    assert.deepEqual(inClaim, []);
  });
  it('ends a reported claim at a contrast: "Posts say …, but the story is false"', () => {
    const claim = 'Shark photographed on flooded motorway';
    const s =
      'Posts say a shark was photographed on the flooded motorway, but the photo of the shark is fake.';
    assert.deepEqual(words(s, claim, 'refute'), ['fake']);
  });
  it('does not count a refuting word in a clause about something else', () => {
    const s =
      'A shark was seen on the motorway on Tuesday, while in another case the mayor denied taking bribes.';
    assert.deepEqual(words(s, 'Shark seen on flooded motorway', 'refute'), []);
  });
  it('counts "there is no truth to the story" as negating by reference, though it names no claim word', () => {
    const r = scoped(
      'There is no truth to the above-quoted story.',
      'Ghost ship full of rats heading for Florida',
    );
    assert.deepEqual(
      r.cues.map((c) => [c.word, c.anchor]),
      [['no', 'reference']],
    );
  });
  it('counts a one-word verdict ("FALSE.") by reference', () => {
    const r = scoped('FALSE.', 'Ghost ship full of rats heading for Florida');
    assert.equal(r.counts.refute, 1);
  });
  it('does not count refuting words inside a name ("the False Creek marina")', () => {
    assert.deepEqual(
      words('A shark was spotted near the False Creek marina.', 'Shark spotted near marina', 'refute'),
      [],
    );
  });
  it('ignores "denied bail", "lies on the coast" and "science fiction"', () => {
    const claim = 'Fisherman charged over shark attack on the coast';
    assert.deepEqual(
      words('The fisherman charged over the shark attack was denied bail.', claim, 'refute'),
      [],
    );
    assert.deepEqual(
      words('The town where the shark attack happened lies on the coast.', claim, 'refute'),
      [],
    );
    assert.deepEqual(words('The shark attack on the coast read like science fiction.', claim, 'refute'), []);
  });
  it('does not count "no evidence" as support, and counts its "no" as negation', () => {
    const s = 'There is no evidence that a shark swam on the motorway.';
    const r = scoped(s, 'Shark swam on flooded motorway');
    assert.equal(r.counts.support, 0);
    assert.equal(r.counts.negation, 1);
  });
  it("tells a quotation of the claim apart from the body's own voice", () => {
    const claim = 'Ghost ship filled with Ebola rats heading towards Florida';
    const r = scoped(
      'Claim: a ghost ship filled with Ebola-ridden rats is not stopping before Florida.',
      claim,
    );
    assert.ok(r.quotesClaim);
    assert.equal(r.counts.negation, 0);
    assert.equal(r.claimVoice.negation, 1);
    const q = scoped(
      'The post said "a ghost ship filled with rats is heading towards Florida", which is false.',
      claim,
    );
    assert.ok(q.quotesClaim);
    assert.equal(q.counts.refute, 1, 'the body\'s own "false" counts');
  });
  it('keeps quoted speech of a person as quoted voice, still bearing', () => {
    const r = scoped(
      '"The shark photo is fake," the police chief said.',
      'Shark photographed on flooded motorway',
    );
    const fake = r.cues.find((c) => c.word === 'fake');
    assert.equal(fake?.voice, 'quote');
  });
  it('marks hedged, attributed and question sentences as hedged, plain statements as not', () => {
    const claim = 'Shark swam on flooded motorway';
    assert.equal(scoped('A shark swam on the flooded motorway.', claim).hedged, false);
    assert.equal(scoped('A shark reportedly swam on the flooded motorway.', claim).hedged, true);
    assert.equal(scoped('Did a shark swim on the flooded motorway?', claim).hedged, true);
    assert.equal(scoped('A shark swam on the flooded motorway, police said.', claim).hedged, true);
  });
  it('gives UTF-16 offsets that point at the cue words, also after astral characters', () => {
    const s = '🦈 Police say the shark photo is fake — a total hoax.';
    const r = scoped(s, 'Shark photographed on motorway');
    assert.ok(r.cues.length >= 2);
    for (const c of r.cues) assert.equal(s.slice(c.start, c.end).toLowerCase(), c.word);
  });
  it('does not count "not only" or "no doubt" as negation', () => {
    const claim = 'Shark swam on flooded motorway';
    assert.equal(
      scoped('Not only did a shark swim on the motorway, it stayed for an hour.', claim).counts.negation,
      0,
    );
    assert.equal(scoped('There is no doubt a shark swam on the flooded motorway.', claim).counts.negation, 0);
  });
  it('counts the distinct claim words of a sentence the same with and without cue words or quotations', () => {
    const claim = 'Shark swims along flooded motorway near Dunmore';
    // Stop words ("the", "along" is not one) never count; a stem written twice counts once.
    const plain = scoped(
      'The shark swam along the flooded motorway, and the motorway stayed flooded.',
      claim,
    );
    assert.equal(plain.matched, 4);
    assert.deepEqual(plain.cues, []);
    assert.equal(plain.hedged, false);
    assert.equal(plain.quotesClaim, false);
    // The same words with a cue word, and with a quotation: the same count.
    assert.equal(scoped('The shark never swam along the flooded motorway.', claim).matched, 4);
    assert.equal(scoped('The "shark" swam along the flooded motorway.', claim).matched, 4);
    // Without cues, a question is still hedged and a claim label still quotes the claim.
    assert.equal(scoped('Did the shark swim along the flooded motorway?', claim).hedged, true);
    const label = scoped('Claim: a shark swam along the flooded motorway near Dunmore.', claim);
    assert.equal(label.quotesClaim, true);
    assert.equal(label.matched, 6);
    assert.equal(scoped('Nothing about it here.', claim, FEATURE_SCOPE_RULES).matched, 0);
  });
});
