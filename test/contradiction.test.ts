import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { alignSentences, prepareBody, prepareClaim } from '../src/core/features/extract.js';
import { boostDisagree, decideDisagree, ownVoiceContradiction } from '../src/core/features/contradiction.js';
import { LABELS } from '../src/core/labels.js';
import type { Model } from '../src/core/model/model.js';

let model: Model;
before(async () => {
  model = await loadModel();
});

/** The sentence the rule points at (its text), or undefined when the rule does not hold. */
function contradicting(headline: string, body: string): string | undefined {
  const claim = prepareClaim(headline, model.vocab);
  const prepared = prepareBody(body, model.vocab);
  const c = ownVoiceContradiction(claim, prepared, alignSentences(claim, prepared));
  return c === undefined ? undefined : prepared.sentences[c.sentence];
}

const FESTIVAL = 'Riverside music festival will go ahead this summer';
const CANCELLED =
  'The Riverside music festival has been cancelled this summer after the organisers lost their site. Ticket holders will get their money back within a month.';

/** Pairs over which the rule holds: [behaviour, headline, body, the word it finds]. */
const HOLDS: [string, string, string, string][] = [
  [
    'holds when the sentence most like a plain headline says, in its own voice, that it was called off',
    FESTIVAL,
    CANCELLED,
    'cancelled',
  ],
  [
    'holds for a withdrawal word only this rule reads ("withheld")',
    'Norway has delivered patrol boats to Estonia',
    'Norway has withheld the patrol boats from Estonia, its defence minister confirmed on Monday. Talks will continue next year.',
    'withheld',
  ],
  [
    'reads "denied reports that …" as a denial, not as attribution',
    'Supermarket chain is buying the regional dairy',
    'The supermarket chain on Friday denied reports that it was buying the regional dairy. Shares in the dairy fell.',
    'denied',
  ],
  [
    'still reads "disputes" as a refutation when it is the verb ("disputes the figures")',
    'Ministry says crime fell by a third in the capital',
    'The city police chief disputes the ministry figures on crime in the capital, which fell by a third. The ministry stands by them.',
    'disputes',
  ],
  [
    'still reads "dismissed" as a refutation when it dismisses a report',
    'Football club is selling its stadium to a developer',
    'The football club has dismissed reports it is selling its stadium to a developer. The ground will be renovated instead.',
    'dismissed',
  ],
  [
    'reads "is not true" as a refutation, also under a headline with a reversal word of its own ("found dead")',
    "Zoo's oldest elephant found dead in her enclosure",
    "The story that the zoo's oldest elephant was found dead in her enclosure is not true, a spokeswoman said on Monday. Keepers said she was eating well.",
    'not',
  ],
  [
    'holds when the sentence after a report of the claim answers it with a short denial ("They have not.")',
    'Bus fares in the city have doubled since January',
    'Opposition councillors keep saying that bus fares in the city have doubled since January. They have not. The standard single fare rose from 1.80 to 2.00, an increase of 11%.',
    'have not',
  ],
  [
    'holds for a short answer that calls it false ("But that is simply false.")',
    'The new bridge has cut traffic in the old town by half',
    'The council claims the new bridge has cut traffic in the old town by half. But that is simply false. Counts on the high street show the same number of cars as last year.',
    'is simply false',
  ],
  [
    'holds for a sentence saying the claim\'s source found "nothing of the kind"',
    'Free school meals have raised reading scores',
    'Ministers say free school meals have raised reading scores across the county. The survey they cite found nothing of the kind: reading scores were flat in every school that took part.',
    'nothing of the kind',
  ],
  [
    'still reads "fake" as a refutation when it says the thing in the headline is fake',
    'Photo shows shark swimming on flooded motorway',
    'The photo of a shark swimming on a flooded motorway is fake. It first appeared in 2011, after a hurricane in the United States.',
    'fake',
  ],
  [
    'holds for a headline that reports a withdrawal when the body negates the withdrawal itself ("has not cancelled")',
    'Airline cancels all flights to Tel Aviv',
    'The airline has not cancelled its flights to Tel Aviv and will operate its full schedule this week. Passengers should check in as normal.',
    'not',
  ],
  [
    'holds for "no plans to scrap" under a headline that says a plan will be scrapped',
    'Government to scrap free bus passes for pensioners',
    'The government has no plans to scrap free bus passes for pensioners. The transport minister told MPs the passes would stay.',
    'no',
  ],
  [
    'holds for "has not been called off" under a headline that says it was called off',
    'Rail strike called off after last-minute deal',
    'The rail strike planned for Friday has not been called off, and talks broke down on Wednesday night. No trains will run.',
    'not',
  ],
  [
    'reads a refutation that a plain speech verb attributes ("experts said the video … was fake")',
    'Video shows bear riding a bicycle through Moscow',
    'Experts said the video of a bear riding a bicycle through Moscow was fake. It was made with animation software.',
    'fake',
  ],
  [
    'reads "called off" as a withdrawal',
    'Orchestra plays free concert in the park on Sunday',
    'The orchestra has called off its free concert in the park on Sunday. It hopes to play in July.',
    'called off',
  ],
  [
    'reads "backs" in a headline as support, so a pulled backing contradicts it',
    'Senator backs the clean rivers bill',
    'The senator has pulled her support for the clean rivers bill, saying the final text was too weak. The vote is on Thursday.',
    'pulled',
  ],
  [
    'holds for a negation after "that" when the pronoun is a conjunction, not a relative',
    'Bank to charge customers for using cash machines',
    'The bank confirmed on Tuesday that it will not charge customers for using cash machines. Fees were never planned.',
    'not',
  ],
];

