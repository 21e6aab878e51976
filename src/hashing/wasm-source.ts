// The one place where runtimes differ: where the BLAKE3 WebAssembly comes from.
//   workerd  -> the WebAssembly.Module the workerd entry imported (it cannot compile bytes)
//   Node     -> fs.readFile of blake3.wasm beside the bundle (or wasm/ of the repo, from src/)
//   Bun, browsers -> fetch of blake3.wasm beside the bundle (instantiateStreaming when served as application/wasm)
//   Deno, and wherever the above fails -> the inlined copy, a separate chunk imported only then
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { blake3Imports } from './blake3.ts';

/**
 * Where the BLAKE3 WebAssembly can come from: a URL, a fetched `Response`, the bytes, or a
 * compiled module (`mpl-sdk/blake3.wasm` is the file).
 *
 * @example
 * await loadHasher('https://cdn.example.com/mpl-sdk@0.1.0/dist/blake3.wasm');
 * await loadHasher(await WebAssembly.compile(bytes));
 */
export type WasmSource = string | URL | Response | BufferSource | WebAssembly.Module;

interface RuntimeGlobals {
  Deno?: unknown;
  Bun?: unknown;
  process?: { versions?: { node?: string } };
  location?: { href?: string };
}

const runtime = globalThis as RuntimeGlobals;
/** Node proper (Deno and Bun also define `process.versions.node`). */
const isNode = () => runtime.process?.versions?.node !== undefined && runtime.Deno === undefined && runtime.Bun === undefined;

/** The module the workerd entry (src/index.workerd.ts) imported and left on the global object. */
function workerdModule(): WebAssembly.Module | undefined {
  const module = (globalThis as Record<symbol, unknown>)[Symbol.for('mpl-sdk.blake3-module')];
  return module instanceof WebAssembly.Module ? module : undefined;
}

/** The module compiled by the first default load, so later ones need not fetch again. */
let compiledDefault: WebAssembly.Module | undefined;

/** Instantiates the BLAKE3 module from `source`, or from this runtime's default place. */
export async function instantiateBlake3(source?: WasmSource): Promise<WebAssembly.Instance> {
  if (source !== undefined) return (await instantiate(source, `loadHasher(${describe(source)})`)).instance;
  const known = workerdModule() ?? compiledDefault;
  if (known !== undefined) return (await instantiate(known, 'the default module')).instance;
  const failures: string[] = [];
  let cause: unknown;
  for (const [where, load] of defaultSources()) {
    try {
      const { instance, module } = await instantiate(await load(), where);
      compiledDefault = module;
      return instance;
    } catch (error) {
      cause = error;
      failures.push(error instanceof MplError ? error.message : `${where}: ${messageOf(error)}`);
    }
  }
  throw new MplError(ErrorCode.WasmLoad, `Could not load the BLAKE3 WebAssembly. ${failures.join('; ')}`, { cause });
}

/** The places to try, in order, in this runtime: [what, how to get it]. */
function defaultSources(): [string, () => Promise<WasmSource>][] {
  const sources: [string, () => Promise<WasmSource>][] = [];
  const base = moduleUrl();
  if (base !== undefined && runtime.Deno === undefined) {
    const read = isNode() ? readFileUrl : fetchWasm;
    sources.push([`blake3.wasm beside ${base}`, () => read(new URL('./blake3.wasm', base))]);
    if (isNode() && base.includes('/src/hashing/')) {
      // Running the TypeScript sources (tests under tsx): the repository's copy.
      sources.push(['wasm/blake3.wasm of the repository', () => readFileUrl(new URL('../../wasm/blake3.wasm', base))]);
    }
  }
  sources.push(['the inlined copy', inlinedBytes]);
  return sources;
}

/** This module's URL; `undefined` where there is none (workerd). */
function moduleUrl(): string | undefined {
  const url: unknown = import.meta.url;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

async function instantiate(source: WasmSource, where: string): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  let memory: WebAssembly.Memory | undefined;
  const imports = blake3Imports(() => memory);
  let loaded: WebAssembly.WebAssemblyInstantiatedSource;
  try {
    if (typeof source === 'string' || source instanceof URL) {
      const url = new URL(source, runtime.location?.href);
      source = url.protocol === 'file:' && isNode() ? await readFileUrl(url) : await fetchWasm(url);
    }
    if (source instanceof WebAssembly.Module) {
      loaded = { module: source, instance: await WebAssembly.instantiate(source, imports) };
    } else if (typeof Response === 'function' && source instanceof Response) {
      loaded = await instantiateResponse(source, imports);
    } else {
      loaded = await WebAssembly.instantiate(source as BufferSource, imports);
    }
  } catch (error) {
    if (error instanceof MplError) throw error;
    throw new MplError(ErrorCode.WasmLoad, `Could not instantiate the BLAKE3 WebAssembly from ${where}: ${messageOf(error)}${hint(error)}`, {
      cause: error,
      details: { source: where },
    });
  }
  memory = loaded.instance.exports['memory'] as WebAssembly.Memory;
  return loaded;
}

async function instantiateResponse(response: Response, imports: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url || 'the response'}`);
  const streaming = typeof WebAssembly.instantiateStreaming === 'function';
  if (streaming && response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

async function fetchWasm(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} for ${url.href}`);
  }
  return response;
}

// A variable specifier, at module level so that minifiers do not fold it back into a
// literal: browser bundlers then leave this Node-only import alone.
const FS_MODULE = 'node:fs/promises';

async function readFileUrl(url: URL): Promise<Uint8Array> {
  const fs = (await import(/* @vite-ignore */ FS_MODULE)) as { readFile(path: URL): Promise<Uint8Array> };
  return fs.readFile(url);
}

async function inlinedBytes(): Promise<Uint8Array> {
  const { blake3WasmBase64 } = await import('./blake3-inline.ts');
  const binary = atob(blake3WasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function describe(source: WasmSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (source instanceof WebAssembly.Module) return 'a WebAssembly.Module';
  if (typeof Response === 'function' && source instanceof Response) return `a Response from ${source.url || 'somewhere'}`;
  return `${(source as BufferSource).byteLength} bytes`;
}

function hint(error: unknown): string {
  return /disallowed|code generation/i.test(messageOf(error))
    ? ' (this runtime cannot compile WebAssembly from bytes: import the package through its `workerd` entry, or pass a WebAssembly.Module to loadHasher)'
    : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
