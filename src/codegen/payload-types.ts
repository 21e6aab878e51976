// TypeScript payload types from a registry's schemas, through json-schema-to-typescript.
// Node-only (the `mpl-sdk types` command and the build); never part of the browser bundle.
import { ErrorCode, MplError, SType, type Registry } from '../index.ts';
import { SUBSCHEMA_LIST, SUBSCHEMA_MAP, walkSubschemas } from '../registry/subschemas.ts';

/**
 * Options of {@link generatePayloadTypes}.
 */
export interface PayloadTypesOptions {
  /**
   * `augment` (default): payload types plus a `declare module 'mpl-sdk'` block that adds
   * them to `RegistryPayloads` (over the SDK's own types), for a project's own registry. `base`: the SDK's own
   * `export interface StypePayloads`, for its embedded registry.
   */
  form?: 'augment' | 'base';
  /** STypes to leave out (those the SDK already types, say). */
  leaveOut?: readonly string[];
  /** First line of the file, after `// `. */
  banner?: string;
  /** JSDoc text of the `StypePayloads` map (`base` form). */
  mapDoc?: string;
  /** An example payload of an SType, shown as the `@example` of its type. */
  example?: (stype: string) => Promise<unknown>;
}

/** The generated file's text, the STypes in it and those left out. */
export interface PayloadTypes {
  text: string;
  stypes: string[];
  leftOut: string[];
  /** STypes whose schema the library could not type, typed `unknown`, with why. */
  untyped: { stype: string; problem: string }[];
}

const URN = 'urn:stype:';
/** Where `prepare` writes the type name of a `$defs` entry, for `customName`. */
const NAME = 'x-mpl-type-name';
const MAP = { base: 'StypePayloads', augment: 'GeneratedStypePayloads' } as const;

type JsonSchemaToTs = typeof import('json-schema-to-typescript');

/** json-schema-to-typescript, an optional peer dependency, imported on first use. */
async function loadJsonSchemaToTs(): Promise<JsonSchemaToTs> {
  try {
    return await import('json-schema-to-typescript');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw cause;
    throw new MplError(ErrorCode.InvalidArgument, 'json-schema-to-typescript is not installed; it generates the types: npm install --save-dev json-schema-to-typescript', { cause });
  }
}

/** `org.calendar.Event.v1` -> `OrgCalendarEventV1`. */
function typeNameOf(id: string): string {
  return id.split('.').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('').replace(/[^A-Za-z0-9_]/g, '_');
}

// Keywords that give a schema a shape json-schema-to-typescript can type. A schema with
// none of them (only a description, or only `if`/`not`) admits any value, but the library
// would type it `{[k: string]: unknown}`: it is marked `unknown` instead, and left out of
// an `allOf` (where it only adds checks that types cannot express).
const SHAPING = ['type', 'properties', 'patternProperties', 'additionalProperties', 'items', 'prefixItems', 'enum', 'const', '$ref', 'anyOf', 'oneOf', 'allOf', 'tsType'];
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shapes = (s: unknown) => isObject(s) && SHAPING.some((k) => k in s);

/** A schema of `stype` as the library should type it: definitions named after the SType, the example shown. */
function prepareStype(schema: Record<string, unknown>, stype: string, example: unknown): void {
  const base = typeNameOf(stype);
  for (const key of ['$defs', 'definitions']) {
    const defs = schema[key];
    if (isObject(defs)) for (const [name, def] of Object.entries(defs)) if (isObject(def)) def[NAME] = base + typeNameOf(name);
  }
  if (example !== undefined) {
    const doc = typeof schema['description'] === 'string' ? `${schema['description']}\n\n` : '';
    schema['description'] = `${doc}@example\nconst payload: PayloadOf<'${stype}'> = ${JSON.stringify(example, null, 2)};`;
  }
  prepare(schema);
}

/** Rewrites a schema (a copy of our own) into what the library types faithfully. */
function prepare(schema: Record<string, unknown>): void {
  walkSubschemas(schema, (s) => {
    // A `$ref` with only annotations beside it: the annotations would make the library
    // copy the target, and name the copy again (`…V11`).
    if (typeof s['$ref'] === 'string' && Object.keys(s).every((k) => k === '$ref' || ANNOTATIONS.has(k))) {
      for (const k of Object.keys(s)) if (k !== '$ref') delete s[k];
      return;
    }
    if (Array.isArray(s['allOf'])) {
      s['allOf'] = s['allOf'].filter(shapes);
      if ((s['allOf'] as unknown[]).length === 0) delete s['allOf'];
    }
    if (!shapes(s)) s['tsType'] = 'unknown';
  });
}

/**
 * A schema rewritten into one the library resolves: `true`/`false` subschemas in a list or
 * a map as `{}`/`never` (it reads `additionalProperties: false` and the like itself, not
 * those), `$anchor` references and those inside a subschema with its own `$id` as JSON
 * Pointers from the root, and those `$id`s and anchors dropped (the library reads every
 * `#…` from the root and knows no anchors).
 */
