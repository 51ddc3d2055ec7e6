/**
 * Runs the real CLI, as installed: `node bin/stancecheck.js` on the built dist/ (`npm test` builds
 * first; the suite refuses a dist/ older than src/). The command tests use a tiny model (no word
 * vectors) trained from examples/pairs with `stancecheck train` (which also exercises that
 * command), so they do not depend on the shipped model; the last block checks the examples with
 * the shipped model when there is one.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { link, mkdtemp, open, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABELS } from '../src/core/labels.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'stancecheck.js');
const BUILT_MAIN = join(ROOT, 'dist', 'adapters', 'cli', 'main.js');
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
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the built CLI with piped stdio; `done` resolves when it has exited. */
function start(args: string[], input?: string | null): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<Run>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  if (input !== null) child.stdin?.end(input ?? '');
  return { child, done };
}

function run(args: string[], input?: string): Promise<Run> {
  return start(args, input).done;
}

/** The newest modification time under `dir` (files only). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/** Temporary files writeAtomic leaves next to `out` (`.NAME.PID.RANDOM.tmp`). */
function tempsOf(dir: string, name: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
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
    assert.ok(
      existsSync(BUILT_MAIN) && statSync(BUILT_MAIN).mtimeMs >= newestMtime(join(ROOT, 'src')) - 1000,
      'dist/ is missing or older than src/: run `npm run build` (npm test does it first)',
    );
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

    it('exits 78 for a damaged model file while the article is still arriving on stdin', async () => {
      const p = join(dir, 'bad-slow.model');
      await writeFile(p, 'not a model');
      const child = start(['--model', p, 'check', '-'], null);
      // The model fails to load while stdin is still open: the error must wait for the input.
      child.child.stdin?.write('Bakery wins prize\n\n');
      await new Promise((res) => setTimeout(res, 1500));
      child.child.stdin?.end('The bakery won the prize.\n');
      const r = await child.done;
      assert.equal(r.code, 78, r.stderr);
      assert.match(r.stderr, /^stancecheck: /);
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

  describe('batch pairs JSONL', { concurrency: true }, () => {
    it('gives each line its own body verdict when two lines share a bodyId but carry different bodies', async () => {
      const headline = 'Council votes to build a new library';
      const backs =
        'The council voted on Monday to build a new library in the town centre. Work starts in May.';
      const other =
        'Scientists found no evidence that the lake monster exists. The photographs were a hoax, they said.';
      const lines = [
        { headline, bodyId: '7', body: backs },
        { headline, bodyId: '7', body: other },
      ];
      const both = join(dir, 'dup-ids.jsonl');
      const second = join(dir, 'dup-ids-second.jsonl');
      await writeFile(both, lines.map((l) => JSON.stringify(l)).join('\n'));
      await writeFile(second, JSON.stringify(lines[1]));
      const jsonl = (input: string) =>
        run(['--model', model, 'batch', '--input', input, '--out', '-', '--format', 'jsonl']).then((r) => {
          assert.equal(r.code, 0, r.stderr);
          return r.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { bodyId: string; probabilities: Record<string, number> });
        });
      const [together, alone] = await Promise.all([jsonl(both), jsonl(second)]);
      assert.equal(together.length, 2);
      assert.deepEqual(
        together[1]?.probabilities,
        alone[0]?.probabilities,
        'line 2 is judged on its own body',
      );
      assert.notDeepEqual(together[1]?.probabilities, together[0]?.probabilities);
      assert.equal(together[1]?.bodyId, '7');
    });
  });

  describe('batch --out safety', { concurrency: true }, () => {
    it('refuses /dev/null as --out with exit 73 and leaves the device alone', async () => {
      // As root a broken writer would replace the machine's /dev/null: use a private node then.
      const device = process.getuid?.() === 0 ? join(dir, 'null-device') : '/dev/null';
      if (device !== '/dev/null') execFileSync('mknod', [device, 'c', '1', '3']);
      const r = await run(batchArgs('stances.csv', device));
      assert.equal(r.code, 73, r.stderr);
      assert.match(
        r.stderr,
        /^stancecheck: cannot write .*null.*; expected a regular file .* found a character device/,
      );
      assert.ok(statSync(device).isCharacterDevice());
    });

    it('refuses a FIFO as --out with exit 73 instead of replacing it', async () => {
      const fifo = join(dir, 'out.fifo');
      execFileSync('mkfifo', [fifo]);
      const r = await run(batchArgs('stances.csv', fifo));
      assert.equal(r.code, 73, r.stderr);
      assert.match(r.stderr, /found a FIFO/);
      assert.ok(lstatSync(fifo).isFIFO(), 'the FIFO is still a FIFO');
    });

    it('refuses an --out that is an input file (itself, a hard link or a symlink) and leaves the input intact', async () => {
      const stances = join(dir, 'own-stances.csv');
      const original = await readFile(join(FIX, 'stances.csv'));
      await writeFile(stances, original);
      const hard = join(dir, 'own-stances-hard.csv');
      const soft = join(dir, 'own-stances-soft.csv');
      await link(stances, hard);
      await symlink(stances, soft);
      for (const out of [stances, hard, soft]) {
        const r = await run([
          '--model',
          model,
          'batch',
          '--bodies',
          join(FIX, 'bodies.csv'),
          '--stances',
          stances,
          '--out',
          out,
        ]);
        assert.equal(r.code, 73, `${out}: ${r.stderr}`);
        assert.match(
          r.stderr,
          /expected an output file that is not one of the inputs, found the same file as the input/,
        );
        assert.deepEqual(await readFile(stances), original);
      }
      assert.ok(lstatSync(soft).isSymbolicLink());
      assert.deepEqual(tempsOf(dir, 'own-stances.csv'), []);
    });

    it('writes through a symlinked --out, keeping the link', async () => {
      const target = join(dir, 'linked-target.csv');
      const linkPath = join(dir, 'linked.csv');
      await writeFile(target, 'old\n');
      await symlink(target, linkPath);
      const r = await run(batchArgs('stances.csv', linkPath));
      assert.equal(r.code, 0, r.stderr);
      assert.ok(lstatSync(linkPath).isSymbolicLink());
      assert.match(await readFile(target, 'utf8'), /^Headline,Body ID,Stance\n/);
    });
  });

  describe('batch interrupted', { concurrency: false }, () => {
    let bodies: string;
    let stances: string;
    before(async () => {
      // About 4 MB of distinct bodies: long enough to be caught mid-run on any machine.
      const words =
        'the bridge opened on saturday and officials confirmed that it is now the longest floating cycle crossing in europe while critics said its costs rose'.split(
          ' ',
        );
      let seed = 1;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const rows = ['Body ID,articleBody'];
      for (let b = 0; b < 40; b++) {
        const sentences: string[] = [];
        for (let k = 0; k < 1500; k++) {
          sentences.push(
            `${Array.from({ length: 12 }, () => words[Math.floor(rnd() * words.length)]).join(' ')}.`,
          );
        }
        rows.push(`${b},"${sentences.join(' ')}"`);
      }
      bodies = join(dir, 'long-bodies.csv');
      stances = join(dir, 'long-stances.csv');
      await writeFile(bodies, `${rows.join('\n')}\n`);
      await writeFile(
        stances,
        `Headline,Body ID\n${Array.from({ length: 40 }, (_, b) => `Bridge opens in the city,${b}`).join('\n')}\n`,
      );
    });

    /** Starts a long batch into `out` and resolves once its temporary file exists. */
    async function startLong(out: string, name: string) {
      const p = start([
        '--model',
        model,
        'batch',
        '--bodies',
        bodies,
        '--stances',
        stances,
        '--out',
        out,
        '--no-progress',
      ]);
      let finished = false;
      void p.done.then(() => (finished = true));
      while (tempsOf(dir, name).length === 0) {
        if (finished) assert.fail(`the batch ended before it was interrupted: ${(await p.done).stderr}`);
        await new Promise((res) => setTimeout(res, 5));
      }
      return p;
    }

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`removes its temporary file when stopped with ${signal} mid-run, and dies of the signal`, async () => {
        const name = `interrupted-${signal}.csv`;
        const out = join(dir, name);
        const p = await startLong(out, name);
        p.child.kill(signal);
        const r = await p.done;
        assert.equal(r.signal, signal, `exit ${r.code}: ${r.stderr}`);
        assert.deepEqual(tempsOf(dir, name), []);
        assert.equal(existsSync(out), false);
      });
    }

    it('removes the temporary file a SIGKILLed run left behind on the next run', async () => {
      const name = 'killed.csv';
      const out = join(dir, name);
      const p = await startLong(out, name);
      p.child.kill('SIGKILL');
      const r = await p.done;
      assert.equal(r.signal, 'SIGKILL');
      const left = tempsOf(dir, name);
      assert.equal(left.length, 1, 'SIGKILL leaves its temporary file');
      const again = await run(batchArgs('stances.csv', out));
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(tempsOf(dir, name), []);
      assert.ok((await stat(out)).isFile());
    });
  });

  describe('--timeout', { concurrency: true }, () => {
    /** A long article: about 300 KB of varied sentences. */
    function longArticle(): string {
      const sentences: string[] = [];
      for (let i = 0; i < 4000; i++) {
        sentences.push(
          `Officials in district ${i} said the new bridge had carried ${i * 7} cyclists by noon on day ${i % 31}.`,
        );
      }
      return `Bridge carries record number of cyclists\n\n${sentences.join(' ')}`;
    }

    it('exits 75 with TIMEOUT when checking one article takes longer than --timeout', async () => {
      const p = join(dir, 'long-article.txt');
      await writeFile(p, longArticle());
      const r = await run(['--model', model, 'check', p, '--timeout', '0.001', '--json']);
      assert.equal(r.code, 75, r.stderr);
      const e = JSON.parse(r.stderr) as { error: { code: string; message: string } };
      assert.equal(e.error.code, 'TIMEOUT');
      assert.match(
        e.error.message,
        /long-article\.txt took longer than the time limit; expected at most 0\.001 s per article/,
      );
      const ok = await run(['--model', model, 'check', p, '--timeout', '600', '--json']);
      assert.equal(ok.code, 0, ok.stderr);
    });

    it('applies the limit to HTML extraction too (a page of 2,000 nested divs)', async () => {
      const p = join(dir, 'nested.html');
      await writeFile(
        p,
        `<html><head><title>Bridge opens</title></head><body>${'<div>'.repeat(2000)}<p>The bridge opened on Saturday, officials confirmed.</p>${'</div>'.repeat(2000)}</body></html>`,
      );
      const r = await run(['--model', model, 'check', p, '--timeout', '0.001']);
      assert.equal(r.code, 75, r.stderr);
      assert.match(r.stderr, /^stancecheck: checking .*nested\.html took longer than the time limit/);
    });

    it('exits 75 naming the row when one batch pair takes longer, and writes no output', async () => {
      const bodies = join(dir, 'timeout-bodies.csv');
      await writeFile(bodies, `Body ID,articleBody\n1,"${longArticle().replace(/"/g, '""')}"\n`);
      const stancesFile = join(dir, 'timeout-stances.csv');
      await writeFile(stancesFile, 'Headline,Body ID\nBridge carries cyclists,1\n');
      const out = join(dir, 'timeout-out.csv');
      const r = await run([
        '--model',
        model,
        'batch',
        '--bodies',
        bodies,
        '--stances',
        stancesFile,
        '--out',
        out,
        '--timeout',
        '0.001',
      ]);
      assert.equal(r.code, 75, r.stderr);
      assert.match(r.stderr, /row 1 of timeout-stances\.csv took longer than the time limit/);
      assert.equal(existsSync(out), false);
      assert.deepEqual(tempsOf(dir, 'timeout-out.csv'), []);
    });

    it('refuses a --timeout that is not a positive number with exit 2', async () => {
      for (const v of ['0', '-1', 'soon']) {
        const r = await run(['--model', model, 'check', join(EXAMPLES, 'supported.txt'), '--timeout', v]);
        assert.equal(r.code, 2, `${v}: ${r.stderr}`);
        assert.match(r.stderr, /expected a positive number of seconds/);
      }
    });
  });

  describe('control characters from the input', { concurrency: true }, () => {
    const ESC = '\u001b';
    const C1 = '\u009b'; // a one-byte CSI
    const headline = `Bakery ${ESC}[31mwins${ESC}[0m bread ${C1}2J prize ${ESC}]0;pwned\u0007 in a town where the ovens never cool and the queues start at dawn every single morning`;
    // Plain sentences around the escapes keep the control share under the readable-text limit.
    const plain =
      ' The judges tasted forty loaves over two days. The winning rye was baked in a wood-fired oven. The owner said the recipe came from her grandmother. Queues formed outside the shop by noon.';
    const body = `A bakery won the national bread prize on Tuesday.${ESC}[2J The jury ${ESC}]8;;http://x\u0007praised${ESC}]8;;\u0007 its rye.\u0007${plain}${plain}`;

    function assertClean(text: string): void {
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(text));
    }

    it('strips escape sequences and controls from the human verdict printed to a pipe', async () => {
      const r = await run(['--model', model, 'check', '-'], `${headline}\n\n${body}\n`);
      assert.equal(r.code, 0, r.stderr);
      assertClean(r.stdout);
      assert.match(r.stdout, /headline: Bakery wins bread 2J prize/);
    });

    it('escapes them in --json output, keeping the text', async () => {
      const r = await run(['--model', model, 'check', '-', '--json'], `${headline}\n\n${body}\n`);
      assert.equal(r.code, 0, r.stderr);
      assertClean(r.stdout);
      assert.ok((JSON.parse(r.stdout) as { claim: string }).claim.includes(C1));
    });

    it('strips them from error messages', async () => {
      const r = await run(['--model', model, 'check', '-'], `${headline}\n\n`);
      assert.equal(r.code, 65);
      assertClean(r.stderr);
      assert.match(r.stderr, /found only the headline "Bakery wins bread/);
    });

    it('keeps them out of CSV printed to stdout', async () => {
      const bodiesFile = join(dir, 'ctl-bodies.csv');
      const stancesFile = join(dir, 'ctl-stances.csv');
      await writeFile(bodiesFile, `Body ID,articleBody\n1,"${body}"\n`);
      await writeFile(stancesFile, `Headline,Body ID\n"${headline}",1\n`);
      const r = await run([
        '--model',
        model,
        'batch',
        '--bodies',
        bodiesFile,
        '--stances',
        stancesFile,
        '--out',
        '-',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assertClean(r.stdout);
      assertClean(r.stderr);
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

      /** `eval --json`'s accuracy on one pair (a one-row bodies CSV and stances CSV named after `name`). */
      async function evalAccuracy(
        name: string,
        pair: { headline: string; body: string; stance: string },
        ...extra: string[]
      ): Promise<number> {
        const bodies = join(dir, `${name}-bodies.csv`);
        const stances = join(dir, `${name}-stances.csv`);
        await writeFile(bodies, `Body ID,articleBody\n1,"${pair.body.replace(/"/g, '""')}"\n`);
        await writeFile(stances, `Headline,Body ID,Stance\n${pair.headline},1,${pair.stance}\n`);
        const r = await run(['eval', '--bodies', bodies, '--stances', stances, '--json', ...extra]);
        assert.equal(r.code, 0, r.stderr);
        return (JSON.parse(r.stdout) as { accuracy: number }).accuracy;
      }

      // Each rule on a pair only it gets right: with the rule the one pair is right, without it wrong.
      for (const [rule, pair] of [
        [
          'contradiction',
          {
            headline: 'Council approves new football stadium by the river',
            body: 'The council has not approved the new football stadium by the river. A decision is expected in the spring.',
            stance: 'disagree',
          },
        ],
        [
          // A newsroom story under its own headline that the model alone reads as a near tie.
          'statement',
          {
            headline: 'Museum returns looted bronzes to Nigeria',
            body: 'A London museum has returned 72 bronze artefacts looted by British soldiers more than a century ago to Nigeria. The Benin Bronzes were taken from the Kingdom of Benin, in what is now Nigeria, during a military raid in 1897. The museum said it was "the right thing to do" and that the objects had been handed over at a ceremony on Tuesday. Nigeria\'s culture minister said the return marked "a new chapter" in relations between the two countries.',
            stance: 'agree',
          },
        ],
      ] as const)
        it(`eval scores with the own-voice ${rule} rule, and without it on --no-${rule}-rule`, async () => {
          assert.equal(await evalAccuracy(rule, pair), 1);
          assert.equal(await evalAccuracy(rule, pair, `--no-${rule}-rule`), 0);
        });

      it('does not call examples/refuted.txt agree', async () => {
        const r = await run(['check', join(EXAMPLES, 'refuted.txt'), '--json']);
        assert.equal(r.code, 0, r.stderr);
        assert.notEqual((JSON.parse(r.stdout) as { label: string }).label, 'agree');
      });
    },
  );
});
