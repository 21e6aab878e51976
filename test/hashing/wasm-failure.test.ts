// What a BLAKE3 WebAssembly load that failed says (src/hashing/wasm-failure.ts, loaded only
// then): a page policy's refusal in each browser's words, a runtime that compiles no wasm
// from bytes (workerd), and nothing for a failed fetch whose URL happens to say "csp".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MplError } from '../../src/errors/index.ts';
import { loadHasher } from '../../src/hashing/index.ts';
import { isPolicyRefusal, wasmHint } from '../../src/hashing/wasm-failure.ts';

const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });
const CHROMIUM = named('CompileError', "WebAssembly.instantiateStreaming(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\".");
const FIREFOX = named('CompileError', 'call to WebAssembly.instantiateStreaming() blocked by CSP');
const SAFARI = named('EvalError', "Refused to create a WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"");
const WORKERD = named('CompileError', 'WebAssembly.compile(): Wasm code generation disallowed by embedder');

describe('the words of a failed WebAssembly load', () => {
  it("a page policy's refusal, in Chromium's, Firefox's and Safari's words, says to add 'wasm-unsafe-eval'", () => {
    for (const error of [CHROMIUM, FIREFOX, SAFARI]) {
      assert.equal(isPolicyRefusal(error), true, error.message);
      assert.match(wasmHint(error), /add 'wasm-unsafe-eval', which allows WebAssembly only, to the script-src of the page's Content-Security-Policy/);
    }
  });

  it('a runtime that compiles no wasm from bytes (workerd) is told to use the workerd entry or pass a Module', () => {
    assert.equal(isPolicyRefusal(WORKERD), false);
    assert.match(wasmHint(WORKERD), /cannot compile WebAssembly from bytes: import the package through its `workerd` entry/);
  });

  it('a failed fetch is no refusal, whatever its URL says', () => {
    const fetchFailed = named('Error', 'HTTP 404 for http://example.test/csp-demo/unsafe-eval/blake3.wasm');
    assert.equal(isPolicyRefusal(fetchFailed), false);
    assert.equal(wasmHint(fetchFailed), '');
  });

  it('reaches the E-WASM-LOAD of loadHasher, with details.contentSecurityPolicy for a refusal', async () => {
    const refusing = (error: Error) => ({ ok: true, status: 200, url: 'http://example.test/blake3.wasm', headers: { get: () => 'application/wasm' }, arrayBuffer: () => Promise.reject(error) });
    await assert.rejects(loadHasher(refusing(CHROMIUM)), (e: unknown) =>
      e instanceof MplError && e.code === 'E-WASM-LOAD' && /wasm-unsafe-eval/.test(e.message) && e.details['contentSecurityPolicy'] === true);
    await assert.rejects(loadHasher(refusing(WORKERD)), (e: unknown) =>
      e instanceof MplError && /`workerd` entry/.test(e.message) && e.details['contentSecurityPolicy'] === undefined);
  });
});
