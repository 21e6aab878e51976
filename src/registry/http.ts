import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { lazyRegistry } from './lazy.ts';
import type { Registry } from './registry.ts';
import { onDemand } from '../platform/on-demand.ts';
import { badOption, checkOptions, isNumber, isObject, ofType, type Rule } from '../platform/option-rules.ts';

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
  layout?: 'auto' | 'static' | 'service' | undefined;
  /** Time limit per request attempt for the answer's headers, then as much again for its body, in milliseconds. Default 10 000. */
  timeoutMs?: number | undefined;
  /** Retries of a failed GET (network error, 408, 429, 5xx; not a time limit that ran out). Default 2. */
  retry?: number | undefined;
  /** Extra request headers (an API key…). */
  headers?: Record<string, string> | undefined;
  /** The `fetch` to use, e.g. a wrapped or instrumented one. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
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
  if (!isObject(options) || Array.isArray(options)) badOption('httpRegistry', 'options', 'an object', options);
  checkOptions('httpRegistry', options, OPTIONS, 'options.');
  return lazyRegistry(base.href, async () => (await loadHttpRegistry()).openHttpRegistry(base, options));
}

/** Timers take at most 2^31 - 1 ms: past that the requests could not be timed at all. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The options of {@link httpRegistry}, checked when it is made: a misspelt layout looked in
 * `…/undefined`, and a time limit that is no positive number timed every request out at once.
 */
const OPTIONS: Record<string, Rule> = {
  layout: ['"auto", "static" or "service"', (value) => value === 'auto' || value === 'static' || value === 'service'],
  timeoutMs: [`a positive number of milliseconds up to ${MAX_TIMEOUT_MS}`, (value) => isNumber(value) && value > 0 && value <= MAX_TIMEOUT_MS],
  retry: ['a whole number of retries (0 or more)', (value) => Number.isInteger(value) && (value as number) >= 0],
  headers: ['an object of header names to string values', (value) => isObject(value) && !Array.isArray(value) && Object.values(value as object).every((v) => typeof v === 'string')],
  fetch: ofType('function'),
};
