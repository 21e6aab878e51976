// The words of a BLAKE3 WebAssembly that could not be compiled: what a page's policy or a
// runtime refused, and what to do. Loaded on demand by wasm-source.ts when a load fails
// (a chunk of its own: no page that loads the module pays for them).

/**
 * Whether a page's Content-Security-Policy refused to compile WebAssembly, in each
 * browser's words: Chromium's "violates the following Content Security policy directive
 * because 'unsafe-eval' is not an allowed source", Firefox's "blocked by CSP", Safari's
 * "'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source of script". Only a
 * compilation refused (CompileError, EvalError) counts: not a failed fetch whose URL says "csp".
 * @internal
 */
export function isPolicyRefusal(error: unknown): boolean {
  return /^(Compile|Eval)Error$/.test(String((error as { name?: unknown } | null | undefined)?.name)) && /content security policy|\bCSP\b|unsafe-eval/i.test(messageOf(error));
}

/**
 * What to do about a module that could not be compiled, as ` (…)`; empty when there is nothing to say.
 * @internal
 */
export function wasmHint(error: unknown): string {
  if (isPolicyRefusal(error)) {
    return " (add 'wasm-unsafe-eval', which allows WebAssembly only, to the script-src of the page's Content-Security-Policy)";
  }
  return /disallowed|code generation/i.test(messageOf(error))
    ? ' (this runtime cannot compile WebAssembly from bytes: import the package through its `workerd` entry, or pass a WebAssembly.Module to loadHasher)'
    : '';
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
