// The semantic hash's text as each build reads it out of wasm memory: `Buffer`'s latin1 slice
// (Node, Deno, Bun; `TextDecoder` where there is no `Buffer`) and a 67-argument
// `String.fromCharCode` (browsers, workerd). All give the same string for every byte a hash's
// text can hold. (The Deno, Bun, browser and workerd runtime stages run the conformance
// vectors through theirs, from the built bundles.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHashText as decoded } from '../../src/hashing/hash-text.ts';
import { bufferless, polyfilledThrowing, polyfilledWrong } from './hash-text-bufferless.ts';
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
        assert.equal(bufferless(text), expected);
        assert.equal(fromCharCodes(text), expected);
      }
    }
  });

  it('reads the 67 bytes of a view into a larger memory, not what lies around them', () => {
    const memory = new Uint8Array(256).fill(0x7a); // 'z' on either side
    const text = memory.subarray(100, 167);
    text.set(new TextEncoder().encode(`b3:${'0123456789abcdef'.repeat(4)}`));
    assert.equal(fromCharCodes(text), decoded(text));
    assert.equal(bufferless(text), decoded(text));
    assert.equal(fromCharCodes(text), `b3:${'0123456789abcdef'.repeat(4)}`);
  });

  it('reads with the latin1 slice where Buffer has one, and with the decoder where there is no Buffer or no usable slice', () => {
    // A byte no hash text holds tells the two apart: latin1 reads 0xE9 as é, UTF-8 as U+FFFD.
    const text = new Uint8Array(67).fill(0x30);
    text[66] = 0xe9;
    assert.equal(decoded(text).at(-1), '\u00e9');
    for (const reader of [bufferless, polyfilledThrowing, polyfilledWrong]) {
      assert.equal(reader(text).at(-1), '\ufffd');
      text[66] = 0x61;
      assert.equal(reader(text), `${'0'.repeat(66)}a`);
      text[66] = 0xe9;
    }
  });
});