/** Pairs over which it does not: [behaviour, headline, body]. */
const HOLDS_NOT: [string, string, string][] = [
  [
    'does not hold when the sentence hedges the withdrawal',
    FESTIVAL,
    'The Riverside music festival has reportedly been cancelled this summer. Ticket holders have not been told anything yet.',
  ],
  [
    'does not hold when the sentence attributes the withdrawal to a report',
    FESTIVAL,
    'Local radio says the Riverside music festival has been cancelled this summer. Ticket holders have not been told anything yet.',
  ],
  [
    'does not hold when the withdrawal is only in quoted speech',
    FESTIVAL,
    'The Riverside music festival this summer is "as good as cancelled", one neighbour told the council. The organisers expect 20,000 visitors.',
  ],
  [
    'does not hold for a headline that itself negates',
    'Riverside music festival will not go ahead this summer',
    CANCELLED,
  ],
  [
    'does not hold for a headline that itself denies',
    'Organisers deny Riverside music festival is going ahead this summer',
    CANCELLED,
  ],
  [
    'does not hold for a question headline',
    'Will the Riverside music festival go ahead this summer?',
    CANCELLED,
  ],
  [
    'does not read "found" as a reversal when the headline is not about a death, loss or capture',
    'Divers find Roman shipwreck off the Cornish coast',
    'Divers have found a Roman shipwreck off the Cornish coast, carrying hundreds of wine jars. The wreck lies 40 metres down.',
  ],
  [
    'does not read "no less than" as a denial',
    'Seven climbers reach the summit of Mount Kenya in one day',
    'No less than seven climbers reached the summit of Mount Kenya in one day last week. It was a record for the mountain.',
  ],
  [
    'does not read "did not have to" as a denial',
    'Local baker wins national bread prize',
    'The local baker did not have to enter twice to win the national bread prize this year. She has baked in the town for 30 years.',
  ],
  [
    'does not read "nothing but" as a denial',
    'Heartbroken student spends a week eating only chips',
    'The heartbroken student spent a week eating nothing but chips, her flatmates said on Sunday. She is fine now.',
  ],
  [
    'does not read "not the first time" as a denial',
    'Rare white bison born at Montana ranch',
    'It is not the first time a rare white bison has been born at the Montana ranch. The last one arrived in 2012.',
  ],
  [
    'does not read "not be the first" as a denial',
    'Bronze statue stolen from Riverside park',
    'It would not be the first time a bronze statue has been stolen from Riverside park. Police are asking for witnesses.',
  ],
  [
    'does not read a negation in a relative clause ("who don\'t") as bearing on the headline',
    "Parents try to sell their car to pay for daughter's treatment",
    "Parents who don't have the money for their daughter's treatment are trying to sell their car to pay for it. Neighbours have offered help.",
  ],
  [
    'does not read a withdrawal in a subordinate clause with its own subject ("after X backed out")',
    'Actor to play the lead in new detective series',
    'The actor is back in line to play the lead in the new detective series after his rival backed out. Filming starts in May.',
  ],
  [
    'does not read "declined to comment" as a reversal',
    'Airline plans to close its northern base',
    'Asked about plans to close its northern base, the airline declined to comment on the northern base. Staff were told on Monday.',
  ],
  [
    'does not read "dispute" as a refutation when it names a conflict the story is about ("in a dispute over pay")',
    'Schools to stay closed as teachers strike over pay',
    'Hundreds of schools will stay closed on Wednesday as teachers strike in a long-running dispute over pay. The union rejected the latest offer.',
  ],
  [
    'does not read "dismissed" as a refutation when a person was dismissed from a job',
    'Council officer sacked after six years of absence from work',
    'A council officer has been dismissed after six years of absence from work, a tribunal heard. He had drawn a full salary.',
  ],
  [
    'does not read "fraud" as a refutation when it is the crime the story reports ("admitted fraud")',
    'Bank manager jailed for stealing from elderly customers',
    'The bank manager admitted fraud and was jailed for stealing from elderly customers at Bristol Crown Court. The bank refunded every customer.',
  ],
  [
    'does not read "fake" as a refutation when it describes forged goods the story is about ("sold fake tickets")',
    'Man jailed for festival ticket con',
    'A man who sold fake tickets for music festivals to more than 600 people has been jailed for three years. Buyers were turned away at the gates.',
  ],
  [
    'does not hold when the headline itself reports an end ("Police end … siege" over "the siege ended")',
    'Police end six-hour siege at Manchester bank',
    'A six-hour siege at a bank in Manchester ended when armed police stormed the building on Tuesday evening. Two hostages were freed unhurt.',
  ],
  [
    'does not hold when the headline itself says it was called off',
    'Rail strike called off after last-minute deal',
    'A rail strike planned for Friday has been called off after a last-minute deal on pay. Trains will run as normal.',
  ],
  [
    'does not hold when the headline itself reports a postponement or a collapse',
    'Band postpones UK tour after singer breaks ankle',
    'The band has postponed its UK tour after its lead singer broke his ankle on stage in Glasgow. The dates will move to the autumn.',
  ],
  [
    'does not hold when the headline says a plan will be scrapped and the body that it was',
    'Government to scrap plan for new coal mine in Cumbria',
    'The government has scrapped its plan for a new coal mine in Cumbria. Campaigners welcomed the decision.',
  ],
  [
    'does not read a negation of something else as contradicting a headline that reports a withdrawal ("quits" over "will not play")',
    'Christian Bale quits Steve Jobs film',
    'Christian Bale will not play Steve Jobs in the new film about the Apple founder, after weeks of talks. Another actor is expected to be cast.',
  ],
  [
    'does not read a negation that a plain speech verb attributes ("will not …, the club said")',
    'Striker joins Spanish club for record fee',
    'The striker will not join the Spanish club for a record fee this summer, his club said on Monday. Talks will resume in January.',
  ],
  [
    'does not hold when the contradicting sentence carries too little of the headline',
    'City council approves new tram line to the airport after long debate',
    'The airport cancelled forty flights. The weather was fine on Tuesday.',
  ],
  [
    'does not read a hedge after the claim ("It was not clear …") as a denial',
    'Gas leak caused explosion at high street bakery',
    'Police said a gas leak caused the explosion at the high street bakery on Sunday. It was not clear when the bakery would reopen.',
  ],
  [
    'does not read a quoted answer ("It is not," the minister said) as the body\'s own denial',
    'The new bridge has cut traffic in the old town by half',
    'Campaigners say the new bridge has cut traffic in the old town by half. "It is not," the minister said. Counts on the high street will be published in May.',
  ],
  [
    'still does not read a plain negation beside a plain speech verb ("will not …, the club said") as a refutation, even before "true" elsewhere',
    'Striker joins Spanish club for record fee',
    'The striker will not join the Spanish club for a record fee this summer, his club said, calling the rumours true nonsense. Talks will resume in January.',
  ],
  [
    'does not read "no such thing as …" as a denial',
    'Town council promises free parking for all residents',
    'The town council has promised free parking for all residents from April. There is no such thing as free parking, since someone has to pay for the spaces.',
  ],
  [
    'does not hold when the sentence quotes the headline as a claim',
    FESTIVAL,
    'The "Riverside music festival will go ahead this summer" posts were never true. Ticket sales have not started.',
  ],
  [
    'does not read a withdrawal word inside a quotation',
    'Norway has delivered patrol boats to Estonia',
    'Norway has delivered the patrol boats to Estonia that critics called "withheld for far too long". Two more will follow.',
  ],
];

