// `mpl-sdk check`: a registry folder's schemas, examples and negatives, as its tests would.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { directoryRegistry, ErrorCode, MplError, SchemaValidator, SType, type Registry } from '../index.ts';
import { loadEngine } from '../registry/load-engine.ts';
import { walkSubschemas } from '../registry/subschemas.ts';
import { decodeUtf8, parse, positionals, UsageError, withoutBom, type Command, type Io } from './command.ts';

export const check: Command = {
  name: 'check',
  summary: 'check a registry folder: schemas compile, examples pass, negatives fail where they say',
  help: `Usage: mpl-sdk check <registry dir>

Checks every SType of a registry folder (stypes/<ns>/<domain>/<Name>/v<N>/):
  schema.json              is a JSON Schema that compiles, with its own urn:stype $id,
                           and each $ref in it leads somewhere (examples or not);
  examples/*.json          each validates;
  negative/*.json          each fails, at exactly the JSON Pointers that
                           negative.expected.json lists for it ({"file.json": ["/path", …]}),
                           or anywhere when there is no negative.expected.json.
A schema.json anywhere else under stypes/ is a problem too: no SType reads it.
Prints one line per problem, "<file>: <problem>", then a summary; exits 1 when any.

Options:
  -h, --help   this text`,
  async run(args, io) {
    const { positionals: dirs } = parse(args, {});
    const [dir] = positionals(dirs, 1, 'check takes one registry folder');
    if (dir === undefined) throw new UsageError('name the registry folder to check');
    if (/^https?:/i.test(dir)) throw new UsageError('check reads a registry folder (over HTTP, examples and negatives cannot be listed)');
    const problems = await checkRegistry(resolve(dir), io);
    io.err(problems === 0 ? '' : `${problems} problem${problems === 1 ? '' : 's'} in ${dir}\n`);
    return problems === 0 ? 0 : 1;
  },
};

type Json = { ok: true; value: unknown } | { ok: false; problem: string };

async function readJson(file: string): Promise<Json> {
  try {
    return { ok: true, value: JSON.parse(withoutBom(decodeUtf8(await readFile(file), file))) };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name).sort();
}

/**
 * The `$ref`s of an SType's own schema that lead nowhere: the validation engine resolves a
 * `$ref` only when a payload reaches it, so an example that takes another branch never
 * meets it. Each is looked up exactly as the engine will (its absolute URI in the compiled
 * schema's table of locations).
 */
async function danglingRefs(registry: Registry, type: SType): Promise<string[]> {
  const { compileSchema } = await loadEngine();
  const { root, lookup } = await compileSchema(registry, type);
  const found: string[] = [];
  walkSubschemas(root, (sub, pointer) => {
    const { $ref, __absolute_ref__: absolute } = sub as { $ref?: unknown; __absolute_ref__?: string };
    if (typeof $ref !== 'string' || lookup[absolute ?? $ref] !== undefined) return;
    found.push(`$ref ${JSON.stringify($ref)} at #${pointer} leads nowhere: the schema has no such location (a payload that reaches it cannot be validated)`);
  });
  return found;
}

/** Every file named schema.json under `dir`, at any depth. */
async function schemaFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name === 'schema.json').map((e) => join(e.parentPath ?? (e as { path: string }).path, e.name))
    .filter((file) => !/[\\/](examples|negative)[\\/]schema\.json$/.test(file)) // an example or a negative that happens to be called so
    .sort();
}

const samePaths = (a: string[], b: string[]) => JSON.stringify([...new Set(a)].sort()) === JSON.stringify([...new Set(b)].sort());

