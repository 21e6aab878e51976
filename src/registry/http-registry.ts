import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { SType } from '../protocol/stype.ts';
import { checkProfile, checkProfileName, copySchema, parseRegistryJson, type Registry } from './registry.ts';
import { fetchText } from './fetch-text.ts';
import type { HttpRegistryOptions } from './http.ts';
import { loadEngine } from './load-engine.ts';

type Layout = 'static' | 'service';
const MAX_LIST_PAGES = 100;

/** The registry below `base` that `httpRegistry` describes (it checks the URL, and loads this on first use). */
export function openHttpRegistry(base: URL, options: HttpRegistryOptions): Registry {
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
    return (await loadEngine()).checkSchema(type, parseRegistryJson(text, what, url), url);
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
      return copySchema(await schemaOf(SType.parse(stype)));
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