describe('own-voice contradiction rule', () => {
  for (const [behaviour, headline, body, word] of HOLDS)
    it(behaviour, () => {
      const claim = prepareClaim(headline, model.vocab);
      const prepared = prepareBody(body, model.vocab);
      const c = ownVoiceContradiction(claim, prepared, alignSentences(claim, prepared));
      assert.ok(c, 'the rule holds');
      assert.equal(c.word, word);
      assert.equal(prepared.sentences[c.sentence]?.slice(c.start, c.end), word, 'offsets point at the word');
    });

  for (const [behaviour, headline, body] of HOLDS_NOT)
    it(behaviour, () => assert.equal(contradicting(headline, body), undefined));

  it('reads the second best-aligned sentence too, but not the third', () => {
    const plain =
      'The Riverside music festival was meant to go ahead this summer on the meadow by the river.';
    const cancelled = 'This summer the Riverside music festival has been cancelled.';
    assert.equal(contradicting(FESTIVAL, `${plain} ${cancelled}`), cancelled);
    assert.equal(
      contradicting(
        FESTIVAL,
        `${plain} The Riverside music festival will go ahead this summer with forty bands, its website said in May. ${cancelled}`,
      ),
      undefined,
    );
  });
});

describe('the checker with the rule', () => {
  it("decides disagree where the rule holds (odds × e^boost, then lifted above the model's top label if need be), and changes nothing elsewhere", () => {
    const on = createChecker(model);
    const off = createChecker(model, { contradictionRule: false });
    const withRule = on.check({ headline: FESTIVAL, body: CANCELLED });
    const without = off.check({ headline: FESTIVAL, body: CANCELLED });
    assert.equal(withRule.label, 'disagree');
    const expected = decideDisagree(Float64Array.from(LABELS.map((l) => without.probabilities[l])));
    LABELS.forEach((l, k) =>
      assert.ok(
        Math.abs(withRule.probabilities[l] - (expected[k] as number)) < 1e-9,
        `${l} as decideDisagree gives`,
      ),
    );
    // Where the rule does not hold the two checkers agree exactly.
    const plain = {
      headline: FESTIVAL,
      body: 'The Riverside music festival will go ahead this summer on a new site by the river. Tickets go on sale on Friday.',
    };
    assert.deepEqual(on.check(plain).probabilities, off.check(plain).probabilities);
  });

  it('turns a plain headline to disagree when its best sentence says, in its own voice, that it did not happen', () => {
    const article = {
      headline: 'Council approves new football stadium by the river',
      body: 'The council has not approved the new football stadium by the river. A decision is expected in the spring.',
    };
    const v = createChecker(model).check(article);
    assert.equal(v.label, 'disagree');
    assert.match(v.reason, /^Sentence 1 denies the headline's claim \("not"\)/);
    assert.equal(v.evidence[0]?.number, 1);
    assert.notEqual(createChecker(model, { contradictionRule: false }).check(article).label, 'disagree');
  });

  it('turns a withdrawal the model alone reads as backing or discussing to disagree, and says so in the reason', () => {
    const article = {
      headline: 'Orchestra plays free concert in the park on Sunday',
      body: 'The orchestra has called off its free concert in the park on Sunday because of the storm warning. It hopes to play later in the summer.',
    };
    const plain = createChecker(model, { contradictionRule: false }).check(article);
    assert.notEqual(plain.label, 'disagree', 'the model alone does not read the withdrawal');
    assert.doesNotMatch(plain.reason, /called off/);
    const v = createChecker(model).check(article);
    assert.equal(v.label, 'disagree');
    assert.match(v.reason, /"called off"/);
    assert.match(
      v.reason,
      /The model alone reads the body as (backing|discussing) it; this sentence turns the label\.$/,
    );
    const first = v.evidence[0];
    assert.equal(first?.number, 1, 'the contradicting sentence is the first evidence');
    assert.ok(
      first.spans.some((x) => x.cue === 'reversal' && first.text.slice(x.start, x.end) === 'called off'),
      'the words "called off" are marked as a reversal',
    );
  });

  it('keeps the probabilities a distribution', () => {
    const p = boostDisagree(Float64Array.from([0.7, 0.05, 0.2, 0.05]));
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok((p[1] as number) > 0.05 && (p[0] as number) < 0.7);
  });

  it('lifts disagree just above a confident other label, at about even odds, as a distribution', () => {
    const p = decideDisagree(Float64Array.from([0.97, 0.005, 0.02, 0.005]));
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok((p[1] as number) > (p[0] as number), 'disagree is the label');
    assert.ok(Math.abs((p[1] as number) - (p[0] as number)) < 1e-5, "at even odds with the model's label");
    // Where the boost alone makes disagree the label, nothing is lifted.
    const q = Float64Array.from([0.4, 0.3, 0.2, 0.1]);
    assert.deepEqual(decideDisagree(q.slice()), boostDisagree(q.slice()));
  });
});
