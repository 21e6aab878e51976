// The `mpl-sdk` command as users run it (node dist/cli.js): help, exit codes, one-line
// errors, and each subcommand on registry/, on test/types/registry (folder and HTTP, both
// layouts) and on broken copies of a registry.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canonicalize, semanticHash } from '../../src/index.ts';
import { startRegistryServer, type RegistryServer } from '../registry/support/registry-server.ts';
import { runProcess, type Run } from './support.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TEST_REGISTRY = join(root, 'test/types/registry');
const EVENT = 'registry/stypes/org/calendar/Event/v1';

/** Runs `node dist/cli.js …args` in the repository, feeding `stdin`. */
function cli(args: string[], { stdin = '', cwd = root } = {}): Promise<Run> {
  return runProcess(process.execPath, [join(root, 'dist/cli.js'), ...args], { stdin, cwd });
}

/** One line on stderr, naming the command. */
function oneLineError(run: Run, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, run.stderr);
  assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
  assert.match(run.stderr, pattern);
}

describe('mpl-sdk: help and usage', () => {
  it('--help lists the four commands; each command has its own --help', async () => {
    const top = await cli(['--help']);
    assert.equal(top.code, 0);
    for (const name of ['types', 'hash', 'validate', 'check']) {
      assert.match(top.stdout, new RegExp(`^  ${name} `, 'm'));
      const own = await cli([name, '--help']);
      assert.equal(own.code, 0, own.stderr);
      assert.match(own.stdout, new RegExp(`^Usage: mpl-sdk ${name} `));
    }
  });

  it('no command, an unknown command, an unknown option, a missing argument: exit 2, one line', async () => {
    const none = await cli([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^Usage: mpl-sdk <command>/);
    oneLineError(await cli(['hashh']), 2, /^mpl-sdk: unknown command "hashh" \(commands: types, hash, validate, check/);
    oneLineError(await cli(['hash', '--fast']), 2, /^mpl-sdk hash: unknown option --fast \(the options are --legacy\) \(see mpl-sdk hash --help\)\n$/);
    oneLineError(await cli(['validate', '--schema=x', '--stype', 'org.agent.Heartbeat.v1']), 2, /^mpl-sdk validate: unknown option --schema \(the options are --stype, --registry, --json\)/);
    oneLineError(await cli(['validate', 'x.json']), 2, /^mpl-sdk validate: --stype <SType> is required/);
    oneLineError(await cli(['check']), 2, /^mpl-sdk check: name the registry folder/);
    oneLineError(await cli(['types']), 2, /^mpl-sdk types: name the registry/);
  });
});

describe('mpl-sdk hash', () => {
  it('prints the canonical form and the semantic hash of a file, as the library computes them', async () => {
    const file = `${EVENT}/examples/architecture-review.json`;
    const value = JSON.parse(await readFile(join(root, file), 'utf8'));
    const run = await cli(['hash', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${canonicalize(value)}\n${await semanticHash(value)}\n`);
  });

  it('reads a file that starts with a UTF-8 byte order mark as the JSON after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mpl-bom-'));
    try {
      const value = { title: 'Sync', start: '2024-01-15T10:00:00Z' };
      await writeFile(join(dir, 'bom.json'), `\uFEFF${JSON.stringify(value)}`);
      const run = await cli(['hash', join(dir, 'bom.json')]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(await semanticHash(value)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads stdin (no file, or "-")', async () => {
    const value = { b: [1.5, 'é', null], a: { z: true, y: 1e21 } };
    for (const args of [['hash'], ['hash', '-']]) {
      const run = await cli(args, { stdin: JSON.stringify(value) });
      assert.equal(run.stdout, `${canonicalize(value)}\n${await semanticHash(value)}\n`);
    }
  });

  it('after --, -h is a file name, not a request for help', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mpl-dash-'));
    try {
      await writeFile(join(dir, '-h'), '{"b":2,"a":1}');
      const run = await cli(['hash', '--', '-h'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `{"a":1,"b":2}\n${await semanticHash({ a: 1, b: 2 })}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--legacy: the legacy layout, which differs only for numbers of magnitude >= 2^63', async () => {
    const value = { big: 1e20, small: 1.5 };
    const current = await cli(['hash'], { stdin: JSON.stringify(value) });
    const legacy = await cli(['hash', '--legacy'], { stdin: JSON.stringify(value) });
    assert.equal(current.stdout, `{"big":1e+20,"small":1.5}\n${await semanticHash(value)}\n`);
    assert.equal(legacy.stdout, `{"big":1e20,"small":1.5}\n${await semanticHash(value, { hashLayout: 'legacy' })}\n`);
    assert.notEqual(legacy.stdout, current.stdout);
  });

  it('input that is not JSON, a missing file, a value with no canonical form: exit 1, one line', async () => {
    oneLineError(await cli(['hash'], { stdin: '{"a":' }), 1, /^mpl-sdk hash: stdin is not JSON: /);
    // Node quotes the input in its message: a newline in it is shown escaped, the message whole.
    oneLineError(await cli(['hash'], { stdin: 'not json\nmore' }), 1, /^mpl-sdk hash: stdin is not JSON: .*"not json\\nmore" is not valid JSON\n$/);
    oneLineError(await cli(['hash', 'no-such.json']), 1, /^mpl-sdk hash: no-such.json cannot be read: ENOENT/);
    oneLineError(await cli(['hash'], { stdin: '"\\ud800"' }), 1, /^mpl-sdk hash: .*lone surrogate/);
  });
});

describe('mpl-sdk validate', () => {
  it('a valid payload: "valid", exit 0 (embedded registry, a folder, stdin)', async () => {
    for (const extra of [[], ['--registry', 'registry']]) {
      const run = await cli(['validate', '--stype', 'org.calendar.Event.v1', ...extra, `${EVENT}/examples/team-sync.json`]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, 'valid\n');
    }
    const piped = await cli(['validate', '--stype', 'urn:stype:org.agent.Heartbeat.v1'], { stdin: '{"status":"alive"}' });
    assert.equal(piped.stdout, 'valid\n');
  });

  it('an invalid payload: every issue with its JSON Pointer, exit 1; --json gives them as data', async () => {
    const file = `${EVENT}/negative/bad-attendee-email.json`;
    const run = await cli(['validate', '--stype', 'org.calendar.Event.v1', file]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '"/attendees/1/email" must be an email address\n"/attendees/2" must be an email address\n');
    assert.equal(run.stderr, `${file}: 2 issues against org.calendar.Event.v1\n`);
    const json = await cli(['validate', '--stype', 'org.calendar.Event.v1', '--json'], { stdin: '{"title":"x"}' });
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), [{ path: '', message: 'is missing required property "start"', keyword: 'required' }]);
  });

  it('could not validate (an SType the registry does not have, a missing file, input that is not JSON, a registry that is not there): exit 2, not 1 (invalid), one line', async () => {
    oneLineError(await cli(['validate', '--stype', 'com.acme.finance.Trade.v2'], { stdin: '{}' }), 2, /^mpl-sdk validate: No schema for SType com.acme.finance.Trade.v2/);
    oneLineError(await cli(['validate', '--stype', 'org.agent.Heartbeat.v1', 'no-such-file.json']), 2, /^mpl-sdk validate: no-such-file\.json cannot be read/);
    oneLineError(await cli(['validate', '--stype', 'org.agent.Heartbeat.v1'], { stdin: '{status' }), 2, /^mpl-sdk validate: stdin is not JSON/);
    oneLineError(await cli(['validate', '--stype', 'org.agent.Heartbeat.v1', '--registry', 'no-such-registry'], { stdin: '{}' }), 2, /^mpl-sdk validate: /);
  });

  it('a malformed SType is a bad argument: exit 2, with the pointer to --help', async () => {
    oneLineError(await cli(['validate', '--stype', 'not an stype']), 2, /^mpl-sdk validate: --stype: .*not an stype.*\(see mpl-sdk validate --help\)\n$/);
  });
});

describe('mpl-sdk check', () => {
  let broken: string;
  before(async () => {
    broken = await mkdtemp(join(tmpdir(), 'mpl-check-'));
  });
  after(() => rm(broken, { recursive: true, force: true }));

  /** A copy of test/types/registry with `change` applied. */
  async function brokenCopy(name: string, change: (dir: string) => Promise<void>): Promise<string> {
    const dir = join(broken, name);
    await cp(TEST_REGISTRY, dir, { recursive: true });
    await change(join(dir, 'stypes/test/shop'));
    return dir;
  }

  it('names every $ref that leads nowhere, from the schema alone (reached by an example or not), and the example that meets one; goes on to report the rest', async () => {
    const dir = join(broken, 'dangling');
    const put = async (path: string, value: unknown) => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), JSON.stringify(value));
    };
    await put('stypes/org/test/A/v1/schema.json', { type: 'object', properties: { when: { $ref: '#/$defs/missing' } } });
    await put('stypes/org/test/A/v1/examples/ok.json', { when: 'x' });
    await put('stypes/org/test/B/v1/schema.json', { type: 'object', required: ['b'] });
    await put('stypes/org/test/B/v1/examples/bad.json', {});
    // A $ref no example reaches, in a branch of its own, and one inside $defs: found from the schema alone.
    await put('stypes/org/test/C/v1/schema.json', {
      type: 'object', properties: { a: { type: 'string' }, b: { anyOf: [{ type: 'number' }, { $ref: '#/$defs/nowhere' }] }, c: { $ref: '#/$defs/ok' } },
      $defs: { ok: { type: 'array', items: { $ref: '#/$defs/gone' } } },
    });
    await put('stypes/org/test/C/v1/examples/ok.json', { a: 'x' });
    // Schemas where no SType path leads: read by nothing, so said.
    await put('stypes/org/test/D/schema.json', { type: 'object' });
    await put('stypes/org/test/E/v0/schema.json', { type: 'object' });
    const run = await cli(['check', dir]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /A[\\/]v1[\\/]schema\.json: \$ref "#\/\$defs\/missing" at #\/properties\/when leads nowhere/);
    assert.match(run.stderr, /A[\\/]v1[\\/]examples[\\/]ok\.json: .*Unresolved \$ref/);
    assert.match(run.stderr, /B[\\/]v1[\\/]examples[\\/]bad\.json: example of org\.test\.B\.v1 does not validate/);
    assert.match(run.stderr, /C[\\/]v1[\\/]schema\.json: \$ref "#\/\$defs\/nowhere" at #\/properties\/b\/anyOf\/1 leads nowhere/);
    assert.match(run.stderr, /C[\\/]v1[\\/]schema\.json: \$ref "#\/\$defs\/gone" at #\/\$defs\/ok\/items leads nowhere/);
    assert.doesNotMatch(run.stderr, /C[\\/]v1[\\/]examples/);
    assert.match(run.stderr, /test[\\/]D[\\/]schema\.json: is not at stypes\/<namespace>\/<domain>\/<Name>\/v<N>\/schema\.json/);
    assert.match(run.stderr, /test[\\/]E[\\/]v0[\\/]schema\.json: is not at stypes/);
    assert.match(run.stdout, /7 problems/);
  });

  it('a $ref in data (examples, default, const, x- annotations) is JSON, not a reference; $dynamicRef is refused, not silently unenforced; upstream\'s layout (no negative.expected.json); BOM; a file called schema.json among examples', async () => {
    const dir = join(broken, 'shapes');
    const put = async (path: string, value: unknown, raw?: string | Buffer) => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), raw ?? JSON.stringify(value));
    };
    // JSON References described as data: usable, and nothing reported.
    await put('stypes/org/test/Ref/v1/schema.json', {
      type: 'object', properties: { link: { type: 'object', properties: { $ref: { type: 'string' } }, examples: [{ $ref: 'https://example.com/pet.json' }], default: { $ref: '#/nowhere' } }, fixed: { const: { $ref: '#/x' } } },
      'x-docs': { $ref: '#/components/schemas/A' },
    });
    await put('stypes/org/test/Ref/v1/examples/ok.json', { link: { $ref: 'https://example.com/pet.json' } });
    await put('stypes/org/test/Ref/v1/examples/schema.json', { link: { $ref: 'x' } }); // an example with that name
    // Negatives without negative.expected.json: each must fail somewhere.
    await put('stypes/org/test/Ref/v1/negative/bad.json', { link: { $ref: 5 } });
    await put('stypes/org/test/Ref/v1/negative/passes.json', {});
    // A BOM before an example's JSON.
    await put('stypes/org/test/Ref/v1/examples/bom.json', undefined, `\uFEFF${JSON.stringify({ link: {} })}`);
    // $dynamicRef: refused, naming where.
    await put('stypes/org/test/Dyn/v1/schema.json', { $dynamicAnchor: 'node', type: 'object', properties: { children: { type: 'array', items: { $dynamicRef: '#node' } } } });
    // Several dangling refs: each said, and the examples still checked.
    await put('stypes/org/test/Deep/v1/schema.json', { type: 'object', properties: { a: { $ref: '#/$defs/missing1' }, b: { $ref: '#/$defs/missing2' }, c: { type: 'string' } } });
    await put('stypes/org/test/Deep/v1/examples/c.json', { c: 5 });
    const run = await cli(['check', dir]);
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, /Ref[\\/]v1[\\/](schema|examples)/, run.stderr);
    assert.match(run.stderr, /Ref[\\/]v1[\\/]negative[\\/]passes\.json: negative of org\.test\.Ref\.v1 validates; it must fail\n/);
    assert.doesNotMatch(run.stderr, /negative\.expected\.json|bad\.json/);
    assert.match(run.stderr, /Dyn[\\/]v1[\\/]schema\.json: .*uses \$dynamicRef \(at #\/properties\/children\/items\), which this SDK's validator does not enforce/);
    assert.match(run.stderr, /Deep[\\/]v1[\\/]schema\.json: \$ref "#\/\$defs\/missing1" at #\/properties\/a leads nowhere/);
    assert.match(run.stderr, /Deep[\\/]v1[\\/]schema\.json: \$ref "#\/\$defs\/missing2" at #\/properties\/b leads nowhere/);
    assert.match(run.stderr, /Deep[\\/]v1[\\/]examples[\\/]c\.json: example of org\.test\.Deep\.v1 does not validate: "\/c"/);
    assert.match(run.stdout, /5 problems/);
    // validate reads the data-$ref schema as any other.
    const valid = await cli(['validate', '--stype', 'org.test.Ref.v1', '--registry', dir, join(dir, 'stypes/org/test/Ref/v1/examples/ok.json')]);
    assert.equal(valid.code, 0, valid.stderr);
  });

  it('hash refuses a file that is not UTF-8', async () => {
    const file = join(broken, 'latin1.json');
    await writeFile(file, Buffer.from([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22])); // "café" in Latin-1
    oneLineError(await cli(['hash', file]), 1, /latin1\.json is not UTF-8 text/);
  });

  it('registry/ and test/types/registry pass: exit 0', async () => {
    for (const dir of ['registry', 'test/types/registry']) {
      const run = await cli(['check', dir]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /STypes, \d+ schemas, examples and negatives checked: all good/);
      assert.equal(run.stderr, '');
    }
  });

  it('a schema that does not compile, an example that fails, a negative that passes, a negative failing elsewhere: each reported with its file, exit 1', async () => {
    const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
      ['bad-schema', (d) => writeFile(join(d, 'Order/v1/schema.json'), JSON.stringify({ $id: 'urn:stype:test.shop.Order.v1', type: 'object', properties: { city: { type: 'text' } } })),
        /Order\/v1\/schema\.json: The schema of test\.shop\.Order\.v1 .*is not a valid JSON Schema: \/properties\/city\/type must be one of/],
      ['bad-example', (d) => writeFile(join(d, 'Order/v1/examples/paid.json'), JSON.stringify({ order_id: 'o', status: 'lost', lines: [], ship_to: {} })),
        /Order\/v1\/examples\/paid\.json: example of test\.shop\.Order\.v1 does not validate: "\/status"/],
      ['passing-negative', (d) => writeFile(join(d, 'Address/v1/negative/bad-country.json'), JSON.stringify({ street: 's', city: 'c', country: 'CH' })),
        /Address\/v1\/negative\/bad-country\.json: negative of test\.shop\.Address\.v1 validates; it must fail at \["\/country"\]/],
      ['negative-elsewhere', (d) => writeFile(join(d, 'Address/v1/negative.expected.json'), JSON.stringify({ 'bad-country.json': ['/city'] })),
        /Address\/v1\/negative\/bad-country\.json: negative of test\.shop\.Address\.v1 fails at \["\/country"\], not at \["\/city"\]/],
      ['not-json', (d) => writeFile(join(d, 'Order/v1/examples/paid.json'), '{"order_id":'),
        /Order\/v1\/examples\/paid\.json: .*JSON/],
    ];
    await Promise.all(cases.map(async ([name, change, pattern]) => {
      const dir = await brokenCopy(name, change);
      const run = await cli(['check', dir]);
      assert.equal(run.code, 1, `${name}: ${run.stdout}${run.stderr}`);
      const lines = run.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 2, `${name}: one problem and the tally\n${run.stderr}`);
      assert.ok(lines[0]!.startsWith(join(dir, 'stypes/test/shop')), lines[0]);
      assert.match(lines[0]!, pattern);
      assert.equal(lines[1], `1 problem in ${dir}`);
    }));
  });

  it('a folder with no STypes, or a URL: exit non-zero, one line', async () => {
    oneLineError(await cli(['check', 'test/cli']), 1, /^mpl-sdk check: .*test\/cli has no STypes/);
    oneLineError(await cli(['check', 'http://127.0.0.1:9/registry/']), 2, /^mpl-sdk check: check reads a registry folder/);
  });
});

