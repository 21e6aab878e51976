#!/usr/bin/env node
// Generates, from registry/, the three files derived from it:
// - src/registry/embedded-data.generated.ts: every schema (without its annotations) and
//   QoM profile as minified JSON text, bundled into dist (a chunk loaded on first use) so
//   a browser or Worker validates with no network;
// - registry/index.json: the list of STypes and profiles, for HTTP clients of the static
//   layout (a folder of files has no directory listing);
// - src/registry/stype-payloads.generated.ts: the payload type of every SType (the
//   `StypePayloads` map of index.d.ts), by src/codegen/payload-types.ts, the code of the
//   `mpl-sdk types` command (loaded through tsx, a dev dependency).
// The rollup build runs it first (embedRegistry plugin), so dist never carries stale
// schemas; `node registry/embed.mjs --check` fails when the committed files are out
// of date, and test/registry checks the same.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED_MODULE = 'src/registry/embedded-data.generated.ts';
const REGISTRY_INDEX = 'registry/index.json';
const PAYLOAD_TYPES = 'src/registry/stype-payloads.generated.ts';
const MAP_DOC = `The payload type of every SType the compiler knows, by SType id: the STypes of the
SDK's embedded registry, generated from its registry/ folder. \`Session.send\`,
\`Session.onMessage\`, \`Client.send\` and \`MplEnvelope.getPayload\` check payloads
against it; an SType it does not list has the payload type \`unknown\`.

Add your own registry's STypes by declaration merging: \`npx mpl-sdk types ./registry
-o mpl-stypes.d.ts\` writes the block for you.

@example
declare module 'mpl-sdk' {
  interface StypePayloads {
    'com.acme.finance.Trade.v2': { symbol: string; qty: number };
  }
}
await session.send('com.acme.finance.Trade.v2', { symbol: 'ACME', qty: 3 }); // checked`;
const STYPE_PATH = /^stypes\/((?:[A-Za-z0-9_-]+\/)+)([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)\/v([1-9][0-9]{0,2})\/schema\.json$/;
const PROFILE_PATH = /^profiles\/([A-Za-z0-9_-]+)\.json$/;

async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  const files = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

// Annotations (title, description…) make up most of the schema text and play no part in
// validation: the embedded copies leave them out; registry/ keeps the documented originals.
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples']);
const SUBSCHEMA = new Set(['items', 'additionalItems', 'unevaluatedItems', 'contains', 'additionalProperties', 'unevaluatedProperties', 'propertyNames', 'not', 'if', 'then', 'else']);
const SUBSCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SUBSCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
export function stripAnnotations(schema) {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (SUBSCHEMA.has(key)) out[key] = stripAnnotations(value);
    else if (SUBSCHEMA_LIST.has(key) && Array.isArray(value)) out[key] = value.map(stripAnnotations);
    else if (SUBSCHEMA_MAP.has(key) && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripAnnotations(v)]));
    } else out[key] = value;
  }
  return out;
}

async function readJson(file) {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${relative(ROOT, file)}: ${e.message}`);
  }
}

/** The generated files' contents, by repository-relative path, and the registry files read. */
export async function generateRegistryFiles(root = ROOT) {
  const registry = join(root, 'registry');
  const schemas = {};
  const profiles = {};
  const sources = await walk(registry);
  for (const file of sources) {
    const path = relative(registry, file).split(sep).join('/');
    const stype = STYPE_PATH.exec(path);
    const profile = PROFILE_PATH.exec(path);
    if (stype) {
      const [, ns, domain, name, version] = stype;
      schemas[`${ns.slice(0, -1).replaceAll('/', '.')}.${domain}.${name}.v${version}`] = JSON.stringify(stripAnnotations(await readJson(file)));
    } else if (profile) {
      profiles[profile[1]] = JSON.stringify(await readJson(file));
    }
  }
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  const literal = (o) => JSON.stringify(sorted(o), null, 2);
  const module = `// Generated from registry/ by registry/embed.mjs (run by \`npm run build\`). Do not edit.

/** JSON text of every schema in registry/ (annotations left out), by SType id. */
export const EMBEDDED_SCHEMAS: Readonly<Record<string, string>> = ${literal(schemas)};

/** JSON text of every QoM profile in registry/profiles/, by name. */
export const EMBEDDED_PROFILES: Readonly<Record<string, string>> = ${literal(profiles)};
`;
  const index = `${JSON.stringify({ stypes: Object.keys(sorted(schemas)), profiles: Object.keys(sorted(profiles)) }, null, 2)}\n`;
  const types = await payloadTypes(registry);
  return { files: { [GENERATED_MODULE]: module, [REGISTRY_INDEX]: index, [PAYLOAD_TYPES]: types }, sources };
}

async function payloadTypes(registry) {
  const from = (path) => tsImport(new URL(path, import.meta.url).href, import.meta.url);
  const { generatePayloadTypes } = await from('../src/codegen/payload-types.ts');
  const { directoryRegistry } = await from('../src/index.ts');
  const { text } = await generatePayloadTypes(directoryRegistry(registry), {
    form: 'base',
    banner: 'Generated from registry/ by registry/embed.mjs (run by `npm run build`), through `mpl-sdk types`.',
    mapDoc: MAP_DOC,
    example: async (id) => {
      const dir = join(registry, 'stypes', ...id.split('.').slice(0, -1), id.split('.').at(-1), 'examples');
      const [first] = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.json')).sort();
      return first === undefined ? undefined : readJson(join(dir, first));
    },
  });
  return text;
}

/** The generated files whose committed text is out of date, with their new text; and the registry files read. */
async function staleFiles(root = ROOT) {
  const { files, sources } = await generateRegistryFiles(root);
  const stale = [];
  for (const [path, text] of Object.entries(files)) {
    if ((await readFile(join(root, path), 'utf8').catch(() => undefined)) !== text) stale.push([path, text]);
  }
  return { stale, sources };
}

/** Writes the generated files that changed; returns their paths. */
async function writeRegistryFiles(root = ROOT) {
  const { stale, sources } = await staleFiles(root);
  for (const [path, text] of stale) await writeFile(join(root, path), text);
  return { written: stale.map(([path]) => path), sources };
}

/** Rollup plugin: regenerates the embedded registry before every build (and on watch). */
export function embedRegistry() {
  return {
    name: 'embed-registry',
    async buildStart() {
      const { sources } = await writeRegistryFiles();
      for (const file of sources) this.addWatchFile(file);
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const { stale } = await staleFiles();
    if (stale.length) {
      console.error(`Out of date: ${stale.map(([path]) => path).join(', ')}. Run: node registry/embed.mjs`);
      process.exit(1);
    }
  } else {
    const { written } = await writeRegistryFiles();
    console.log(written.length ? `wrote ${written.join(', ')}` : 'registry files up to date');
  }
}