function resolveLocalRefs(schema: Record<string, unknown>): void {
  const resources = new Map<string, string>(); // nested $id -> its pointer
  const anchors = new Map<string, string>(); // `${resource pointer} ${anchor}` -> pointer
  // The pointer of the nearest subschema with an `$id` of its own around `pointer` ('' for the root).
  const resourceOf = (pointer: string): string => {
    let found = '';
    for (const at of resources.values()) if ((pointer === at || pointer.startsWith(`${at}/`)) && at.length > found.length) found = at;
    return found;
  };
  const swap = (value: unknown): unknown => (value === true ? {} : value === false ? { tsType: 'never' } : value);
  // Parents come before children: a subschema's resource is known when its anchor is met.
  walkSubschemas(schema, (sub, pointer) => {
    for (const key of Object.keys(sub)) {
      const value = sub[key];
      if (SUBSCHEMA_LIST.has(key) && Array.isArray(value)) value.forEach((item, i) => (value[i] = swap(item)));
      else if (SUBSCHEMA_MAP.has(key) && isObject(value)) for (const name of Object.keys(value)) value[name] = swap(value[name]);
    }
    if (pointer !== '' && typeof sub['$id'] === 'string') resources.set(sub['$id'].split('#')[0]!, pointer);
    if (typeof sub['$anchor'] === 'string') anchors.set(`${resourceOf(pointer)} ${sub['$anchor']}`, pointer);
  });
  walkSubschemas(schema, (sub, pointer) => {
    const ref = sub['$ref'];
    if (typeof ref === 'string') {
      const hash = ref.indexOf('#');
      const base = hash < 0 ? ref : ref.slice(0, hash);
      const fragment = hash < 0 ? '' : ref.slice(hash + 1);
      const inside = base === '' ? resourceOf(pointer) : resources.get(base);
      if (inside !== undefined) {
        const target = fragment === '' || fragment.startsWith('/') ? `${inside}${fragment}` : anchors.get(`${inside} ${decodeURIComponent(fragment)}`);
        if (target !== undefined) sub['$ref'] = `#${target}`;
      }
    }
    if (pointer !== '') delete sub['$id'];
    delete sub['$anchor'];
  });
}

/**
 * TypeScript declarations of the payload of every SType in `registry` (one interface per
 * SType, named after its id: `OrgCalendarEventV1`), and the map from id to type. `$ref`s
 * to `urn:stype:<id>` are read from the same registry, local ones (`#/$defs/…`) from the
 * schema itself; nothing is read from files or URLs outside the registry.
 *
 * @example
 * const { text } = await generatePayloadTypes(directoryRegistry('./registry'));
 * await writeFile('mpl-stypes.d.ts', text);
 */
export async function generatePayloadTypes(registry: Registry, options: PayloadTypesOptions = {}): Promise<PayloadTypes> {
  const { compile } = await loadJsonSchemaToTs();
  const form = options.form ?? 'augment';
  const leaveOut = new Set((options.leaveOut ?? []).map((id) => SType.parse(id).id));
  const all = await registry.list();
  const stypes = all.filter((id) => !leaveOut.has(id));
  const root = {
    type: 'object',
    additionalProperties: false,
    required: stypes,
    properties: Object.fromEntries(stypes.map((id) => [id, { $ref: `${URN}${id}` }])),
    ...(options.mapDoc ? { description: options.mapDoc } : {}),
  };
  const readStype = async (file: { url: string }) => {
    const { id } = SType.parse(file.url.split('#')[0]!);
    const schema = structuredClone(await registry.getSchema(id)) as Record<string, unknown>;
    schema['$id'] = `${URN}${id}`; // the type's name comes from it, with or without one in the file
    resolveLocalRefs(schema);
    if (unusable.has(id)) return JSON.stringify({ $id: `${URN}${id}`, tsType: 'unknown' });
    prepareStype(schema, id, await options.example?.(id));
    return JSON.stringify(schema);
  };
  const unusable = new Map<string, string>(); // SType -> why the library could not type it
  const typeOf = (schema: object) => compile(schema as never, MAP[form], {
    bannerComment: '',
    format: true,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: false,
    unknownAny: true,
    customName: (sub) => {
      // The library gives an `$id` to what it declares as a type of its own; it also
      // copies the marker into the members of a `type: [...]` union, which have none.
      const named = (sub as Record<string, unknown>)[NAME];
      if (typeof named === 'string' && typeof sub.$id === 'string') return named;
      return typeof sub.$id === 'string' && sub.$id.startsWith(URN) ? typeNameOf(SType.parse(sub.$id).id) : undefined;
    },
    // Only the registry: no file, no URL other than urn:stype:<id>.
    $refOptions: { resolve: { file: false, http: false, stype: { order: 1, canRead: /^urn:stype:/i, read: readStype } } } as never,
  });
  const why = (cause: unknown): string => (cause as Error).message.split('\n')[0]!;
  let body: string;
  try {
    body = await typeOf(root);
  } catch (cause) {
    if (cause instanceof MplError) throw cause;
    // Find the STypes the library cannot type, each on its own; the others are typed, those `unknown` (and said).
    for (const id of stypes) {
      try {
        await typeOf({ ...root, required: [id], properties: { [id]: { $ref: `${URN}${id}` } } });
      } catch (alone) {
        if (alone instanceof MplError) throw alone;
        unusable.set(id, why(alone));
      }
    }
    try {
      if (unusable.size === 0) throw cause;
      body = await typeOf(root);
    } catch (still) {
      if (still instanceof MplError) throw still;
      throw new MplError(ErrorCode.Registry, `The schemas of ${registry.source} cannot be turned into types: ${why(still)}`, { cause: still, details: { where: registry.source } });
    }
  }
  const banner = `// ${options.banner ?? `Generated by \`mpl-sdk types\` from ${registry.source}.`} Do not edit.\n`;
  const augment = form === 'base' ? '' : `
declare module 'mpl-sdk' {
  /** The STypes of ${registry.source} (over the SDK's own for the same id). */
  interface RegistryPayloads extends ${MAP.augment} {}
}
`;
  const untyped = [...unusable].map(([stype, problem]) => ({ stype, problem }));
  return { text: `${banner}\n${body.trimEnd()}\n${augment}`, stypes, leftOut: all.filter((id) => leaveOut.has(id)), untyped };
}
