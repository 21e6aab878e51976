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
  /** Places of the other STypes typed `unknown` (a `$ref` that leads nowhere), with why: the rest of each is typed. */
  unknownAt: { stype: string; problem: string }[];
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

/** Keywords of json-schema-to-typescript's own: a registry's schema never puts TypeScript into the output. */
const LIBRARY_KEYWORDS = ['tsType', 'tsEnumNames'];
/** What stays on a subschema whose `$ref` and other keywords are split into an `allOf` (see `prepare`). */
const STAYS_BESIDE_REF = new Set([...ANNOTATIONS, NAME, '$id', '$schema', '$anchor', '$defs', 'definitions']);

/** Rewrites a schema (a copy of our own) into what the library types faithfully. */
function prepare(schema: Record<string, unknown>): void {
  const rewritten = new WeakSet<object>(); // tuples, which the walk may meet twice
  walkSubschemas(schema, (s) => {
    if (typeof s['$ref'] === 'string') {
      const beside = Object.keys(s).filter((k) => k !== '$ref' && !STAYS_BESIDE_REF.has(k));
      // A `$ref` with only annotations beside it: the annotations would make the library
      // copy the target, and name the copy again (`…V11`).
      if (beside.length === 0) {
        for (const k of Object.keys(s)) if (ANNOTATIONS.has(k)) delete s[k]; // $defs, $id and the name marker stay
        return;
      }
      // Keywords beside a `$ref` apply as well as its target (2020-12); the library would drop them.
      const rest: Record<string, unknown> = {};
      for (const k of beside) {
        rest[k] = s[k];
        delete s[k];
      }
      s['allOf'] = [{ $ref: s['$ref'] }, rest];
      delete s['$ref'];
    }
    if (Array.isArray(s['allOf'])) {
      // A member that only requires members (`allOf: [{required: […]}]`): its names are required here.
      for (const member of s['allOf']) if (isObject(member) && Array.isArray(member['required']) && !shapes(member)) addRequired(s, member['required']);
      s['allOf'] = s['allOf'].filter(shapes);
      if ((s['allOf'] as unknown[]).length === 0) delete s['allOf'];
    }
    if (Array.isArray(s['required'])) declareRequired(s);
    // Members matching no pattern may hold anything: the library would type every member as one of the patterns' types.
    if (isObject(s['patternProperties']) && s['additionalProperties'] === undefined && s['unevaluatedProperties'] === undefined) s['additionalProperties'] = {};
    if (Array.isArray(s['prefixItems']) && !rewritten.has(s)) {
      rewritten.add(s);
      tupleForms(s);
    }
    if (!shapes(s)) s['tsType'] = 'unknown';
  });
}

function addRequired(s: Record<string, unknown>, names: unknown[]): void {
  const required = Array.isArray(s['required']) ? s['required'] : [];
  s['required'] = [...new Set([...required, ...names.filter((n): n is string => typeof n === 'string')])];
}

/**
 * Each required member gets a `properties` entry (the library leaves out a required name
 * with none): what `patternProperties` or `additionalProperties` say of that name, else any
 * value. Only where the subschema can describe an object.
 */
function declareRequired(s: Record<string, unknown>): void {
  const type = s['type'];
  if (type !== undefined && type !== 'object' && !(Array.isArray(type) && type.includes('object'))) return;
  const properties = isObject(s['properties']) ? s['properties'] : {};
  const patterns = isObject(s['patternProperties']) ? Object.entries(s['patternProperties']) : [];
  const additional = s['additionalProperties'];
  let added = false;
  for (const name of s['required'] as unknown[]) {
    if (typeof name !== 'string' || Object.hasOwn(properties, name)) continue;
    const pattern = patterns.find(([source]) => matches(source, name));
    properties[name] = pattern ? pattern[1] : isObject(additional) ? additional : {};
    added = true;
  }
  if (added) s['properties'] = properties;
}

function matches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(name);
  } catch {
    return false;
  }
}

/**
 * `prefixItems` (2020-12), which the library does not know (it would read the `items` beside
 * it as the type of every element), as the tuples it types: one per length the array may
 * have, from `minItems` to the prefix's length (`maxItems` bounding it), the longest followed
 * by what `items` allows. `prefixItems` itself stays, so that a JSON Pointer into it still resolves.
 */
function tupleForms(s: Record<string, unknown>): void {
  const prefix = s['prefixItems'] as unknown[];
  const rest = s['items'] === undefined || s['items'] === true ? {} : s['items'];
  const min = Math.min(typeof s['minItems'] === 'number' ? Math.max(Math.ceil(s['minItems']), 0) : 0, prefix.length);
  const max = typeof s['maxItems'] === 'number' ? Math.min(Math.floor(s['maxItems']), prefix.length) : prefix.length;
  const forms: Record<string, unknown>[] = [];
  for (let length = min; length <= max; length++) {
    const longest = length === prefix.length;
    forms.push({ items: prefix.slice(0, length), additionalItems: longest && rest !== false ? rest : false });
  }
  delete s['items'];
  // The tuples stand for the array type; other types a `type` list allows stay beside them.
  const type = s['type'];
  if (Array.isArray(type)) {
    const others = type.filter((t) => t !== 'array');
    if (others.length > 0) forms.push({ type: others.length === 1 ? others[0] : others });
  }
  if (type === 'array' || Array.isArray(type)) delete s['type'];
  const tuples = forms.length === 0 ? { tsType: 'never' } : { anyOf: forms };
  if (s['anyOf'] === undefined) Object.assign(s, tuples);
  else s['allOf'] = [...(Array.isArray(s['allOf']) ? s['allOf'] : []), tuples];
}

