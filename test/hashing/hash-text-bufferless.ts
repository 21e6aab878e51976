// src/hashing/hash-text.ts loaded again with another global Buffer, for
// test/hashing/hash-text.test.ts: none (as in a bundle for a platform without one), or a
// polyfill whose latin1Slice does not read a plain byte view. Its reader is then the decoder's.
type HashText = typeof import('../../src/hashing/hash-text.ts');

async function loadWith(name: string, buffer: unknown): Promise<HashText['readHashText']> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
  if (buffer === undefined) Reflect.deleteProperty(globalThis, 'Buffer');
  else Object.defineProperty(globalThis, 'Buffer', { value: buffer, configurable: true, writable: true });
  try {
    // A query makes it a module of its own, evaluated now (the specifier a value, for the compiler).
    const module = (await import(new URL(`../../src/hashing/hash-text.ts?${name}`, import.meta.url).href)) as HashText;
    return module.readHashText;
  } finally {
    if (saved) Object.defineProperty(globalThis, 'Buffer', saved);
    else Reflect.deleteProperty(globalThis, 'Buffer');
  }
}

export const bufferless = await loadWith('bufferless', undefined);
/** A Buffer whose latin1Slice wants a Buffer of its own (throws on a plain Uint8Array). */
export const polyfilledThrowing = await loadWith('polyfill-throws', {
  prototype: {
    latin1Slice(this: unknown) {
      throw new TypeError('argument must be a buffer');
    },
  },
});
/** A Buffer whose latin1Slice reads something else. */
export const polyfilledWrong = await loadWith('polyfill-wrong', { prototype: { latin1Slice: () => '' } });
