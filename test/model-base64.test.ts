import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64, encodeArray } from '../src/core/model/model-schema.js';

/** What the model loader did before its own decoder: the same checks, then atob. */
function oracle(s: string): number[] | undefined {
  if (s.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(s)) return undefined;
  const pad = s.indexOf('=');
  if (pad >= 0 && (pad < s.length - 2 || !s.endsWith('='))) return undefined;
  return Array.from(atob(s), (c) => c.charCodeAt(0));
}

describe("the model file's base64 decoder", () => {
  it('gives the bytes atob gives, and refuses what the checks before it refused, on 50,000 random strings', () => {
    const pieces = ['A', 'Q', 'z', '+', '/', '9', '=', '==', '-', '_', ' ', 'é', '\n', 'AAAA', 'QUJD'];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let accepted = 0;
    for (let k = 0; k < 50_000; k++) {
      let s = '';
      const n = Math.floor(rnd() * 10);
      for (let i = 0; i < n; i++) s += pieces[Math.floor(rnd() * pieces.length)] as string;
      const expected = oracle(s);
      const got = decodeBase64(s);
      assert.deepEqual(got && Array.from(got), expected, `for ${JSON.stringify(s)}`);
      if (expected) accepted++;
    }
    assert.ok(accepted > 1_000, `${accepted} accepted`);
  });

  it('reads back every byte value and every length written by the encoder', () => {
    for (let len = 0; len < 260; len++) {
      const bytes = Int8Array.from({ length: len }, (_, i) => ((i * 37) % 256) - 128);
      const back = decodeBase64(encodeArray(bytes));
      assert.deepEqual(back && Array.from(new Int8Array(back.buffer)), Array.from(bytes));
    }
  });
});
