// The semantic hash's text, read out of wasm memory (see `Blake3.semHashOf`). Node, Deno and
// Bun (this file): one `TextDecoder` call. Browsers and workerd: src/hashing/hash-text.web.ts.

const ascii = new TextDecoder();

/**
 * The 67 ASCII bytes of `text` (`b3:` and 64 hex digits) as a string. `TextDecoder` is the
 * quickest form measured in Node and Deno (a 67-argument `String.fromCharCode` made the
 * small hash 1.00–1.04× as long in Node, 0.98× in Deno, and 1.25× in Bun).
 * @internal
 */
export const readHashText = (text: Uint8Array): string => ascii.decode(text);
