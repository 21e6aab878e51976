// The semantic hash's text as each build reads it out of wasm memory: `TextDecoder` (Node,
// Deno, Bun) and a 67-argument `String.fromCharCode` (browsers, workerd). Both give the
// same string for every byte a hash's text can hold. (The browser and workerd runtime stages
// run the conformance vectors through the second one, from the built bundles.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHashText as decoded } from '../../src/hashing/hash-text.ts';
import { readHashText as fromCharCodes } from '../../src/hashing/hash-text.web.ts';

const HEX = '0123456789abcdef';

describe('reading the hash text', () => {
  it('gives the same string in both builds, byte for byte, at every position', () => {
    // Each position in turn holds each hex digit, the rest a moving pattern; then random texts.
    const text = new Uint8Array(67);
    for (let at = 0; at < 67; at++) {
      for (const digit of HEX) {
        for (let i = 0; i < 67; i++) text[i] = HEX.charCodeAt((i * 7 + at) % 16);
        text[at] = digit.charCodeAt(0);
        const expected = String.fromCharCode(...text);
        assert.equal(decoded(text), expected);
        assert.equal(fromCharCodes(text), expected);
      }
    }
  });

  it('reads the 67 bytes of a view into a larger memory, not what lies around them', () => {
    const memory = new Uint8Array(256).fill(0x7a); // 'z' on either side
    const text = memory.subarray(100, 167);
    text.set(new TextEncoder().encode(`b3:${'0123456789abcdef'.repeat(4)}`));
    assert.equal(fromCharCodes(text), decoded(text));
    assert.equal(fromCharCodes(text), `b3:${'0123456789abcdef'.repeat(4)}`);
  });
});
