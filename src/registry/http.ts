import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import { checkProfile, checkProfileName, parseRegistryJson, type Registry } from './registry.ts';
import { fetchText } from './fetch-text.ts';
import { checkSchema } from './schema-document.ts';

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
  /** Time limit per request attempt, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Retries of a failed GET (network error, 408, 429, 5xx). Default 2. */
  retry?: number;
  /** Extra request headers (an API key…). */
  headers?: Record<string, string>;
  /** The `fetch` to use, e.g. a wrapped or instrumented one. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}

type Layout = 'static' | 'service';
const MAX_LIST_PAGES = 100;

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
 * the MPL registry service. Requests go only below `baseUrl` (redirects are not
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
  let layout: Layout | undefined = options.layout === 'auto' ? undefined : options.layout;
  const schemas = new Map<string, Promise<object>>();

  const urlOf = (relative: string): string => {
    const url = new URL(relative, base);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new MplError(ErrorCode.Registry, `Refusing ${url.href}: outside the registry ${base.href}`, { details: { url: url.href, where: base.href } });
    }
    return url.href;
  };

  const get = (url: string, what: string) => fetchText(url, what, base.href, options);

  // Tries the known layout, or static then service until one answers.
  async function getFirst(paths: Record<Layout, string>, what: string): Promise<{ url: string; text: string | undefined; tried: string[] }> {
    const tried: string[] = [];
    for (const candidate of layout ? [layout] : (['static', 'service'] as const)) {
      const url = urlOf(paths[candidate]);
      tried.push(url);
      const text = await get(url, what);
      if (text !== undefined) {
        layout ??= candidate;
        return { url, text, tried };
      }
    }
    return { url: tried[0]!, text: undefined, tried };
  }

  async function fetchSchema(type: SType): Promise<object> {
    const service = `stypes/${type.namespace}/${type.domain}/${type.name}/v${type.majorVersion}/schema`;
    const what = `schema of ${type.id}`;
    const { url, text, tried } = await getFirst({ static: type.schemaPath, service }, what);
    if (text === undefined) throw new UnknownStypeError(type.id, tried.join(' and '));
    return checkSchema(type, parseRegistryJson(text, what, url), url);
  }

  function schemaOf(type: SType): Promise<object> {
    let schema = schemas.get(type.id);
    if (!schema) {
      schema = fetchSchema(type);
      schemas.set(type.id, schema);
      schema.catch(() => { if (schemas.get(type.id) === schema) schemas.delete(type.id); });
    }
    return schema;
  }

  return {
    source: base.href,
    async getSchema(stype) {
      return structuredClone(await schemaOf(SType.parse(stype)));
    },
    async has(stype) {
      try {
        await schemaOf(SType.parse(stype));
        return true;
      } catch (error) {
        if (error instanceof UnknownStypeError) return false;
        throw error;
      }
    },
    async list() {
      const { url, text } = await getFirst({ static: 'index.json', service: 'stypes?limit=100&offset=0' }, 'SType list');
      if (text === undefined) throw new MplError(ErrorCode.Registry, `${base.href} has no SType list (tried index.json and stypes)`, { details: { where: base.href } });
      if (layout === 'static') return idsOf(parseRegistryJson(text, 'SType list', url), url);
      const ids: string[] = [];
      let page = parseRegistryJson(text, 'SType list', url);
      for (let pages = 1; ; pages++) {
        const batch = idsOf(page, url);
        ids.push(...batch);
        const total = (page as { total?: unknown }).total;
        if (batch.length === 0 || typeof total !== 'number' || ids.length >= total || pages >= MAX_LIST_PAGES) break;
        const next = urlOf(`stypes?limit=100&offset=${ids.length}`);
        page = parseRegistryJson((await get(next, 'SType list')) ?? '{}', 'SType list', next);
      }
      return [...new Set(ids)].sort();
    },
    async getProfile(name) {
      checkProfileName(name);
      const what = `QoM profile "${name}"`;
      const { url, text } = await getFirst({ static: `profiles/${name}.json`, service: `profiles/${name}` }, what);
      return text === undefined ? undefined : checkProfile(parseRegistryJson(text, what, url), name, url);
    },
  };
}

// `{"stypes": ["org.x.Y.v1", …]}` (static index.json) or `{"stypes": [{"stype": …}, …]}`
// (the registry service); entries that are not valid STypes are left out.
function idsOf(list: unknown, url: string): string[] {
  const entries = Array.isArray(list) ? list : (list as { stypes?: unknown } | null)?.stypes;
  if (!Array.isArray(entries)) {
    throw new MplError(ErrorCode.Registry, `The SType list at ${url} is not a list of STypes`, { details: { where: url } });
  }
  const ids = entries.map((e) => (typeof e === 'string' ? e : (e as { stype?: unknown } | null)?.stype));
  return ids.flatMap((id) => (typeof id === 'string' && SType.isValid(id) ? [SType.parse(id).id] : []));
}