describe('mpl-sdk types', () => {
  let server: RegistryServer;
  let service: RegistryServer;
  let out: string;
  before(async () => {
    server = await startRegistryServer({ root: TEST_REGISTRY, layout: 'static' });
    service = await startRegistryServer({ root: TEST_REGISTRY, layout: 'service' });
    out = await mkdtemp(join(tmpdir(), 'mpl-types-'));
  });
  after(async () => {
    await Promise.all([server.close(), service.close(), rm(out, { recursive: true, force: true })]);
  });

  it('from a folder, a static HTTP registry and the registry service: the same types, $refs resolved within the registry', async () => {
    const texts: string[] = [];
    for (const source of [TEST_REGISTRY, server.url, service.url]) {
      const file = join(out, `${texts.length}.d.ts`);
      const run = await cli(['types', source, '-o', file]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, `3 STypes typed in ${file}\n`);
      texts.push((await readFile(file, 'utf8')).replace(/^\/\/.*\n/, '').replaceAll(source, '<source>'));
    }
    assert.equal(texts[1], texts[0]);
    assert.equal(texts[2], texts[0]);
    assert.match(texts[0]!, /"test\.shop\.Order\.v1": TestShopOrderV1;/);
    assert.match(texts[0]!, /ship_to: TestShopAddressV1;/);
    assert.match(texts[0]!, /declare module 'mpl-sdk' \{\n.*\n  interface RegistryPayloads extends GeneratedStypePayloads \{\}\n\}/);
  });

  it('types what check accepts: true/false subschemas, $anchor references (one in a nested resource, from the root, as the validator reads it), a subschema with its own $id, a file without $id', async () => {
    const dir = await mkdtemp(join(out, 'shapes-'));
    const put = async (id: string, schema: unknown) => {
      const { mkdir } = await import('node:fs/promises');
      const path = join(dir, 'stypes', ...id.split('.').slice(0, -1), id.split('.').at(-1)!, 'schema.json');
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, JSON.stringify(schema));
    };
    await put('t.a.Bool.v1', { type: 'object', properties: { a: { $ref: '#/$defs/t' }, b: { $ref: '#/$defs/f' } }, $defs: { t: true, f: false } });
    await put('t.a.Anchor.v1', { type: 'object', required: ['x'], properties: { x: { $ref: '#foo' } }, $defs: { f: { $anchor: 'foo', type: 'string' } } });
    await put('t.a.SubId.v1', { type: 'object', properties: { a: { $ref: '#/$defs/item' } }, $defs: { item: { $id: 'urn:example:item', type: 'object', required: ['q'], properties: { q: { $ref: '#/$defs/q' } }, $defs: { q: { type: 'number' } } } } });
    await put('t.a.NoId.v2', { type: 'object', required: ['a'], properties: { a: { type: 'string' } } });
    await put('t.a.Lost.v1', { type: 'object', properties: { a: { $ref: '#inner' } }, $defs: { s: { $id: 'urn:example:s', $anchor: 'inner', type: 'string' } } });
    await put('t.a.RootRef.v1', { $ref: '#/$defs/ev', $defs: { ev: { type: 'object', required: ['x'], properties: { x: { type: 'string' } } } } });
    await put('t.a.NullTuple.v1', { type: 'object', properties: { p: { type: ['array', 'null'], prefixItems: [{ type: 'string' }], items: false } } });
    const run = await cli(['types', dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /export interface TABoolV1 \{\n  a\?: unknown;\n  b\?: never;/);
    assert.match(run.stdout, /export interface TAAnchorV1 \{\n  x: string;/);
    assert.match(run.stdout, /export interface TASubIdV1Item \{\n  q: number;/);
    assert.match(run.stdout, /"t\.a\.NoId\.v2": TANoIdV2;/);
    assert.match(run.stdout, /export interface TALostV1 \{\n  a\?: string;/);
    assert.match(run.stdout, /"t\.a\.RootRef\.v1": TARootRefV1Ev;/); // a root $ref with its $defs beside it
    assert.match(run.stdout, /export interface TARootRefV1Ev \{\n  x: string;/);
    assert.match(run.stdout, /  p\?: \[\] \| \[string\] \| null;/); // a tuple whose type list allows null too
    assert.equal(run.stderr, '7 STypes typed\n');
  });

  it('a schema it cannot read or a $ref that leads nowhere: named with the file and why, typed unknown there alone, the rest typed; exit 1', async () => {
    const dir = await mkdtemp(join(out, 'broken-'));
    await cp(TEST_REGISTRY, dir, { recursive: true });
    await writeFile(join(dir, 'stypes/test/shop/Shipment/v1/schema.json'), '{"type": "objekt"}');
    const orderFile = join(dir, 'stypes/test/shop/Order/v1/schema.json');
    const order = JSON.parse(await readFile(orderFile, 'utf8'));
    order.properties.order_id = { $ref: '#/$defs/nowhere' };
    await writeFile(orderFile, JSON.stringify(order));
    const run = await cli(['types', dir]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, [
      `test.shop.Shipment.v1: its schema cannot be typed (The schema of test.shop.Shipment.v1 at ${join(dir, 'stypes/test/shop/Shipment/v1/schema.json')} is not a valid JSON Schema: /type must be one of "array", "boolean", "integer", "null", "number", "object", "string"); its payload is unknown`,
      'test.shop.Order.v1: $ref "#/$defs/nowhere" at #/properties/order_id leads nowhere: typed unknown there',
      '2 STypes typed; 1 typed unknown',
      '',
    ].join('\n'));
    assert.match(run.stdout, /export type TestShopShipmentV1 = unknown;/);
    assert.match(run.stdout, /order_id: unknown;\n/);
    assert.match(run.stdout, /ship_to: TestShopAddressV1;/);
  });

  it('writes to stdout without -o; types the STypes the SDK also types, from this registry, and says so', async () => {
    const run = await cli(['types', 'registry']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"org\.calendar\.Event\.v1": OrgCalendarEventV1;/);
    assert.match(run.stderr, /^15 STypes typed; 15 of them over the SDK's own types \(ai\.completion\.Request\.v1, /);
  });

  it('a $ref outside the registry is refused, not fetched (typed unknown there, and said); a folder with no STypes is an error', async () => {
    const dir = await mkdtemp(join(out, 'outside-'));
    await cp(TEST_REGISTRY, dir, { recursive: true });
    const schemaFile = join(dir, 'stypes/test/shop/Address/v1/schema.json');
    const schema = JSON.parse(await readFile(schemaFile, 'utf8'));
    schema.properties.city = { $ref: `${server.origin}/elsewhere.json` };
    await writeFile(schemaFile, JSON.stringify(schema));
    const before = server.requests.length;
    const run = await cli(['types', dir]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^test\.shop\.Address\.v1: \$ref "http:\/\/127\.0\.0\.1:\d+\/elsewhere\.json" at #\/properties\/city leads nowhere: typed unknown there\n3 STypes typed\n$/);
    assert.match(run.stdout, /export interface TestShopAddressV1 \{\n(.*\n)*  city: unknown;\n/);
    assert.equal(server.requests.length, before, 'nothing was fetched');
    oneLineError(await cli(['types', 'test/cli']), 1, /^mpl-sdk types: test\/cli has no STypes/);
  });
});

describe('mpl-sdk: a reader that goes away', () => {
  it('ends quietly when the reader of its output closes early (| head): no stack, exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'mpl-cli-pipe-'));
    try {
      const file = join(dir, 'big.json');
      await writeFile(file, JSON.stringify(Array.from({ length: 200_000 }, (_, i) => ({ i, name: `item ${i}` }))));
      const child = spawn(process.execPath, [join(root, 'dist/cli.js'), 'hash', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.once('data', () => child.stdout.destroy()); // as `head -c 5` does
      const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
      assert.equal(stderr, '');
      assert.equal(code, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
