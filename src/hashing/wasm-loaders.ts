// The ways of getting the BLAKE3 WebAssembly that every build shares.

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

/** The inlined copy, a chunk of its own imported only when needed. */
export async function inlinedBytes(): Promise<Uint8Array> {
  const { blake3WasmBase64 } = await import('./blake3-inline.ts');
  const binary = atob(blake3WasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
