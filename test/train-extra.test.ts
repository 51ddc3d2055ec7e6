/**
 * A second domain in training (`train --extra-bodies/--extra-stances`, e.g. ARC's reader comments):
 * its pairs are extra training rows at a lower weight; they add no words to the model and are
 * never held out for calibration. Data: the project's examples/pairs plus pairs written here.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainFromFiles } from '../src/adapters/fs/train-files.js';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { StanceError } from '../src/core/errors.js';

const MAIN = { bodiesPath: 'examples/pairs/bodies.csv', stancesPath: 'examples/pairs/stances.csv' };

describe('training with a second domain', () => {
  let dir = '';
  let extraBodies = '';
  let extraStances = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-extra-'));
    extraBodies = join(dir, 'extra_bodies.csv');
    extraStances = join(dir, 'extra_stances.csv');
    await writeFile(
      extraBodies,
      'Body ID,articleBody\n' +
        '1,"Zorblax is a scam, do not believe the zorblax hype, nothing about it is true."\n' +
        '2,"I tried the zorblax myself and it works exactly as they say, great product."\n',
    );
    await writeFile(
      extraStances,
      'Headline,Body ID,Stance\n' +
        'Zorblax gadget cures headaches,1,disagree\n' +
        'Zorblax gadget cures headaches,2,agree\n' +
        'Zorblax gadget sells out in a day,1,disagree\n' +
        'Zorblax gadget sells out in a day,2,agree\n',
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains on the extra pairs without adding their words to the vocabulary, and says so in the card', async () => {
    const r = await trainFromFiles({
      ...MAIN,
      outDir: join(dir, 'with'),
      vectors: false,
      command: 'test',
      extra: { bodiesPath: extraBodies, stancesPath: extraStances, weight: 0.25 },
    });
    assert.equal(r.card.data.pairs, 12, 'the card counts the main pairs');
    const note = (r.card.notes ?? []).find((n) => n.startsWith('second domain'));
    assert.ok(note, 'a card note names the second domain');
    assert.match(note, /4 pairs of extra_stances\.csv .* weight 0\.25/);
    const model = await loadModel(r.modelPath);
    assert.equal(model.vocab.idf.has('zorblax'), false, 'no word of the second domain enters the vocabulary');
    const without = await trainFromFiles({
      ...MAIN,
      outDir: join(dir, 'without'),
      vectors: false,
      command: 'test',
    });
    assert.notDeepEqual(
      model.ensemble,
      (await loadModel(without.modelPath)).ensemble,
      'the extra rows change the trees',
    );
  });

  it('refuses a weight outside (0, 1] with a usage error', async () => {
    await assert.rejects(
      trainFromFiles({
        ...MAIN,
        outDir: join(dir, 'bad'),
        vectors: false,
        command: 'test',
        extra: { bodiesPath: extraBodies, stancesPath: extraStances, weight: 2 },
      }),
      (e: unknown) => e instanceof StanceError && e.code === 'USAGE' && /\(0, 1\]; found 2/.test(e.message),
    );
  });
});
