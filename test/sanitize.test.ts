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

  it('takes linear time on long runs of escapes (4x input, at most ~6x time)', () => {
    const time = (n: number) => {
      const s = '\u001b['.repeat(n) + '\u001b]'.repeat(n);
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        stripControls(s);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    time(10_000);
    const small = time(50_000);
    const large = time(200_000);
    assert.ok(large <= 6 * small + 2, `50k: ${small.toFixed(2)} ms, 200k: ${large.toFixed(2)} ms`);
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
