/**
 * The absent-names rule (src/core/features/absent-names.ts): a short body that names none of the
 * headline's names and lacks most of its words tells another story. Texts written for the project,
 * read with the shipped model.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { prepareBody, prepareClaim } from '../src/core/features/extract.js';
import {
  absentNames,
  speaksInPerson,
  MIN_ABSENT_SHARE,
  NAME_ALIASES,
  SHORT_BODY_TOKENS,
} from '../src/core/features/absent-names.js';
import type { Checker } from '../src/core/checker.js';
import type { Model } from '../src/core/model/model.js';

let model: Model;
let checker: Checker;
before(async () => {
  model = await loadModel();
  checker = createChecker(model);
});

const names = (headline: string, body: string): string[] | undefined =>
  absentNames(prepareClaim(headline, model.vocab), prepareBody(body, model.vocab))?.names;

// Two short items of one kind of news (a volcano, a rescue) about different places and events.
const VOLCANO = 'Volcano erupts on Iceland’s Reykjanes peninsula, forcing evacuation of Grindavik';
const ETNA =
  'Mount Etna sent a column of ash four kilometres into the sky on Sunday, and Catania airport closed for the night. Flights resumed on Monday morning.';
const RESCUE = 'Coastguard rescues fishermen off Cornwall after trawler sinks';
const NORWAY =
  'Two divers were pulled from the sea near Bergen after their boat capsized in a storm, Norwegian police said. Both were taken to hospital with hypothermia.';

describe('the absent-names rule', () => {
  it('holds for a short item about another event that never writes the headline’s names', () => {
    assert.deepEqual(names(VOLCANO, ETNA), ['Iceland', 'Reykjanes', 'Grindavik']);
    assert.deepEqual(names(RESCUE, NORWAY), ['Cornwall']);
  });

  it('does not hold when the body writes one of the headline’s names, or a word of the same stem start', () => {
    assert.equal(names(RESCUE, NORWAY.replace('near Bergen', 'off Cornwall')), undefined);
    // "Icelandic" for "Iceland": the first letters of the stem, as the names features read them.
    assert.equal(
      names(
        'Iceland volcano erupts near Grindavik',
        'An eruption began on the Icelandic peninsula on Monday night. Lava flowed towards the town, which was evacuated.',
      ),
      undefined,
    );
  });

  it('does not hold over a long body, where a few topic words are few among many', () => {
    const long = Array.from({ length: 4 }, () => ETNA).join(' ');
    assert.ok(prepareBody(long, model.vocab).tokenCount > SHORT_BODY_TOKENS);
    assert.equal(names(VOLCANO, long), undefined);
  });

  it('does not hold for a headline without names, or when the body has most of the headline’s words', () => {
    assert.equal(names('Police evacuate town as volcano erupts', ETNA), undefined);
    const own =
      'A volcano erupted on the Reykjanes peninsula on Monday night, forcing the evacuation of a fishing town.';
    // The body lacks "Iceland" and "Grindavik" but has most of the other words: the names' weight
    // alone is below the share the rule needs.
    const claim = prepareClaim('Volcano erupts on Reykjanes peninsula, forcing evacuation', model.vocab);
    assert.equal(absentNames(claim, prepareBody(own, model.vocab)), undefined);
    assert.ok(MIN_ABSENT_SHARE > 0.5);
  });

  it('makes the checker call such a pair unrelated where the model alone reads it as related, and says so', () => {
    const headline = 'Wildfire forces thousands to flee homes in California';
    const body =
      'Firefighters in southern France battled a forest blaze near Marseille for a third day on Wednesday. About 2,000 residents left their homes as the flames spread.';
    const off = createChecker(model, { absentNamesRule: false }).check({ headline, body });
    assert.notEqual(off.label, 'unrelated');
    const v = checker.check({ headline, body });
    assert.equal(v.label, 'unrelated');
    assert.match(v.reason, /The model alone reads the body as /);
    assert.match(v.reason, /a short item that never names California and lacks most of the headline's words/);
  });

  it('leaves the headline’s own short story to the model', () => {
    const own =
      'A volcano erupted on Iceland’s Reykjanes peninsula on Monday night, and police evacuated the town of Grindavik as lava flowed towards it.';
    const v = checker.check({ headline: VOLCANO, body: own });
    assert.notEqual(v.label, 'unrelated');
  });

  it('does not hold when the body writes another name of the same thing ("ISIS" for "Islamic State")', () => {
    const headline = 'Islamic State fighters seize oil field near Deir Ezzor';
    const body =
      'Activists said ISIS militants overran a pumping station in eastern Syria on Tuesday. Kurdish forces withdrew after a day of fighting.';
    assert.ok(NAME_ALIASES.some((g) => g.includes('ISIS') && g.includes('Islamic')));
    assert.equal(names(headline, body), undefined);
    // The same item written with another group's name: the rule holds.
    assert.deepEqual(names(headline, body.replace('ISIS militants', 'Taliban militants')), [
      'State',
      'Deir',
      'Ezzor',
    ]);
  });

  it('reads "IS" in capitals as the Islamic State, but not in a headline written all in capitals', () => {
    const body =
      'Activists said Islamic State militants overran a pumping station in eastern Syria on Tuesday. Kurdish forces withdrew after a day of fighting.';
    assert.equal(names('IS fighters seize oil field near Deir Ezzor', body), undefined);
    assert.ok(names('IS fighters seize oil field near Deir Ezzor', body.replace('Islamic State', 'Taliban')));
    // In a headline shouted in capitals "IS" is the verb: the rule holds as if it were not there.
    assert.ok(names('IS FIGHTERS SEIZE OIL FIELD NEAR DEIR EZZOR', body));
  });

  it('does not hold for a body that speaks in the first or second person, as a reader’s comment does', () => {
    // A comment on a proposal argues with it without naming what the headline names.
    const headline = 'Parliament should give Scotland control of its own borders';
    const comment =
      'Borders are a matter for the whole country. I lived near Carlisle for years and nobody there wanted checkpoints on the A74.';
    const report =
      'Borders are a matter for the whole country, ministers in London said. Residents near Carlisle told reporters nobody wanted checkpoints on the A74.';
    assert.equal(speaksInPerson(prepareBody(comment, model.vocab)), true);
    assert.equal(names(headline, comment), undefined);
    assert.equal(speaksInPerson(prepareBody(report, model.vocab)), false);
    assert.ok(names(headline, report));
    // Quoted speech is the speaker's voice, not the body's; "US" in capitals is the country.
    const quoted =
      'Borders are a matter for the whole country, ministers in London said. "We will not build checkpoints," a US official near Carlisle told reporters.';
    assert.equal(speaksInPerson(prepareBody(quoted, model.vocab)), false);
    assert.ok(names(headline, quoted));
  });
});
