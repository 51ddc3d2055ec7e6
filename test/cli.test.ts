/**
 * Runs the real CLI as a child process. The command tests use a tiny model (no word vectors)
 * trained from examples/pairs with `stancecheck train` (which also exercises that command), so
 * they do not depend on the shipped model; the last block checks the examples with the shipped
 * model when there is one.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABELS } from '../src/core/labels.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'adapters', 'cli', 'main.ts');
const EXAMPLES = join(ROOT, 'examples');
const FIX = join(ROOT, 'test', 'fixtures', 'fnc');
const SHIPPED = join(ROOT, 'models', 'stancecheck-fnc1.model');
/** `--bodies B --stances S` for the project's example pairs. */
const EXAMPLE_PAIRS = [
  '--bodies',
  join(EXAMPLES, 'pairs', 'bodies.csv'),
  '--stances',
  join(EXAMPLES, 'pairs', 'stances.csv'),
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(args: string[], input?: string): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
    child.stdin.end(input ?? '');
  });
}

describe('stancecheck CLI', { concurrency: true }, () => {
  let dir: string;
  let model: string;
  /** `batch` on the test fixtures' bodies with the given stances file and output (plus extra args). */
  function batchArgs(stances: string, out: string, ...extra: string[]): string[] {
    return [
      '--model',
      model,
      'batch',
      '--bodies',
      join(FIX, 'bodies.csv'),
      '--stances',
      join(FIX, stances),
      '--out',
      out,
      ...extra,
    ];
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-cli-'));
    const r = await run(['train', ...EXAMPLE_PAIRS, '--out', dir, '--no-vectors', '--no-progress']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /trained .* on 12 pairs/);
    model = join(dir, 'stancecheck-fnc1.model');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('check', { concurrency: true }, () => {
    it('prints a readable verdict without colours when stdout is not a TTY', async () => {
      const r = await run(['--model', model, 'check', join(EXAMPLES, 'refuted.txt')]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^(AGREE|DISAGREE|DISCUSS|UNRELATED) /);
      for (const l of LABELS) assert.match(r.stdout, new RegExp(`  ${l} +[█░]+ +\\d+\\.\\d%`));
      assert.match(r.stdout, /Why: /);
      assert.match(r.stdout, /subtitle: A new study/);
      assert.ok(!r.stdout.includes(String.fromCharCode(27)), 'no ANSI escapes');
    });

    it('prints one JSON object with --json', async () => {
      const r = await run(['check', join(EXAMPLES, 'supported.txt'), '--json', '--model', model]);
      assert.equal(r.code, 0, r.stderr);
      const v = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.ok(LABELS.includes(v.label as (typeof LABELS)[number]));
      const probs = v.probabilities as Record<string, number>;
      assert.ok(Math.abs(LABELS.reduce((a, l) => a + (probs[l] ?? 0), 0) - 1) < 1e-6);
      assert.ok(Array.isArray(v.evidence));
      assert.equal(typeof v.reason, 'string');
      assert.equal(typeof (v.subtitle as Record<string, unknown>).label, 'string');
    });

    it('reads an article from stdin with -, and from --headline with --body', async () => {
      const text = await readFile(join(EXAMPLES, 'swapped-headline.txt'), 'utf8');
      const a = await run(['--model', model, 'check', '-', '--json'], text);
      assert.equal(a.code, 0, a.stderr);
      const b = await run([
        '--model',
        model,
        'check',
        '--headline',
        'Bakery wins bread prize',
        '--body',
        'A bakery won the national bread prize on Tuesday.',
        '--json',
      ]);
      assert.equal(b.code, 0, b.stderr);
      assert.equal((JSON.parse(b.stdout) as { claim: string }).claim, 'Bakery wins bread prize');
    });

    it('reads a .json article', async () => {
      const p = join(dir, 'a.json');
      await writeFile(
        p,
        JSON.stringify({ headline: 'Bakery wins prize', body: 'The bakery won the prize.' }),
      );
      const r = await run(['--model', model, 'check', p, '--json']);
      assert.equal(r.code, 0, r.stderr);
    });

    it('exits 66 naming a missing file, with no stack trace', async () => {
      const r = await run(['--model', model, 'check', join(dir, 'missing.txt')]);
      assert.equal(r.code, 66);
      assert.match(r.stderr, /^stancecheck: cannot read .*missing\.txt/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });

    it('exits 65 for an empty body', async () => {
      const p = join(dir, 'headline-only.txt');
      await writeFile(p, 'Just a headline\n\n');
      const r = await run(['--model', model, 'check', p]);
      assert.equal(r.code, 65);
      assert.match(r.stderr, /^stancecheck: expected a body after the headline/);
    });

    it('exits 65 for non-UTF-8 bytes, naming the byte offset', async () => {
      const p = join(dir, 'latin1.txt');
      await writeFile(p, Buffer.from([...Buffer.from('Caf'), 0xe9, ...Buffer.from(' headline\nBody.')]));
      const r = await run(['--model', model, 'check', p, '--json']);
      assert.equal(r.code, 65);
      const err = JSON.parse(r.stderr) as { error: { code: string; message: string } };
      assert.equal(err.error.code, 'INPUT_ENCODING');
      assert.match(err.error.message, /at byte 3/);
    });

    it('refuses a 50 MB article quickly with exit 65', async () => {
      const p = join(dir, 'huge.txt');
      const fh = await open(p, 'w');
      await fh.truncate(50 * 1024 * 1024);
      await fh.close();
      const r = await run(['--model', model, 'check', p]);
      assert.equal(r.code, 65);
      assert.match(r.stderr, /too large; expected at most 20\.0 MB, found 50\.0 MB/);
      await rm(p);
    });

    it('exits 2 with a usage message when no article is given', async () => {
      const r = await run(['check']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^stancecheck: expected an article file/);
    });

    it('exits 78 for a damaged model file', async () => {
      const p = join(dir, 'bad.model');
      await writeFile(p, 'not a model');
      const r = await run(['--model', p, 'check', join(EXAMPLES, 'supported.txt')]);
      assert.equal(r.code, 78, r.stderr);
      assert.match(r.stderr, /^stancecheck: /);
    });
  });

  describe('batch', { concurrency: true }, () => {
    it('writes an FNC-1 submission CSV with one row per input row, in order', async () => {
      const out = join(dir, 'submission.csv');
      const r = await run(['--model', model, 'batch', ...EXAMPLE_PAIRS, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /classified 12 pairs in [\d.]+ s \(\d+ pairs\/s\)/);
      const lines = (await readFile(out, 'utf8')).trim().split('\n');
      assert.equal(lines[0], 'Headline,Body ID,Stance');
      assert.equal(lines.length, 13);
      const input = (await readFile(join(EXAMPLES, 'pairs', 'stances.csv'), 'utf8')).trim().split('\n');
      lines.slice(1).forEach((line, i) => {
        const src = input[i + 1] ?? '';
        assert.equal(line.slice(0, line.lastIndexOf(',')), src.slice(0, src.lastIndexOf(',')));
        assert.ok(LABELS.includes(line.slice(line.lastIndexOf(',') + 1) as (typeof LABELS)[number]));
      });
    });

    it('writes JSONL with probabilities to stdout with --out - --format jsonl', async () => {
      const r = await run([
        '--model',
        model,
        'batch',
        '--input',
        join(FIX, 'pairs.jsonl'),
        '--bodies',
        join(FIX, 'bodies.csv'),
        '--out',
        '-',
        '--format',
        'jsonl',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { stance: string; probabilities: Record<string, number> });
      assert.equal(rows.length, 2);
      assert.equal(Object.keys(rows[0]?.probabilities ?? {}).length, 4);
    });

    it('exits 65 on an unknown Body ID and leaves no output file behind', async () => {
      const out = join(dir, 'never.csv');
      const r = await run(batchArgs('stances-unknown-id.csv', out));
      assert.equal(r.code, 65);
      assert.match(r.stderr, /row 2 of stances-unknown-id\.csv .*Body ID 99/);
      assert.equal(existsSync(out), false);
      assert.deepEqual(
        (await readdir(dir)).filter((f) => f.includes('never')),
        [],
      );
    });

    it('exits 65 on a malformed CSV row, naming the row', async () => {
      const r = await run(batchArgs('stances-malformed.csv', join(dir, 'x.csv'), '--json'));
      assert.equal(r.code, 65);
      const e = JSON.parse(r.stderr) as { error: { code: string; row: number } };
      assert.equal(e.error.code, 'INPUT_FORMAT');
      assert.equal(e.error.row, 2);
    });

    it('exits 73 when the output cannot be written', async () => {
      const r = await run(batchArgs('stances.csv', join(dir, 'no', 'dir', 'out.csv')));
      assert.equal(r.code, 73, r.stderr);
    });
  });

  describe('eval', { concurrency: true }, () => {
    it('predicts and prints figures, the per-class table and the confusion grid, and writes a report', async () => {
      const report = join(dir, 'report.html');
      const r = await run(['--model', model, 'eval', ...EXAMPLE_PAIRS, '--report', report]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /FNC-1 score [\d.]+%/);
      assert.match(r.stdout, /macro-F1 /);
      assert.match(r.stdout, /ECE /);
      assert.match(r.stdout, /gold\\pred/);
      const html = await readFile(report, 'utf8');
      assert.match(html, /<svg class="heatmap"/);
      assert.match(html, /<svg class="reliability"/);
    });

    it('scores a predictions file as JSON, and 1.0 for the gold labels themselves', async () => {
      const stances = join(EXAMPLES, 'pairs', 'stances.csv');
      const r = await run([
        'eval',
        '--bodies',
        join(EXAMPLES, 'pairs', 'bodies.csv'),
        '--stances',
        stances,
        '--predictions',
        stances,
        '--json',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const m = JSON.parse(r.stdout) as { fnc: number; accuracy: number; pairs: number };
      assert.equal(m.fnc, 1);
      assert.equal(m.accuracy, 1);
      assert.equal(m.pairs, 12);
    });

    it('refuses predictions that do not follow the gold rows', async () => {
      const evalPredictions = (predictions: string) =>
        run([
          'eval',
          '--bodies',
          join(FIX, 'bodies.csv'),
          '--stances',
          join(FIX, 'stances.csv'),
          '--predictions',
          predictions,
        ]);
      const p = join(dir, 'short.csv');
      await writeFile(
        p,
        'Headline,Body ID,Stance\nLake monster photographed,11,disagree\nCouncil votes for new library,10,agree\nLake monster photographed,10,unrelated\n',
      );
      const r = await evalPredictions(p);
      assert.equal(r.code, 65);
      assert.match(
        r.stderr,
        /row 1 of short\.csv .* expected row 1 of stances\.csv: "Council votes for new library"/,
      );
      await writeFile(p, 'Headline,Body ID,Stance\nCouncil votes for new library,10,agree\n');
      const r2 = await evalPredictions(p);
      assert.equal(r2.code, 65);
      assert.match(r2.stderr, /short\.csv has 1 rows; expected one per row of stances\.csv \(3 rows\)/);
    });
  });

  describe(
    'with the shipped model',
    { concurrency: true, skip: !existsSync(SHIPPED) && 'no model in models/' },
    () => {
      for (const [file, expected] of [
        ['supported.txt', 'agree'],
        ['swapped-headline.txt', 'unrelated'],
      ] as const) {
        it(`calls examples/${file} ${expected}`, async () => {
          const r = await run(['check', join(EXAMPLES, file), '--json']);
          assert.equal(r.code, 0, r.stderr);
          assert.equal((JSON.parse(r.stdout) as { label: string }).label, expected);
        });
      }

      it('does not call examples/refuted.txt agree', async () => {
        const r = await run(['check', join(EXAMPLES, 'refuted.txt'), '--json']);
        assert.equal(r.code, 0, r.stderr);
        assert.notEqual((JSON.parse(r.stdout) as { label: string }).label, 'agree');
      });
    },
  );
});