/** Checks every SType of the folder; reports each problem on `io.err`, the tally on `io.out`; resolves with the number of problems. */
async function checkRegistry(root: string, io: Io): Promise<number> {
  const registry = directoryRegistry(root);
  const validator = new SchemaValidator(registry);
  const stypes = await registry.list();
  if (stypes.length === 0) throw new Error(`${root} has no STypes (no stypes/<ns>/<domain>/<Name>/v<N>/schema.json)`);
  let problems = 0;
  let checked = 0;
  const fail = (file: string, problem: string) => {
    problems++;
    io.err(`${file}: ${problem}\n`);
  };
  /** The issues of `value` under `id`, or undefined when validating it fails (a `$ref` that leads nowhere, met only now): said as the file's problem, and the run goes on. */
  const issuesOf = async (id: string, value: unknown, file: string) => {
    try {
      return await validator.validate(id, value);
    } catch (error) {
      fail(file, (error as Error).message);
      return undefined;
    }
  };
  for (const id of stypes) {
    const dir = join(root, SType.parse(id).registryPath);
    const schemaFile = join(dir, 'schema.json');
    // Every $ref that leads nowhere, from the schema alone (a schema that cannot be read or compiled: the probe below
    // says why). An engine that cannot load ends the run: the check would pass every $ref unseen.
    const dangling = await danglingRefs(registry, SType.parse(id)).catch((error: unknown) => {
      if (error instanceof MplError && error.code === ErrorCode.ModuleLoad) throw error;
      return [];
    });
    for (const problem of dangling) fail(schemaFile, problem);
    try {
      await validator.validate(id, null); // fetches, checks and compiles the schema and what it refers to
    } catch (error) {
      // Meeting one of the $refs said above: the examples are still checked (each says if it meets one).
      if (dangling.length === 0) {
        fail(schemaFile, (error as Error).message);
        continue;
      }
    }
    checked++;
    for (const name of await jsonFiles(join(dir, 'examples'))) {
      const file = join(dir, 'examples', name);
      const json = await readJson(file);
      if (!json.ok) { fail(file, json.problem); continue; }
      const issues = await issuesOf(id, json.value, file);
      if (issues === undefined) continue;
      if (issues.length > 0) fail(file, `example of ${id} does not validate: ${issues.map((i) => `${JSON.stringify(i.path)} ${i.message}`).join('; ')}`);
      checked++;
    }
    const negatives = await jsonFiles(join(dir, 'negative'));
    const expectedFile = join(dir, 'negative.expected.json');
    // Without negative.expected.json (upstream's layout), a negative must fail, anywhere.
    const listed = negatives.length > 0 && (await stat(expectedFile).then(() => true, () => false));
    const expected = listed ? await readJson(expectedFile) : { ok: true as const, value: undefined };
    if (!expected.ok) { fail(expectedFile, expected.problem); continue; }
    const paths = expected.value as Record<string, unknown> | undefined;
    for (const name of Object.keys(paths ?? {})) if (!negatives.includes(name)) fail(expectedFile, `lists ${name}, which negative/ does not have`);
    for (const name of negatives) {
      const file = join(dir, 'negative', name);
      const want = (paths === undefined ? undefined : paths[name]) as string[] | undefined;
      if (paths !== undefined && (!Array.isArray(want) || !want.every((p) => typeof p === 'string'))) { fail(expectedFile, `gives no list of JSON Pointers for ${name}`); continue; }
      const json = await readJson(file);
      if (!json.ok) { fail(file, json.problem); continue; }
      const issues = await issuesOf(id, json.value, file);
      if (issues === undefined) continue;
      const got = issues.map((i) => i.path);
      if (got.length === 0) fail(file, `negative of ${id} validates; it must fail${want ? ` at ${JSON.stringify(want)}` : ''}`);
      else if (want && !samePaths(got, want)) fail(file, `negative of ${id} fails at ${JSON.stringify([...new Set(got)].sort())}, not at ${JSON.stringify([...want].sort())}`);
      checked++;
    }
  }
  // A schema.json where no SType path leads (a version folder missing, a part with a dot…) is read by nothing.
  const known = new Set(stypes.map((id) => join(root, SType.parse(id).registryPath, 'schema.json')));
  for (const file of await schemaFilesUnder(join(root, 'stypes'))) {
    if (!known.has(file)) fail(file, 'is not at stypes/<namespace>/<domain>/<Name>/v<N>/schema.json (letters, digits, _ and - in each part): no SType reads it');
  }
  io.out(`${stypes.length} STypes, ${checked} schemas, examples and negatives checked: ${problems === 0 ? 'all good' : `${problems} problem${problems === 1 ? '' : 's'}`}\n`);
  return problems;
}
