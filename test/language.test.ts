import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { detectLanguage as detectWithout } from '../src/core/text/language.js';
import { createChecker as createCoreChecker } from '../src/core/create-checker.js';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker, detectLanguage } from '../src/index.js';
import type { Checker } from '../src/core/checker.js';

const RUSSIAN =
  'Футбольный клуб «Спартак» в воскресенье обыграл «Зенит» со счётом 2:1 в матче чемпионата России. Решающий гол забил нападающий во втором тайме, а тренер сказал, что доволен игрой.';
const FRENCH =
  "Le conseil municipal a approuvé mardi soir la construction d'une nouvelle ligne de tramway entre la gare centrale et l'aéroport. Les travaux doivent commencer au printemps prochain.";
const GERMAN =
  'Wegen der Hitzewelle sind am Montag Hunderte Schulen im Norden des Landes geschlossen geblieben. Die Temperaturen stiegen den dritten Tag in Folge auf über 40 Grad.';
const SPANISH =
  'El Gobierno prohibirá la venta de cigarrillos electrónicos desechables a partir de junio, anunció el lunes la ministra de Sanidad. Las tiendas que incumplan la norma pagarán multas.';
const ENGLISH =
  'The city council voted 31 to 12 on Tuesday to approve a new tram line linking the central station with the airport. Construction is due to begin next spring.';

describe('detectLanguage', () => {
  it('tells English, Russian, French, German and Spanish bodies apart', () => {
    assert.equal(detectLanguage(ENGLISH), 'en');
    assert.equal(detectLanguage(RUSSIAN), 'ru');
    assert.equal(detectLanguage(FRENCH), 'fr');
    assert.equal(detectLanguage(GERMAN), 'de');
    assert.equal(detectLanguage(SPANISH), 'es');
  });

  it('says "und" when the text is too short to tell', () => {
    assert.equal(detectLanguage('Apple buys Beats'), 'und');
    assert.equal(detectLanguage('123 456 !!!'), 'und');
  });

  it('tells English without a guesser, and says "und" for other text when the core is given none', () => {
    assert.equal(detectWithout(ENGLISH), 'en');
    assert.equal(detectWithout(RUSSIAN), 'und');
    assert.equal(
      detectWithout(RUSSIAN, () => 'xx'),
      'xx',
    );
  });

  it('loads tinyld only when a body that is not plainly English comes', () => {
    // A fresh process: checks English bodies, then a German one, and reports when tinyld was loaded.
    const script = `
      import { createChecker } from './src/index.ts';
      import { loadModel } from './src/adapters/fs/model-file.ts';
      import { tinyldLoaded } from './src/adapters/language/tinyld.ts';
      const checker = createChecker(await loadModel('test/fixtures/tiny.model'));
      checker.check({ headline: 'Council approves tram line', body: ${JSON.stringify(ENGLISH)} });
      const before = tinyldLoaded();
      const v = checker.check({ headline: 'Heatwave closes schools', body: ${JSON.stringify(GERMAN)} });
      console.log(JSON.stringify({ before, after: tinyldLoaded(), language: v.language }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop() ?? ''), {
      before: false,
      after: true,
      language: 'de',
    });
  });
});

describe("the core's checker without a language guesser", () => {
  it('gives a body that is not plainly English the language "und" and no NOT_ENGLISH warning', async () => {
    const checker = createCoreChecker(await loadModel('test/fixtures/tiny.model'));
    const v = checker.check({ headline: 'Heatwave closes schools', body: GERMAN });
    assert.equal(v.language, 'und');
    assert.deepEqual(v.warnings, []);
  });
});

describe('verdicts carry the body language and warnings', () => {
  let checker: Checker;
  before(async () => {
    checker = createChecker(await loadModel('test/fixtures/tiny.model'));
  });

  it('gives an English body language "en" and no warnings', () => {
    const v = checker.check({ headline: 'Council approves tram line', body: ENGLISH });
    assert.equal(v.language, 'en');
    assert.deepEqual(v.warnings, []);
  });

  it('flags a Russian body as not English, still gives a label, and never says "states it as fact"', () => {
    const v = checker.check({
      headline: 'Moscow mayor resigns',
      subtitle: 'He quit after a scandal',
      body: RUSSIAN,
    });
    assert.equal(v.language, 'ru');
    assert.equal(v.warnings[0]?.code, 'NOT_ENGLISH');
    assert.match(v.warnings[0]?.message ?? '', /Russian/);
    assert.ok(['agree', 'disagree', 'discuss', 'unrelated'].includes(v.label));
    assert.doesNotMatch(v.reason, /as fact/);
    assert.match(v.reason, /English only/);
    assert.equal(v.subtitle?.language, 'ru');
    assert.equal(v.subtitle?.warnings[0]?.code, 'NOT_ENGLISH');
  });

  it('carries language and warnings on the batch fast path too', () => {
    const r = checker.classifyPrepared('Heatwave closes schools', checker.prepareBody(GERMAN));
    assert.equal(r.language, 'de');
    assert.equal(r.warnings[0]?.code, 'NOT_ENGLISH');
  });
});
