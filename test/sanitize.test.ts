import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeJson, stripControls, stripControlsDeep } from '../src/adapters/cli/sanitize.js';

describe('stripControls', () => {
  it('removes CSI, OSC and other escape sequences and C0/C1 controls, keeping newline and tab', () => {
    const text =
      'a\u001b[1;31mb\u001b[0m c\u001b]0;title\u0007d\u001b]8;;http://x\u001b\\e \u009b2Jf\u0000g\u007fh\ti\nj\u001bck\u001b';
    assert.equal(stripControls(text), 'ab cde 2Jfgh\ti\njk');
  });

  it('strips strings inside objects and arrays', () => {
    assert.deepEqual(stripControlsDeep({ a: ['x\u001b[2Jy'], n: 1, b: { c: '\u0007z' } }), {
      a: ['xy'],
      n: 1,
      b: { c: 'z' },
    });
  });

  // A hang guard rather than a stopwatch: any backtracking blow-up on these 2.4 MB of unterminated
  // sequences would take hours, a linear pass well under a second.
  it('strips megabytes of unterminated and back-to-back escape sequences', { timeout: 30_000 }, () => {
    const n = 200_000;
    const s =
      '\u001b['.repeat(n) +
      '\u001b[0;'.repeat(n) +
      '\u001b]'.repeat(n) +
      `\u001b]0;${'x'.repeat(n)}` +
      '\u009b'.repeat(n);
    assert.equal(stripControls(s), '');
    assert.equal(stripControls(`a\u001b]0;${'x'.repeat(n)}\nb`), 'a\nb');
  });
});

describe('safeJson', () => {
  it('escapes ESC, DEL, C1 and line separators while keeping the data', () => {
    const value = { s: 'a\u001bb\u007fc\u009bd\u2028e' };
    const json = safeJson(value);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(json, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    assert.deepEqual(JSON.parse(json), value);
  });
});
