// src/hashing/hash-text.ts loaded a second time with no global Buffer (as in a bundle for a
// platform without one), for test/hashing/hash-text.test.ts: its reader is then the decoder's.
const saved = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
Reflect.deleteProperty(globalThis, 'Buffer');
let module: typeof import('../../src/hashing/hash-text.ts');
try {
  // A query makes it a module of its own, evaluated now (the specifier a value, for the compiler).
  module = (await import(new URL('../../src/hashing/hash-text.ts?bufferless', import.meta.url).href)) as typeof module;
} finally {
  if (saved) Object.defineProperty(globalThis, 'Buffer', saved);
}
export const readHashText = module.readHashText;
