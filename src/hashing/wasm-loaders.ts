// The ways of getting the BLAKE3 WebAssembly that every build shares.
import { nodeModules } from '../platform/node-modules.ts';
import { isDeno } from '../platform/runtime.ts';

/** A default place to load the module from: [what, how to get it]. */
export type DefaultSource = [string, () => Promise<Uint8Array | Response | WebAssembly.Module>];

/** A fetch of the wasm that fails on an HTTP error (instead of compiling an error page). */
export async function fetchWasm(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} for ${url.href}`);
  }
  return response;
}

/**
 * The bytes of a `file:` URL, read with fs (Node, Bun); undefined in Deno (reading would
 * need --allow-read) and in the builds with no file system (browsers, Workers), which fetch.
 */
export const readWasmFile: ((url: URL) => Promise<Uint8Array>) | undefined = nodeModules && !isDeno()
  ? async (url) => (await nodeModules!.builtins()).fs.readFile(url)
  : undefined;

/** The inlined copy, a chunk of its own imported only when needed. */
export async function inlinedBytes(): Promise<Uint8Array> {
  return fromBase64((await import('./blake3-inline.ts')).blake3WasmBase64);
}

/** The build without SIMD (wasm/blake3-scalar.wasm), inlined in a chunk of its own. */
export async function scalarInlinedBytes(): Promise<Uint8Array> {
  return fromBase64((await import('./blake3-scalar-inline.ts')).blake3ScalarWasmBase64);
}

/** The default places to load from: `simd` where the runtime has WebAssembly SIMD, else the scalar build. */
export function bySimdSupport(simd: () => DefaultSource[]): DefaultSource[] {
  return hasSimd() ? simd() : [['the inlined build without SIMD (this runtime has no WebAssembly SIMD)', scalarInlinedBytes]];
}

/** A module whose one function returns a `v128.const`: valid only where SIMD is. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, ...new Array<number>(16).fill(0), 11,
]);
let simd: boolean | undefined;
/** Whether this runtime compiles WebAssembly SIMD. */
export const hasSimd = (): boolean => (simd ??= WebAssembly.validate(SIMD_PROBE));

function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
