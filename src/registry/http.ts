import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { lazyRegistry } from './lazy.ts';
import type { Registry } from './registry.ts';
import { onDemand } from '../platform/on-demand.ts';

const loadHttpRegistry = /* @__PURE__ */ onDemand('URL registry', () => import('./http-registry.ts'));

/**
 * Options of {@link httpRegistry}.
 *
 * @example
 * httpRegistry('https://registry.example.com/', { layout: 'service', timeoutMs: 3000, retry: 1, headers: { authorization: `Bearer ${token}` } });
 */
export interface HttpRegistryOptions {
  /**
   * How the server lays out its files. `static`: `<base>/stypes/org/calendar/Event/v1/schema.json`
   * (a CDN, or this package's `registry/` served as files). `service`: the MPL registry
   * service, `<base>/stypes/org/calendar/Event/v1/schema`. `auto` (default) tries static
   * first and keeps whichever answers.
   */
  layout?: 'auto' | 'static' | 'service';
  /** Time limit per request attempt for the answer's headers, then as much again for its body, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Retries of a failed GET (network error, 408, 429, 5xx; not a time limit that ran out). Default 2. */
  retry?: number;
  /** Extra request headers (an API key…). */
  headers?: Record<string, string>;
  /** The `fetch` to use, e.g. a wrapped or instrumented one. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}


function baseUrlOf(baseUrl: string | URL): URL {
  let url: URL | undefined;
  try {
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    url = new URL(String(baseUrl), page);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new MplError(ErrorCode.InvalidArgument, `httpRegistry needs an http(s) URL (or, in a page, a path relative to it), got ${JSON.stringify(String(baseUrl))}`, {
      details: { baseUrl: String(baseUrl) },
    });
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * A registry read over HTTP(S), in every runtime: a static copy of a registry folder or
 * the MPL registry service, its code loaded on first use. Requests go only below `baseUrl` (redirects are not
 * followed), through ky with a timeout and retries of idempotent GETs; schemas are cached
 * in memory, and concurrent requests for one schema share one fetch.
 *
 * @example
 * const registry = httpRegistry('https://cdn.example.com/mpl-registry/', { timeoutMs: 5000 });
 * const validator = new SchemaValidator(registry);
 * await validator.assertValid('org.calendar.Event.v1', payload);
 */
export function httpRegistry(baseUrl: string | URL, options: HttpRegistryOptions = {}): Registry {
  const base = baseUrlOf(baseUrl);
  options ??= {}; // null from plain JavaScript: no options
  checkOptions(options);
  return lazyRegistry(base.href, async () => (await loadHttpRegistry()).openHttpRegistry(base, options));
}

/**
 * `E-INVALID-ARGUMENT` naming an option of {@link httpRegistry} it does not know or of the
 * wrong kind, when the registry is made: a misspelt layout looked in `…/undefined`, and a
 * time limit that is no positive number timed every request out at once.
 */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function checkOptions(options: HttpRegistryOptions): void {
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new MplError(ErrorCode.InvalidArgument, `httpRegistry options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`, { details: { option: 'options' } });
  }
  const refuse = (option: string, why: string): never => {
    throw new MplError(ErrorCode.InvalidArgument, `httpRegistry option ${option} ${why}`, { details: { option } });
  };
  const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : typeof value === 'number' ? String(value) : typeof value);
  for (const [option, value] of Object.entries(options)) {
    if (value === undefined) continue;
    switch (option) {
      case 'layout':
        if (value !== 'auto' && value !== 'static' && value !== 'service') refuse(option, `must be "auto", "static" or "service", got ${shown(value)}`);
        break;
      case 'timeoutMs':
        // Timers take at most 2^31 - 1 ms: past that the requests could not be timed at all.
        if (typeof value !== 'number' || !(value > 0) || value > MAX_TIMEOUT_MS) refuse(option, `must be a positive number of milliseconds up to ${MAX_TIMEOUT_MS}, got ${shown(value)}`);
        break;
      case 'retry':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) refuse(option, `must be a whole number of retries (0 or more), got ${shown(value)}`);
        break;
      case 'headers':
        if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) refuse(option, `must be an object of header names to string values, got ${shown(value)}`);
        break;
      case 'fetch':
        if (typeof value !== 'function') refuse(option, `must be a function, got ${shown(value)}`);
        break;
      default:
        refuse(option, 'is not one (the options are layout, timeoutMs, retry, headers, fetch)');
    }
  }
}
