/**
 * `evidence: N` on every surface: the CLI (text and --json), the HTTP API (?evidence=N) and the
 * library (covered in explain.test.ts). Real CLI processes and a real server on loopback, with the
 * shipped model.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunningServer } from '../src/adapters/http/server.js';
import { VerdictSchema } from '../src/adapters/http/schemas.js';
import { errorOf, postJson, startTestServer, bundledModelPath } from './http-helpers.js';
import { SHARK_CLAIM, SHARK_REFUTES } from './helpers/articles.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'adapters', 'cli', 'main.ts');
const ARTICLE = `${SHARK_CLAIM}\nPolice say a shark photo from the motorway is fake\n\n${SHARK_REFUTES}`;

function run(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('--evidence N', { concurrency: true }, () => {
  it('lists N evidence sentences in check --json, numbered from 1, with spans', async () => {
    const r = await run(['check', '-', '--json', '--evidence', '5'], ARTICLE);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout) as {
      evidence: { index: number; number: number; text: string; spans: { start: number; end: number }[] }[];
      subtitle: { evidence: unknown[] };
    };
    assert.ok(v.evidence.length > 3 && v.evidence.length <= 5, `got ${v.evidence.length}`);
    assert.ok(v.subtitle.evidence.length > 3);
    for (const e of v.evidence) {
      assert.equal(e.number, e.index + 1);
      for (const s of e.spans) assert.match(e.text.slice(s.start, s.end), /^[\p{L}\p{N}'?-]+$/u);
    }
  });
  it('prints N evidence sentences in the text output, with "sentence N" as in --json and the stance words marked', async () => {
    const [text, json] = await Promise.all([
      run(['check', '-', '--evidence', '4'], ARTICLE),
      run(['check', '-', '--json', '--evidence', '4'], ARTICLE),
    ]);
    assert.equal(text.code, 0, text.stderr);
    const headlineBlock = text.stdout.split('─'.repeat(10))[0] ?? '';
    assert.equal((headlineBlock.match(/^ {2}\d\. sentence \d+/gm) ?? []).length, 4);
    const v = JSON.parse(json.stdout) as { evidence: { number: number }[] };
    assert.match(headlineBlock, new RegExp(`1\\. sentence ${v.evidence[0]?.number}\\b`));
    assert.match(headlineBlock, /\*\w+\*/, 'stance words are marked');
  });
  it('prints no empty evidence heading with --evidence 0', async () => {
    const r = await run(['check', '-', '--evidence', '0'], ARTICLE);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /Evidence:/);
    assert.match(r.stdout, /Why:/);
  });
  it('exits 2 with a usage message for --evidence 99', async () => {
    const r = await run(['check', '-', '--evidence', '99'], ARTICLE);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /evidence must be a whole number from 0 to 50; found 99/);
  });
});

describe('?evidence=N over HTTP', { skip: bundledModelPath() ? false : 'no bundled model' }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ model: bundledModelPath() });
  });
  after(async () => {
    await server?.close();
  });
  it('lists N evidence sentences for the headline and the subtitle', async () => {
    const body = { headline: SHARK_CLAIM, subtitle: 'Police say a shark photo is fake', body: SHARK_REFUTES };
    const one = VerdictSchema.parse((await postJson(`${server.url}/v1/check?evidence=1`, body)).json);
    assert.equal(one.evidence.length, 1);
    assert.equal(one.subtitle?.evidence.length, 1);
    const none = VerdictSchema.parse((await postJson(`${server.url}/v1/check?evidence=0`, body)).json);
    assert.equal(none.evidence.length, 0);
    assert.ok(none.reason.length > 10);
    const five = VerdictSchema.parse((await postJson(`${server.url}/v1/check?evidence=5`, body)).json);
    assert.ok(five.evidence.length > 3);
  });
  it('refuses ?evidence=-1 and ?evidence=lots with 400 USAGE naming the field', async () => {
    for (const q of ['-1', 'lots', '51']) {
      const r = await postJson(`${server.url}/v1/check?evidence=${q}`, {
        headline: SHARK_CLAIM,
        body: SHARK_REFUTES,
      });
      assert.equal(r.status, 400, r.text);
      assert.equal(errorOf(r.json).code, 'USAGE');
      assert.equal(errorOf(r.json).field, 'evidence');
    }
  });
});
