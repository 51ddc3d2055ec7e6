import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBodies, readStances, readPairsJsonl } from '../src/adapters/fs/fnc-csv.js';
import { StanceError, type ErrorCode } from '../src/core/errors.js';

const FIX = join(import.meta.dirname, 'fixtures', 'fnc');

async function failure(p: Promise<unknown>): Promise<StanceError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StanceError, `expected a StanceError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a failure');
}

function expect(e: StanceError, code: ErrorCode, ...patterns: RegExp[]): void {
  assert.equal(e.code, code, e.message);
  for (const p of patterns) assert.match(e.message, p);
}

describe('readBodies', () => {
  it('reads Body ID and multi-line quoted bodies into a map', async () => {
    const b = await readBodies(join(FIX, 'bodies.csv'));
    assert.deepEqual([...b.keys()], ['10', '11']);
    assert.match(b.get('10') ?? '', /unanimous\.\n\nWork starts in May\.$/);
  });

  it('names the missing column and lists the columns found', async () => {
    const e = await failure(readBodies(join(FIX, 'bodies-missing-column.csv')));
    expect(e, 'INPUT_FORMAT', /bodies-missing-column\.csv has no articleBody column; found: Body ID, text/);
  });

  it('refuses an empty body with INPUT_EMPTY naming the row', async () => {
    const e = await failure(readBodies(join(FIX, 'bodies-empty-body.csv')));
    expect(e, 'INPUT_EMPTY', /row 1 of bodies-empty-body\.csv/, /Body ID 10/);
    assert.equal(e.context.row, 1);
  });

  it('refuses a missing file with FILE_NOT_FOUND', async () => {
    expect(await failure(readBodies(join(FIX, 'nope.csv'))), 'FILE_NOT_FOUND', /nope\.csv/);
  });
});

describe('readStances', () => {
  it('reads rows in order with their gold stance', async () => {
    const s = await readStances(join(FIX, 'stances.csv'), { stance: 'required' });
    assert.deepEqual(
      s.map((r) => [r.headline, r.bodyId, r.stance, r.row]),
      [
        ['Council votes for new library', '10', 'agree', 1],
        ['Lake monster photographed', '11', 'disagree', 2],
        ['Lake monster photographed', '10', 'unrelated', 3],
      ],
    );
  });

  it('ignores the Stance column when asked', async () => {
    const s = await readStances(join(FIX, 'stances-bad-stance.csv'), { stance: 'ignore' });
    assert.equal(s[0]?.stance, undefined);
  });

  it('refuses a Body ID the bodies file does not have, naming the row', async () => {
    const bodies = await readBodies(join(FIX, 'bodies.csv'));
    const e = await failure(readStances(join(FIX, 'stances-unknown-id.csv'), { bodies }));
    expect(
      e,
      'UNKNOWN_BODY_ID',
      /row 2 of stances-unknown-id\.csv/,
      /Body ID 99/,
      /data rows numbered from 1/,
    );
  });

  it('refuses a malformed CSV row with the row and the parser message', async () => {
    const e = await failure(readStances(join(FIX, 'stances-malformed.csv')));
    expect(e, 'INPUT_FORMAT', /row 2 of stances-malformed\.csv/, /line 3/, /quote/i);
  });

  it('refuses a bad Stance value listing the labels', async () => {
    const e = await failure(readStances(join(FIX, 'stances-bad-stance.csv'), { stance: 'required' }));
    expect(e, 'INPUT_FORMAT', /Stance "maybe"; expected one of agree, disagree, discuss, unrelated/);
  });

  it('requires the Stance column for gold files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stancecheck-csv-'));
    try {
      const p = join(dir, 'nostance.csv');
      await writeFile(p, 'Headline,Body ID\nA,10\n');
      expect(
        await failure(readStances(p, { stance: 'required' })),
        'INPUT_FORMAT',
        /no Stance column; found: Headline, Body ID/,
      );
      assert.equal((await readStances(p)).length, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an empty headline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stancecheck-csv-'));
    try {
      const p = join(dir, 's.csv');
      await writeFile(p, 'Headline,Body ID\nA,10\n"  ",11\n');
      expect(await failure(readStances(p)), 'INPUT_EMPTY', /row 2 of s\.csv/, /empty Headline/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('readPairsJsonl', () => {
  let bodies: Map<string, string>;
  before(async () => {
    bodies = await readBodies(join(FIX, 'bodies.csv'));
  });

  it('reads inline bodies and looks up bodyId, skipping blank lines', async () => {
    const p = await readPairsJsonl(join(FIX, 'pairs.jsonl'), { bodies });
    assert.equal(p.length, 2);
    assert.equal(p[0]?.bodyId, '10');
    assert.match(p[0]?.body ?? '', /library/);
    assert.equal(p[1]?.row, 3);
    assert.match(p[1]?.body ?? '', /log/);
  });

  it('refuses an invalid JSON line naming the line', async () => {
    const e = await failure(readPairsJsonl(join(FIX, 'pairs-bad.jsonl'), { bodies }));
    expect(e, 'INPUT_FORMAT', /line 2 of pairs-bad\.jsonl is not valid JSON/);
  });

  it('refuses an unknown bodyId', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stancecheck-jsonl-'));
    try {
      const p = join(dir, 'p.jsonl');
      await writeFile(p, '{"headline":"A","bodyId":"77"}\n');
      expect(await failure(readPairsJsonl(p, { bodies })), 'UNKNOWN_BODY_ID', /Body ID 77/);
      expect(await failure(readPairsJsonl(p)), 'USAGE', /--bodies/);
      await writeFile(p, '{"headline":"A","text":"x"}\n');
      expect(await failure(readPairsJsonl(p)), 'INPUT_FORMAT', /found fields: headline, text/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