/**
 * A schema rewritten into one the library resolves: `true`/`false` subschemas in a list or
 * a map as `{}`/`never` (it reads `additionalProperties: false` and the like itself, not
 * those), `$anchor` references and those inside a subschema with its own `$id` as JSON
 * Pointers from the root, and those `$id`s and anchors dropped (the library reads every
 * `#…` from the root and knows no anchors). An anchor not found in the reference's own
 * resource is looked up in the whole schema, as the validator does (it answers such a
 * `#name` from the root with a nested resource's anchor of that name). A `$ref` that leads
 * nowhere (no such location, an SType `known` lacks, a URL outside the registry) is typed
 * `unknown` where it stands, said in `problems`: the rest of the SType is still typed.
 */
function resolveLocalRefs(schema: Record<string, unknown>, known: ReadonlySet<string>, problems: Set<string>): void {
  const resources = new Map<string, string>(); // nested $id -> its pointer
  const anchors = new Map<string, string>(); // `${resource pointer} ${anchor}` -> pointer
  const anyAnchor = new Map<string, string>(); // anchor -> pointer (the last one met, as the validator)
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
    if (typeof sub['$anchor'] === 'string') {
      anchors.set(`${resourceOf(pointer)} ${sub['$anchor']}`, pointer);
      anyAnchor.set(sub['$anchor'], pointer);
    }
  });
  walkSubschemas(schema, (sub, pointer) => {
    const ref = sub['$ref'];
    if (typeof ref === 'string') {
      const hash = ref.indexOf('#');
      const base = hash < 0 ? ref : ref.slice(0, hash);
      const fragment = hash < 0 ? '' : ref.slice(hash + 1);
      const inside = base === '' ? resourceOf(pointer) : resources.get(base);
      let target: string | undefined;
      if (inside !== undefined) {
        if (fragment === '' || fragment.startsWith('/')) target = `${inside}${fragment}`;
        else {
          const anchor = decodeURIComponent(fragment);
          target = anchors.get(`${inside} ${anchor}`) ?? anyAnchor.get(anchor);
        }
        if (target !== undefined && locate(schema, target)) sub['$ref'] = `#${target}`;
        else target = undefined;
      } else if (base.startsWith(URN) && known.has(base.slice(URN.length))) {
        target = base; // another SType's schema, which the library reads from the registry
      }
      if (target === undefined) {
        problems.add(`$ref ${JSON.stringify(ref)} at #${pointer} leads nowhere: typed unknown there`);
        delete sub['$ref'];
        sub['tsType'] = 'unknown';
      }
    }
    if (pointer !== '') delete sub['$id'];
    delete sub['$anchor'];
  });
}

/** Whether the JSON Pointer `pointer` (RFC 6901, possibly percent-encoded) names a location of `schema`. */
function locate(schema: unknown, pointer: string): boolean {
  let at: unknown = schema;
  for (const raw of pointer.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return false;
    }
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, segment)) return false;
    at = (at as Record<string, unknown>)[segment];
  }
  return true;
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
    if (unusable.has(id)) return JSON.stringify({ $id: `${URN}${id}`, tsType: 'unknown' });
    let read: unknown;
    try {
      read = await registry.getSchema(id);
    } catch (error) {
      unreadable.set(id, (error as Error).message); // the library keeps only "Error reading file"
      throw error;
    }
    const schema = structuredClone(read) as Record<string, unknown>;
    schema['$id'] = `${URN}${id}`; // the type's name comes from it, with or without one in the file
    walkSubschemas(schema, (sub) => { for (const k of LIBRARY_KEYWORDS) delete sub[k]; });
    const problems = new Set<string>();
    resolveLocalRefs(schema, known, problems);
    if (problems.size) loose.set(id, [...problems]);
    prepareStype(schema, id, await options.example?.(id));
    return JSON.stringify(schema);
  };
  const unusable = new Map<string, string>(); // SType -> why the library could not type it
  const unreadable = new Map<string, string>(); // SType -> why the registry could not give its schema
  const loose = new Map<string, string[]>(); // SType -> its $refs typed unknown, each with why
  const known = new Set(all);
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
        unusable.set(id, unreadable.get(id) ?? why(alone));
      }
    }
    try {
      if (unusable.size === 0) throw cause;
      body = await typeOf(root);
    } catch (still) {
      if (still instanceof MplError) throw still;
      const problem = [...unreadable.values()][0] ?? why(still);
      throw new MplError(ErrorCode.Registry, `The schemas of ${registry.source} cannot be turned into types: ${problem}`, { cause: still, details: { where: registry.source } });
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
  const unknownAt = [...loose].filter(([stype]) => !unusable.has(stype)).flatMap(([stype, problems]) => problems.map((problem) => ({ stype, problem })));
  return { text: `${banner}\n${body.trimEnd()}\n${augment}`, stypes, leftOut: all.filter((id) => leaveOut.has(id)), untyped, unknownAt };
}
