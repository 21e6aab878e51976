// Loading the BLAKE3 WebAssembly from what the caller gives, or from this build's default
// places (wasm-default.ts for Node, Deno and Bun; wasm-default.web.ts for browsers;
// wasm-default.workerd.ts for Workers: rollup.config.mjs picks one per build).
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { defaultWasmSources } from './wasm-default.ts';
import { onDemand } from '../platform/on-demand.ts';
import { fetchWasm, readWasmFile } from './wasm-loaders.ts';

/** The words of a module that could not be compiled (a page's policy, a runtime's refusal), loaded only then. */
const loadFailureWords = onDemand('WebAssembly failure hints', () => import('./wasm-failure.ts'));

/**
 * A fetched response holding the wasm: a `Response` fits. Described by its shape, so that
 * projects without the DOM types (Node-only) can use the declarations.
 *
 * @example
 * await loadHasher(await fetch('/assets/blake3.wasm'));
 */
export interface WasmResponse {
  /** Whether the status is 2xx; any other is refused with its status. */
  readonly ok: boolean;
  /** The HTTP status, named in the error of a failed load. */
  readonly status: number;
  /** Where it came from, named in errors. */
  readonly url: string;
  /** Its headers: `application/wasm` lets a real `Response` compile while it downloads. */
  readonly headers: {
    /** A header's value, or null. */
    get(name: string): string | null;
  };
  /** The body: the module's bytes. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Where the BLAKE3 WebAssembly can come from: a URL (string or `URL`), a fetched
 * `Response`, the bytes (`ArrayBuffer` or a typed array) or a compiled `WebAssembly.Module`
 * (any object: the module is checked when loaded). `mpl-sdk/blake3.wasm` is the file.
 *
 * @example
 * await loadHasher('https://cdn.example.com/mpl-sdk@0.1.0/dist/blake3.wasm');
 * await loadHasher(await WebAssembly.compile(bytes));
 */
export type WasmSource = string | { readonly href: string } | WasmResponse | ArrayBuffer | ArrayBufferView | object;

/** The module compiled by the first default load, so later ones need not fetch again. */
let compiledDefault: WebAssembly.Module | undefined;
/**
 * The page's Content-Security-Policy refused to compile WebAssembly: every later default
 * load would fail alike (a policy does not change while the page lives), so it is not
 * fetched again, nor another violation reported, on every call.
 */
let refusedByPolicy: MplError | undefined;

/** Instantiates the BLAKE3 module from `source`, or from this build's default places. */
export async function instantiateBlake3(source?: WasmSource): Promise<WebAssembly.Instance> {
  if (source !== undefined) return (await instantiate(source, `loadHasher(${describe(source)})`)).instance;
  if (compiledDefault !== undefined) return (await instantiate(compiledDefault, 'the default module')).instance;
  if (refusedByPolicy !== undefined) throw refusedByPolicy;
  const failures: string[] = [];
  let cause: unknown;
  for (const [where, load] of defaultWasmSources()) {
    try {
      const { instance, module } = await instantiate(await load(), where);
      compiledDefault = module;
      return instance;
    } catch (error) {
      cause = error;
      failures.push(error instanceof MplError ? error.message : `${where}: ${messageOf(error)}`);
      // The inlined copy would be refused the same way (and reported to the policy's report-uri again).
      if (error instanceof MplError && error.details['contentSecurityPolicy'] === true) {
        throw (refusedByPolicy = new MplError(ErrorCode.WasmLoad, `Could not load the BLAKE3 WebAssembly. ${failures.join('; ')}`, { cause, details: { contentSecurityPolicy: true } }));
      }
    }
  }
  throw new MplError(ErrorCode.WasmLoad, `Could not load the BLAKE3 WebAssembly. ${failures.join('; ')}`, { cause });
}

async function instantiate(source: WasmSource, where: string): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  const imports: WebAssembly.Imports = {};
  let loaded: WebAssembly.WebAssemblyInstantiatedSource;
  try {
    if (typeof source === 'string' || isUrlLike(source)) {
      const url = new URL(typeof source === 'string' ? source : source.href, (globalThis as { location?: { href?: string } }).location?.href);
      source = url.protocol === 'file:' && readWasmFile ? await readWasmFile(url) : await fetchWasm(url);
    }
    if (source instanceof WebAssembly.Module) {
      loaded = { module: source, instance: await WebAssembly.instantiate(source, imports) };
    } else if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
      loaded = await WebAssembly.instantiate(source as BufferSource, imports);
    } else if (isResponseLike(source)) {
      loaded = await instantiateResponse(source, imports);
    } else {
      throw new MplError(ErrorCode.WasmLoad, `loadHasher needs a URL, a Response, bytes or a WebAssembly.Module, got ${describe(source)}`, { details: { source: where } });
    }
  } catch (error) {
    if (error instanceof MplError) throw error;
    // What to do about it loads only now (where it cannot, the error says what happened without it).
    const words = await loadFailureWords().catch(() => undefined);
    const policy = words?.isPolicyRefusal(error) === true;
    throw new MplError(ErrorCode.WasmLoad, `Could not instantiate the BLAKE3 WebAssembly from ${where}: ${messageOf(error)}${words?.wasmHint(error) ?? ''}`, {
      cause: error,
      details: { source: where, ...(policy ? { contentSecurityPolicy: true } : {}) },
    });
  }
  return loaded;
}

async function instantiateResponse(response: WasmResponse, imports: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${response.url || 'the response'}`);
  const streamable = typeof WebAssembly.instantiateStreaming === 'function' && typeof Response === 'function' && response instanceof Response;
  if (streamable && response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

function isUrlLike(source: WasmSource): source is { readonly href: string } {
  return typeof source === 'object' && source !== null && typeof (source as { href?: unknown }).href === 'string';
}

function isResponseLike(source: WasmSource): source is WasmResponse {
  return typeof source === 'object' && source !== null && typeof (source as { arrayBuffer?: unknown }).arrayBuffer === 'function';
}

function describe(source: WasmSource): string {
  if (typeof source === 'string') return source;
  if (isUrlLike(source)) return source.href;
  if (source instanceof WebAssembly.Module) return 'a WebAssembly.Module';
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return `${source.byteLength} bytes`;
  if (isResponseLike(source)) return `a Response from ${source.url || 'somewhere'}`;
  return source === null ? 'null' : typeof source === 'object' ? `an object (${Object.prototype.toString.call(source)})` : typeof source;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
